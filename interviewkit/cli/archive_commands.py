"""`interviewkit archive …`: the data steward's desk over a folder of projects.

    interviewkit archive status DIR [--format table|json] [--today DATE] [--identity FILE]
    interviewkit archive verify DIR [--workers N] [--identity FILE]
    interviewkit archive due DIR [--today DATE] [--identity FILE]
    interviewkit archive apply DIR --due [--unreviewed-ok] [--yes] [--today DATE] [--identity FILE]
    interviewkit archive confirm-event PROJECT DATE [--identity FILE]
    interviewkit archive add-recipient DIR AGE_KEY [--scope data|linkage|all] [--identity FILE]
    interviewkit archive remove-recipient DIR AGE_KEY [--identity FILE]
    interviewkit archive rotate-key PROJECT [--identity FILE]          (new passphrase: asked, or
    interviewkit archive resume-rotation PROJECT [--identity FILE]      INTERVIEWKIT_NEW_PASSPHRASE)
    interviewkit archive set-recovery PROJECT AGE_KEY [--identity FILE]
    interviewkit archive recover PROJECT --recovery-key FILE
    interviewkit archive report PROJECT [-o FILE] [--identity FILE]
    interviewkit archive erasure-report PROJECT CODE [-o FILE] [--identity FILE]

The steward unlocks with an age identity file (--identity, repeatable) that the projects were
encrypted to; a project it cannot read is a line in the listing, never a stop.  `apply` carries out
each project's due actions all or none: what the key cannot do (a key of scope data cannot open
the linkage key) is said in the listing, and nothing of that project is deleted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path

from interviewkit.cli.args import identity_arg
from interviewkit.cli.output import progress_printer, table
from interviewkit.errors import InterviewkitError, InvalidInput
from interviewkit.study import parse_date

NEW_PASSPHRASE_ENV = "INTERVIEWKIT_NEW_PASSPHRASE"


def _dir(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="the archive folder (projects inside it)")
    identity_arg(p, "the steward's age identity file (repeatable)")


def _project(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path, metavar="PROJECT", help="the project folder")
    identity_arg(p)


def _today(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", metavar="DATE", help="judge due dates as of this day (YYYY-MM-DD)")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("archive", help="the data steward's desk: status, verify, retention, keys, reports",
                            description=__doc__.split("\n\n")[2] if __doc__ else None)
    group = parser.add_subparsers(dest="archive_command", required=True, metavar="COMMAND", parser_class=type(parser))
    p = group.add_parser("status", help="every project: approvals, end date, consent, recipients, what is left, due")
    _dir(p)
    _today(p)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(handler=cmd_status)
    p = group.add_parser("verify", help="every file decrypts, the audit log holds, the index matches the files")
    _dir(p)
    p.add_argument("--workers", type=int, metavar="N", help="parallel jobs (default: one per CPU)")
    p.set_defaults(handler=cmd_verify)
    p = group.add_parser("due", help="deletions due or overdue under each project's policy")
    _dir(p)
    _today(p)
    p.set_defaults(handler=cmd_due)
    p = group.add_parser("apply", help="carry out what is due (after a typed confirmation)")
    _dir(p)
    _today(p)
    p.add_argument("--due", action="store_true", required=True, help="apply every due action")
    p.add_argument("--unreviewed-ok", action="store_true", help="destroy linkage keys of unreviewed projects too")
    p.add_argument("--yes", action="store_true", help="skip the typed confirmation (scripts)")
    p.set_defaults(handler=cmd_apply)
    p = group.add_parser("confirm-event", help="the event a deletion waits for has happened (e.g. thesis delivered)")
    _project(p)
    p.add_argument("date", metavar="DATE", help="when it happened (YYYY-MM-DD)")
    p.set_defaults(handler=cmd_confirm_event)
    for name, text in (("add-recipient", "add an age key to every project (re-encrypts)"),
                       ("remove-recipient", "remove an age key from every project (re-encrypts)")):
        p = group.add_parser(name, help=text)
        _dir(p)
        p.add_argument("key", metavar="AGE_KEY", help="the age public key (age1…)")
        if name == "add-recipient":
            p.add_argument("--scope", choices=["data", "linkage", "all"], default="data")
        p.set_defaults(handler=cmd_recipients)
    p = group.add_parser("rotate-key", help="a new project key: every file re-encrypted, the old key revoked")
    _project(p)
    p.set_defaults(handler=cmd_rotate)
    p = group.add_parser("resume-rotation", help="finish a key rotation that was cut short")
    _project(p)
    p.set_defaults(handler=cmd_resume_rotation)
    p = group.add_parser("set-recovery", help="a steward recovery key (scope all) for lost passphrases")
    _project(p)
    p.add_argument("key", metavar="AGE_KEY")
    p.set_defaults(handler=cmd_set_recovery)
    p = group.add_parser("recover", help="open with the recovery key and set a new passphrase")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--recovery-key", type=Path, required=True, metavar="FILE", help="the recovery identity file")
    p.set_defaults(handler=cmd_recover)
    p = group.add_parser("report", help="the processing record (Markdown) from the audit log")
    _project(p)
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write it to this file (outside any project)")
    p.add_argument("--force", action="store_true", help="replace the file if it is already there")
    p.set_defaults(handler=cmd_report)
    p = group.add_parser("erasure-report", help="what was erased for a withdrawn participant (no personal data)")
    _project(p)
    p.add_argument("code", metavar="CODE", help="the participant's code, e.g. D3")
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write it to this file (outside any project)")
    p.add_argument("--force", action="store_true", help="replace the file if it is already there")
    p.set_defaults(handler=cmd_erasure_report)


# -- helpers -----------------------------------------------------------------------------------

def _credentials(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from interviewkit.project import Credentials

    if args.identity:
        return Credentials(identity_files=list(args.identity))
    credentials = Credentials.from_env()
    if credentials.empty:
        raise InvalidInput("--identity", "no key to open the projects with",
                           "give the steward's age identity file with --identity FILE")
    return credentials


def _day(args: argparse.Namespace) -> dt.date:
    text = parse_date(getattr(args, "today", None), "--today")
    return dt.date.fromisoformat(text) if text else dt.date.today()


def _new_passphrase(project_path: Path) -> str:
    from interviewkit.cli.unlock import interactive

    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if value is None and interactive():
        value = getpass.getpass(f"New passphrase for {project_path}: ")
        if getpass.getpass("Again: ") != value:
            raise InvalidInput("passphrase", "the two passphrases differ", "type the same one twice")
    if not value:
        raise InvalidInput(NEW_PASSPHRASE_ENV, "no new passphrase", f"set {NEW_PASSPHRASE_ENV} or run in a terminal")
    if len(value) < 8:
        raise InvalidInput(NEW_PASSPHRASE_ENV, "the new passphrase is shorter than 8 characters", "choose a longer one")
    return value


def _check_output(args: argparse.Namespace) -> None:
    """Refuse a bad -o (in a project, or already there without --force) before any work."""
    from interviewkit.export.output import check_output

    if args.output is not None:
        check_output([args.output], args.force)


def _write_or_print(text: str, args: argparse.Namespace) -> None:
    if args.output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from interviewkit.export.output import save_file

    save_file(args.output, text.encode(), args.force)
    print(f"wrote {args.output}")


# -- commands ----------------------------------------------------------------------------------

def cmd_status(args: argparse.Namespace) -> int:
    from interviewkit.archive.status import archive_status

    rows = archive_status(args.dir, _credentials(args), _day(args))
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1, default=str))
        return 0
    table(["project", "title", "responsible", "approval", "end", "sessions", "consented/partial/none/withdrawn",
           "audio h", "transcripts", "names", "next"],
          [[r.name, r.problem or r.title, r.responsible, ", ".join(r.approvals) or "MISSING", r.end_date,
            r.sessions, "/".join(str(r.consent.get(k, 0)) for k in ("consented", "partial", "none", "withdrawn")),
            f"{r.audio_hours:.2f}", r.transcripts,
            {True: "yes", False: "destroyed", None: "?"}[r.linkage_holds_names], r.next_action]
           if not r.problem else [r.name, r.problem, "", "", "", "", "", "", "", "", ""] for r in rows])
    for r in rows:
        for warning in r.warnings:
            print(f"warning: {r.name}: {warning}")
        if r.opened:
            keys = ", ".join(f"{k.short}{' (you)' if k.yours else ''}{' [names]' if k.linkage else ''}"
                             for k in r.recipients)
            print(f"recipients: {r.name}: {keys}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from interviewkit.archive.verify import verify_archive

    report = progress_printer("verifying (bytes)")
    results = verify_archive(args.dir, _credentials(args), workers=args.workers, progress=report)
    bad = 0
    for path, problems in results.items():
        print(f"{path}: {'OK' if not problems else f'{len(problems)} problems'}")
        for problem in problems:
            print(f"  {problem.line()}")
        bad += bool(problems)
    print(f"{len(results)} projects, {bad} with problems")
    return 1 if bad else 0


def cmd_due(args: argparse.Namespace) -> int:
    from interviewkit.archive.retention import by_project, due_actions, refusal_of

    problems: list[str] = []
    found = due_actions(args.dir, _credentials(args), _day(args), problems)
    table(["project", "action", "when", "deletes"],
          [[entry.name, action.label, action.when(), action.deletes] for entry, action in found])
    for entry, actions in by_project(found):
        if refusal_of(actions):
            print(f"cannot be carried out: {entry.name}: {refusal_of(actions)} (nothing in this project is deleted)")
    for line in problems:
        print(f"skipped: {line}")
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    from interviewkit.archive.retention import apply_actions, by_project, due_actions, refusal_of
    from interviewkit.cli.unlock import confirm_typed, interactive

    today = _day(args)
    problems: list[str] = []
    found = due_actions(args.dir, _credentials(args), today, problems)
    if not found:
        print("Nothing is due.")
        return 0
    projects = by_project(found)
    for entry, actions in projects:
        for action in actions:
            print(f"{entry.name}: {action.label} ({action.when()}): {action.deletes}")
        if refusal_of(actions):
            print(f"{entry.name}: cannot be carried out: {refusal_of(actions)} — nothing in this project is deleted")
    doable = [(entry, actions) for entry, actions in projects if not refusal_of(actions)]
    if not doable:
        print("Nothing can be carried out with this key: nothing was deleted.")
        return 1
    count = sum(len(actions) for _, actions in doable)
    if not args.yes:
        if not interactive():
            raise InvalidInput("--yes", "deleting cannot be undone", "run it in a terminal to confirm, or add --yes")
        if not confirm_typed("delete", f"Carry out these {count} actions? Type delete to go on: "):
            print("Nothing was deleted.")
            return 1
    failed = len(doable) < len(projects)
    for entry, actions in doable:
        try:  # all of a project's actions or none: its preconditions are checked before the first deletion
            for line in apply_actions(entry.project, actions, today, args.unreviewed_ok):  # type: ignore[arg-type]
                print(f"{entry.name}: {line}")
        except InterviewkitError as error:  # refused, locked by another steward, damaged: the rest go on
            failed = True
            print(f"{entry.name}: not done: {error}")
    return 1 if failed else 0


def cmd_confirm_event(args: argparse.Namespace) -> int:
    from interviewkit.archive.retention import confirm_event
    from interviewkit.cli.unlock import open_project

    project = open_project(args.project, args.identity)
    day = confirm_event(project, parse_date(args.date, "DATE") or "")
    print(f"Event confirmed on {day}: deletions that waited for it are now dated.")
    return 0


def cmd_recipients(args: argparse.Namespace) -> int:
    from interviewkit.archive.rekey import add_recipient_everywhere, remove_recipient_everywhere

    credentials = _credentials(args)
    if args.archive_command == "add-recipient":
        outcomes = add_recipient_everywhere(args.dir, credentials, args.key, args.scope)
    else:
        outcomes = remove_recipient_everywhere(args.dir, credentials, args.key)
    for outcome in outcomes:
        print(outcome.line())
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def cmd_rotate(args: argparse.Namespace) -> int:
    from interviewkit.archive.rekey import rotate_project_key
    from interviewkit.cli.unlock import open_project

    project = open_project(args.project, args.identity)
    result = rotate_project_key(project, _new_passphrase(args.project))
    print(f"New project key {result.new_recipient}; {result.files} files re-encrypted; "
          f"the old key {result.old_recipient} no longer opens anything.")
    return 0


def cmd_resume_rotation(args: argparse.Namespace) -> int:
    from interviewkit.archive.rekey import resume_rotation
    from interviewkit.cli.unlock import open_project

    project = open_project(args.project, args.identity)
    result = resume_rotation(project, os.environ.get(NEW_PASSPHRASE_ENV))
    print("No rotation was pending." if result is None else f"Rotation finished: {result.files} files re-encrypted.")
    return 0


def cmd_set_recovery(args: argparse.Namespace) -> int:
    from interviewkit.archive.rekey import set_recovery_recipient
    from interviewkit.cli.unlock import open_project

    files = set_recovery_recipient(open_project(args.project, args.identity), args.key)
    print(f"Recovery key set; {files} files re-encrypted.")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from interviewkit.archive.rekey import recover_with

    result = recover_with(args.project, args.recovery_key, _new_passphrase(args.project))
    print(f"Recovered: a new passphrase opens the project now (new key {result.new_recipient}).")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from interviewkit.archive.report import processing_record
    from interviewkit.cli.unlock import open_project

    _check_output(args)
    _write_or_print(processing_record(open_project(args.project, args.identity)), args)
    return 0


def cmd_erasure_report(args: argparse.Namespace) -> int:
    from interviewkit.archive.report import erasure_report
    from interviewkit.cli.unlock import open_project

    _check_output(args)
    _write_or_print(erasure_report(open_project(args.project, args.identity), args.code), args)
    return 0
