"""`interviewkit interview …`: run a guide in a session, and its summary.

    interviewkit interview PROJECT SESSION [--guide FILE_OR_NAME] [--minutes 60] [--identity FILE] [--lang en|nb]
    interviewkit interview summary PROJECT SESSION [--lang en|nb] [-o FILE.md [--force]] [--identity FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from interviewkit.cli.args import identity_arg

USAGE = ("interviewkit interview PROJECT SESSION [--guide FILE_OR_NAME] [--minutes N] [--identity FILE] "
         "[--lang en|nb]\n       interviewkit interview summary PROJECT SESSION [--lang en|nb] [-o FILE.md [--force]] "
         "[--identity FILE]")


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the top-level parser."""
    text = ("Open the interview screen of a session: the guide question by question, a clock per theme, notes. "
            "With 'summary': print the interview's summary as Markdown.")
    p = sub.add_parser("interview", help="run an interview guide in a session, or print its summary",
                       description=text, usage=USAGE)
    p.add_argument("words", nargs="+", metavar="ARG", help="PROJECT SESSION, or: summary PROJECT SESSION")
    p.add_argument("--guide", metavar="FILE_OR_NAME",
                   help="the guide for a new interview: a guide file, or the name of a shipped guide "
                        "(asked for on screen when left out; an interview already begun keeps its guide)")
    p.add_argument("--minutes", type=float, metavar="N",
                   help="the planned length of the session (default: the sum of the theme budgets)")
    identity_arg(p)
    p.add_argument("--lang", choices=["en", "nb"], help="language of the interface, or of the summary")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.md",
                   help="summary only: write the Markdown to this file (NOT encrypted; outside any project) "
                        "instead of printing it")
    p.add_argument("--force", action="store_true", help="summary only: replace the -o file if it is already there")
    p.set_defaults(handler=cmd_interview)


def cmd_interview(args: argparse.Namespace) -> int:
    from interviewkit.errors import InvalidInput

    words = list(args.words)
    if words[0] == "summary" and len(words) == 3:
        for flag, value in (("--guide", args.guide), ("--minutes", args.minutes)):
            if value is not None:
                raise InvalidInput(flag, "is not used by 'interview summary'", "leave it out")
        return cmd_interview_summary(args, Path(words[1]), words[2])
    if len(words) != 2:
        raise InvalidInput("interview", f"expected PROJECT SESSION, got {len(words)} argument(s)",
                           "see 'interviewkit interview --help'")
    if args.output is not None or args.force:
        raise InvalidInput("-o" if args.output is not None else "--force", "only 'interview summary' writes a file",
                           "use 'interviewkit interview summary PROJECT SESSION -o FILE.md'")
    return cmd_interview_run(args, Path(words[0]), words[1])


def cmd_interview_run(args: argparse.Namespace, root: Path, session_id: str) -> int:
    from interviewkit.cli.unlock import open_project
    from interviewkit.errors import InvalidInput
    from interviewkit.i18n import resolve_language
    from interviewkit.interview import resolve_guide
    from interviewkit.sessions import get_session

    if args.minutes is not None and not 0 < args.minutes < 24 * 60:
        raise InvalidInput("--minutes", f"'{args.minutes:g}' is not a session length", "give minutes, e.g. 60")
    language = resolve_language(args.lang)
    guide = resolve_guide(args.guide) if args.guide else None  # a bad guide fails here, before the passphrase
    project = open_project(root, args.identity)
    session = get_session(project, session_id)
    from interviewkit.tui.screens.interview import run_interview_tui

    run_interview_tui(project, session, guide=guide, planned_minutes=args.minutes, language=language)
    return 0


def cmd_interview_summary(args: argparse.Namespace, root: Path, session_id: str) -> int:
    from interviewkit.cli.unlock import open_project
    from interviewkit.errors import InvalidInput, NotFound
    from interviewkit.export.output import check_output, save_file
    from interviewkit.i18n import resolve_language
    from interviewkit.interview import load_run, log_interview, summary, summary_markdown
    from interviewkit.sessions import get_session

    language = resolve_language(args.lang)
    if args.output is not None:
        check_output([args.output], args.force)  # before the project is opened (and again when written)
    elif args.force:
        raise InvalidInput("--force", "only with -o", "leave it out, or give -o FILE.md")
    project = open_project(root, args.identity)
    session = get_session(project, session_id)
    run = load_run(project, session)
    if run is None:
        raise NotFound(session_id, "no interview has been run in this session yet",
                       f"start one with 'interviewkit interview {root} {session_id} --guide FILE'")
    text = summary_markdown(summary(run), language)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    # The user asked for a plaintext copy: write it atomically, and record the fact (not the content).
    save_file(args.output, text.encode("utf-8"), args.force)
    log_interview(project, session, "interview.summary-export", {"notes": len(run.notes)})
    print(f"Wrote the summary of {session_id} to {args.output} — this file is NOT encrypted; "
          "keep it safe and delete it when done")
    return 0
