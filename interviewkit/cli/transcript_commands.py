"""`interviewkit transcript …`: search, replace and speakers across every transcript of a project.

    interviewkit transcript search PROJECT PATTERN [--regex] [--case] [--identity FILE]
    interviewkit transcript replace PROJECT PATTERN REPLACEMENT [--regex] [--case] [--yes] [--identity FILE]
    interviewkit transcript speakers PROJECT [--identity FILE]
    interviewkit transcript rename-speaker PROJECT CODE [--to NEW_CODE] [--name NAME] [--identity FILE]
    interviewkit transcript show PROJECT SESSION [--format txt|json] [--identity FILE]
"""

from __future__ import annotations

import argparse
import json
import sys

from interviewkit.cli.args import project_args


def _pattern_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--regex", action="store_true", help="PATTERN is a regular expression (Python syntax)")
    parser.add_argument("--case", action="store_true", help="match upper and lower case exactly")


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the top-level parser."""
    text = "Every transcript of a project: search, search and replace, speakers, and one transcript's text."
    parser = sub.add_parser("transcript", help="search, replace and speakers across the transcripts",
                            description=text)
    group = parser.add_subparsers(dest="transcript_command", required=True, metavar="COMMAND",
                                  parser_class=type(parser))

    p = group.add_parser("search", help="find text in every transcript (session, time, context)",
                         description="Find text in every transcript of the project: one line per match with the "
                         "session, the start of its segment and the text around it.")
    project_args(p)
    p.add_argument("pattern", metavar="PATTERN", help="the text (or with --regex the expression) to find")
    _pattern_args(p)
    p.set_defaults(handler=cmd_search)

    p = group.add_parser("replace", help="replace text in every transcript (revisions kept)",
                         description="Replace text in every transcript of the project. Each changed transcript "
                         "keeps a revision, so you can go back. With --regex, REPLACEMENT may use \\1 or \\g<name>.")
    project_args(p)
    p.add_argument("pattern", metavar="PATTERN", help="the text (or with --regex the expression) to replace")
    p.add_argument("replacement", metavar="REPLACEMENT", help="what to put instead")
    _pattern_args(p)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_replace)

    p = group.add_parser("speakers", help="list the speaker codes (first column: the code)",
                         description="List the speaker codes used in the transcripts, their display names and "
                         "how many segments each has.")
    project_args(p)
    p.set_defaults(handler=cmd_speakers)

    p = group.add_parser("rename-speaker", help="change a speaker's code or display name everywhere",
                         description="Change a speaker's code (--to) and/or display name (--name; empty removes "
                         "it) in every transcript that has the speaker. Each changed transcript keeps a revision.")
    project_args(p)
    p.add_argument("code", metavar="CODE", help="the speaker code now used, e.g. D1")
    p.add_argument("--to", dest="new_code", metavar="NEW_CODE", help="the new code")
    p.add_argument("--name", metavar="NAME", help="the display name (shown on screen and in exports)")
    p.set_defaults(handler=cmd_rename_speaker)

    p = group.add_parser("show", help="print a session's transcript",
                         description="Print a session's transcript: one paragraph per segment, 'CODE: text' "
                         "(txt), or the whole document (json).")
    project_args(p, session=True)
    p.add_argument("--format", default="txt", choices=["txt", "json"], help="txt (default) or json")
    p.set_defaults(handler=cmd_show)


def hms(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _open(args: argparse.Namespace):
    from interviewkit.cli.unlock import open_project

    return open_project(args.project, args.identity)


def cmd_search(args: argparse.Namespace) -> int:
    from interviewkit.cli.output import table
    from interviewkit.transcript.project_wide import check_pattern, search_transcripts, transcribed_sessions

    check_pattern(args.pattern, args.regex, args.case)  # a bad pattern: one line, before the passphrase
    project = _open(args)
    transcripts = transcribed_sessions(project)
    matches = search_transcripts(transcripts, args.pattern, args.regex, args.case)
    if not matches:
        print(f"No matches in {len(transcripts)} transcript(s).", file=sys.stderr)
        return 0
    by_id = {session.id: transcript for session, transcript in transcripts}
    table(["session", "time", "context"],
          [[m.session_id, hms(by_id[m.session_id].segments[m.index].start), m.context] for m in matches])
    return 0


def cmd_replace(args: argparse.Namespace) -> int:
    from interviewkit.cli.unlock import interactive
    from interviewkit.transcript.project_wide import check_pattern, replace_in_project, search_project

    check_pattern(args.pattern, args.regex, args.case)
    project = _open(args)
    if not args.yes and interactive():
        matches = search_project(project, args.pattern, args.regex, args.case)
        if not matches:
            print("No matches; nothing was changed.")
            return 0
        sessions = len({m.session_id for m in matches})
        answer = input(f"Replace {len(matches)} match(es) in {sessions} session(s)? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing was changed.")
            return 0
    counts = replace_in_project(project, args.pattern, args.replacement, args.regex, args.case)
    if not counts:
        print("No matches; nothing was changed.")
        return 0
    for session_id, count in counts.items():
        print(f"{session_id}: {count} replaced")
    print(f"Replaced {sum(counts.values())} in {len(counts)} session(s); the previous versions are kept as revisions.")
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    from interviewkit.cli.output import table
    from interviewkit.transcript.project_wide import speakers_in_project

    project = _open(args)
    speakers = speakers_in_project(project)
    if not speakers:
        print("No speakers set in any transcript.", file=sys.stderr)
        return 0
    table(["code", "name", "segments"], [[code, name, count] for code, (name, count) in speakers.items()])
    return 0


def cmd_rename_speaker(args: argparse.Namespace) -> int:
    from interviewkit.transcript.project_wide import rename_speaker_in_project

    project = _open(args)
    counts = rename_speaker_in_project(project, args.code, args.new_code, args.name)
    if not counts:
        print("Nothing was changed.")
        return 0
    for session_id, count in counts.items():
        print(f"{session_id}: {count} segment(s)")
    what = f"{args.code} → {args.new_code}" if args.new_code and args.new_code != args.code else args.code
    print(f"Changed speaker {what} in {len(counts)} session(s) ({sum(counts.values())} segment(s)); "
          "the previous versions are kept as revisions.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from interviewkit.sessions import get_session
    from interviewkit.transcript.store import open_transcript

    project = _open(args)
    transcript = open_transcript(project, get_session(project, args.session))
    if args.format == "json":
        print(json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(transcript.text())
    return 0
