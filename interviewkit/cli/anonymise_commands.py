"""`interviewkit anonymise`: names, places and other identifiers found and replaced.

    interviewkit anonymise FILE [--names NAMES.txt] [--language no|nb|nn|en] [--format text|json]
                           [--convention labels|generic|pseudonyms] [--ner]
    interviewkit anonymise PROJECT SESSION [--list] [--accept ID …] [--reject ID …] [--ask ID …]
                           [--accept-all] [--label ID=LABEL] [--add TYPE:TERM] [--convention C]
                           [--unreviewed] [--format text|json] [--ner] [--identity FILE]

    interviewkit linkage destroy PROJECT [--unreviewed-ok] [--yes] [--identity FILE]

A plain file is read, anonymised and written to stdout (the input was plain text already).  In a
project the de-identified transcript is printed only once every detection is reviewed (or with
--unreviewed); decisions are saved in the linkage key and apply in every session.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from interviewkit.cli.args import identity_arg
from interviewkit.cli.output import table
from interviewkit.errors import InvalidInput, NotAProject

LANGUAGES = ("no", "nb", "nn", "en")


def register(sub: argparse._SubParsersAction) -> None:
    text = ("Find names, places and other identifiers and replace them: in a plain text file (stdout), or in a "
            "project session's transcript, where every decision is reviewed and kept in the linkage key.")
    p = sub.add_parser("anonymise", aliases=["anonymize"], help="find and replace names, places and other identifiers",
                       description=text)
    p.add_argument("target", type=Path, metavar="FILE|PROJECT", help="a UTF-8 text file, or a project folder")
    p.add_argument("session", nargs="?", metavar="SESSION", help="the session (with a project)")
    p.add_argument("--names", type=Path, metavar="NAMES.txt", help="known names, one a line ('kommune: Levanger' "
                   "for other kinds); with a file")
    p.add_argument("--language", choices=LANGUAGES, help="the text's language (default: the project's, or no)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--convention", choices=["labels", "generic", "pseudonyms"],
                   help="[Person 3] / [navn] / realistic pseudonyms (in a project: sets the project's)")
    p.add_argument("--ner", action="store_true", help="also use a spaCy NER pipeline (must be installed)")
    p.add_argument("--list", action="store_true", help="list what was found, by entity, with its decision")
    for status, word in (("accept", "replace"), ("reject", "leave (not an identifier)"),
                         ("ask", "flag for the supervisor")):
        p.add_argument(f"--{status}", action="append", default=[], metavar="ID",
                       help=f"{word}: an entity id from --list (every occurrence in the project)")
    p.add_argument("--accept-all", action="store_true", help="accept every pending detection of the session")
    p.add_argument("--label", action="append", default=[], metavar="ID=LABEL", help="give an entity another label")
    p.add_argument("--add", action="append", default=[], metavar="TYPE:TERM",
                   help="a missed identifier, found from now on in every session (e.g. person:Ola Vik)")
    p.add_argument("--unreviewed", action="store_true", help="print the de-identified text before review is done")
    identity_arg(p)
    p.set_defaults(handler=cmd_anonymise)

    text = ("The linkage key (names, contacts, the pseudonym map). 'destroy' at project end replaces every "
            "transcript by its de-identified version, removes revisions and machine transcriptions, and empties "
            "the key: pseudonymised data becomes anonymous. Audio is left for the retention policy.")
    p = sub.add_parser("linkage", help="the linkage key: destroy it at project end", description=text)
    group = p.add_subparsers(dest="linkage_command", required=True, metavar="COMMAND", parser_class=type(p))
    d = group.add_parser("destroy", help="destroy the linkage key (cannot be undone)", description=text)
    d.add_argument("project", type=Path, metavar="PROJECT", help="the project folder")
    d.add_argument("--unreviewed-ok", action="store_true", help="go ahead though some sessions are not reviewed")
    d.add_argument("--yes", action="store_true", help="do not ask for the typed confirmation")
    identity_arg(d)
    d.set_defaults(handler=cmd_linkage_destroy)


def cmd_linkage_destroy(args: argparse.Namespace) -> int:
    from interviewkit.anonymise.key_destruction import destroy_linkage_key
    from interviewkit.cli.unlock import confirm_typed, interactive, open_project

    project = open_project(args.project, args.identity)
    if not args.yes:
        if not interactive():
            raise InvalidInput("--yes", "destroying the linkage key cannot be undone",
                               "run it in a terminal to confirm, or add --yes")
        word = "destroy"
        if not confirm_typed(word, f"Destroy the linkage key of '{project.index.study.title}'? "
                             f"This cannot be undone. Type {word} to go on: "):
            print("Nothing was destroyed.")
            return 1
    report = destroy_linkage_key(project, unreviewed_ok=args.unreviewed_ok)
    print(f"Linkage key destroyed on {report.date}: {report.participants} participants' names and contacts, "
          f"{report.entities} pseudonym entries; {report.transcripts} transcripts are de-identified now.")
    if report.audio_remaining:
        print(f"Note: {report.audio_remaining / 3600:.2f} h of audio remain; voices identify: delete them as the "
              "retention policy says.")
    return 0


def cmd_anonymise(args: argparse.Namespace) -> int:
    from interviewkit.project import MARKER

    if args.session is not None or (args.target / MARKER).exists():
        if args.session is None:
            raise InvalidInput(args.target, "this is a project: say which session",
                               f"interviewkit anonymise {args.target} SESSION")
        return _project(args)
    return _file(args)


def _file(args: argparse.Namespace) -> int:
    from interviewkit.anonymise.plain import anonymise_text, read_names

    path: Path = args.target
    if path.is_dir():
        raise NotAProject(path, "not a project folder, and not a text file", "give a UTF-8 text file or a project")
    if not path.is_file():
        raise InvalidInput(path, "no such file", "check the path")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(path, f"not UTF-8 text (byte {exc.start})", "save it as UTF-8 and try again") from None
    terms = read_names(args.names) if args.names else []
    result = anonymise_text(text, args.language or "no", terms, args.convention or "labels", args.ner)
    if args.format == "json":
        print(json.dumps({"text": result.text, "replacements": [dataclasses.asdict(r) for r in result.replacements],
                          "warnings": [dataclasses.asdict(w) for w in result.warnings]}, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(result.text)
    return 0


def _project(args: argparse.Namespace) -> int:
    from interviewkit.anonymise import review
    from interviewkit.cli.unlock import open_project
    from interviewkit.sessions import get_session

    project = open_project(args.target, args.identity)
    session = get_session(project, args.session)
    if args.convention:
        review.set_convention(project, args.convention)
    for item in args.add:
        kind, sep, term = item.partition(":")
        if not sep:
            raise InvalidInput("--add", f"'{item}' is not TYPE:TERM", "e.g. --add person:Ola Vik")
        review.add_term(project, kind.strip(), term)
    found = review.analyse_session(project, session, ner=args.ner)
    for status in ("accept", "reject", "ask"):
        if getattr(args, status):
            review.decide(project, session, getattr(args, status), {"accept": "accepted", "reject": "rejected",
                                                                     "ask": "ask"}[status])
    if args.accept_all:
        pending = sorted({o.entity_id for o in found.occurrences if found.status(o) == "pending"})
        if pending:
            review.decide(project, session, pending, "accepted")
    for item in args.label:
        entity_id, sep, label = item.partition("=")
        if not sep:
            raise InvalidInput("--label", f"'{item}' is not ID=LABEL", "e.g. --label person-3=Person 7")
        review.relabel(project, entity_id.strip(), label)
    if args.accept or args.reject or args.ask or args.accept_all or args.label:
        found = review.analyse_session(project, session, ner=args.ner)
    if args.list:
        rows = []
        for entity, occurrences in found.groups():
            forms = sorted({o.text for o in occurrences})
            statuses = {found.status(o) for o in occurrences}
            rows.append([entity.id, entity.type, entity.label, "/".join(sorted(statuses)), len(occurrences),
                         ", ".join(forms)])
        table(["id", "type", "label", "decision", "count", "forms"], rows)
        for index, warning in found.warnings:
            print(f"warning: segment {index + 1}: '{warning.text}': {warning.message}")
        return 0
    if not found.reviewed and not args.unreviewed:
        raise InvalidInput(session.id, f"{found.unresolved} detections are not reviewed yet",
                           "review them in the TUI, or see --list and --accept/--reject/--accept-all "
                           "(--unreviewed prints the text anyway)")
    anonymised = found.anonymised()
    if args.format == "json":
        print(json.dumps(anonymised.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(anonymised.text())
    return 0
