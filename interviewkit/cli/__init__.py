"""The `interviewkit` command: the CLI for scripting, and the door into the TUI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from interviewkit import __version__, consent, recipients, sessions, study
from interviewkit.cli import (
    anonymise_commands,
    archive_commands,
    audio_commands,
    commands,
    edit_commands,
    export_commands,
    guide_commands,
    interview_commands,
    record_commands,
    transcribe_commands,
    transcript_commands,
)
from interviewkit.cli.args import identity_arg, project_args
from interviewkit.errors import InterviewkitError


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2, like every other user error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} — see '{self.prog} --help'\n")


def _group(sub, name: str, help_text: str) -> argparse._SubParsersAction:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    return parser.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND", parser_class=Parser)


def build_parser() -> Parser:
    parser = Parser(prog="interviewkit", description="A terminal toolkit for research interviews. "
                    "With no command, opens the TUI. Unlock with INTERVIEWKIT_PASSPHRASE, --identity FILE or a prompt.")
    parser.add_argument("--version", action="version", version=f"interviewkit {__version__}")
    parser.set_defaults(handler=commands.cmd_tui, project=None, identity=None, lang=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("init", help="create a project (one study)", description="Create an encrypted project.")
    p.add_argument("dir", type=Path, metavar="DIR")
    p.add_argument("--title", required=True)
    p.add_argument("--institution", default="", help="responsible institution")
    p.add_argument("--responsible", default="", help="project leader or supervisor")
    p.add_argument("--sikt", action="append", default=[], metavar="REF", help="Sikt/NSD reference (repeatable)")
    p.add_argument("--amendment", action="append", default=[], metavar="REF", help="Sikt amendment reference")
    p.add_argument("--rek", action="append", default=[], metavar="REF", help="REK decision reference")
    p.add_argument("--legal-basis", default="consent", choices=study.LEGAL_BASES)
    p.add_argument("--end-date", metavar="YYYY-MM-DD", help="project end date")
    p.add_argument("--access", action="append", default=[], metavar="WHO", help="who may access the data")
    p.add_argument("--audio", default="delete-at-end", choices=study.RETENTION_ACTIONS, help="audio at project end")
    p.add_argument("--linkage-key", default="delete-at-end", choices=study.RETENTION_ACTIONS,
                   help="name list at project end")
    p.add_argument("--transcripts", default="anonymise-at-end", choices=study.RETENTION_ACTIONS,
                   help="transcripts at project end")
    p.add_argument("--years-after-end", type=int, help="delete everything this many years after the end date")
    p.add_argument("--language", default="nb", choices=["nb", "nn", "en"], help="the interviews' language")
    p.set_defaults(handler=commands.cmd_init)

    session = _group(sub, "session", "interview sessions")
    p = session.add_parser("add", help="add a session")
    project_args(p)
    p.add_argument("id", metavar="ID", help="session id, e.g. S01 (no names)")
    p.add_argument("--kind", default="individual", choices=sessions.SESSION_KINDS)
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.set_defaults(handler=commands.cmd_session_add)
    p = session.add_parser("list", help="list sessions (first column: the id)")
    project_args(p)
    p.set_defaults(handler=commands.cmd_session_list)
    p = session.add_parser("edit", help="correct a session's id, kind or date (everything attached stays)")
    project_args(p)
    p.add_argument("id", metavar="ID", help="the session's id now")
    p.add_argument("--id", dest="new_id", metavar="NEW", help="the new id (no names)")
    p.add_argument("--kind", choices=sessions.SESSION_KINDS)
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the date ('' clears it)")
    p.set_defaults(handler=commands.cmd_session_edit)
    p = session.add_parser("remove", help="remove a session that has no audio, transcript or interview run")
    project_args(p)
    p.add_argument("id", metavar="ID")
    p.set_defaults(handler=commands.cmd_session_remove)

    participant = _group(sub, "participant", "participants and consent")
    p = participant.add_parser("add", help="add a participant with their consent record")
    project_args(p)
    p.add_argument("--code", required=True, help="code used in the data, e.g. D3 or T1")
    p.add_argument("--name", required=True, help="full name (stored only in the encrypted linkage key)")
    p.add_argument("--contact", default="", help="e-mail or phone (linkage key only)")
    p.add_argument("--role", default="participant", choices=consent.ROLES)
    p.add_argument("--consent", nargs="*", default=[], metavar="ITEM",
                   help=f"consent items given: {', '.join(consent.CONSENT_ITEMS)} or all")
    p.add_argument("--session", action="append", default=[], metavar="ID", help="session the person takes part in")
    p.add_argument("--form-version", default="", help="version of the consent form / information letter")
    p.add_argument("--mode", default="written", choices=consent.CONSENT_MODES)
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date of consent (default: today)")
    p.add_argument("--obtained-by", default="", help="who obtained the consent")
    p.set_defaults(handler=commands.cmd_participant_add)
    p = participant.add_parser("list", help="list participants and consent (first column: the code)")
    project_args(p)
    p.add_argument("--names", action="store_true", help="show names from the linkage key (needs its key)")
    p.set_defaults(handler=commands.cmd_participant_list)
    p = participant.add_parser("withdraw", help="withdraw a participant and erase their personal data")
    project_args(p)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date of withdrawal (default: today)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=commands.cmd_participant_withdraw)
    p = participant.add_parser("edit", help="give or revoke consent items, change role, sessions, name or contact")
    project_args(p)
    p.add_argument("code", metavar="CODE")
    items = f"{', '.join(consent.CONSENT_ITEMS)} or all"
    p.add_argument("--give", nargs="+", action="extend", default=[], metavar="ITEM",
                   help=f"consent items given: {items}")
    p.add_argument("--revoke", nargs="+", action="extend", default=[], metavar="ITEM",
                   help="consent items revoked (revoking audio stops a running recording)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="when the consent was given or revoked (default: today)")
    p.add_argument("--role", choices=consent.ROLES)
    p.add_argument("--add-session", nargs="+", action="extend", default=[], metavar="ID",
                   help="sessions the person takes part in too")
    p.add_argument("--remove-session", nargs="+", action="extend", default=[], metavar="ID",
                   help="sessions the person is not in after all (only while nothing is recorded)")
    p.add_argument("--name", help="the full name (stored only in the encrypted linkage key)")
    p.add_argument("--contact", help="e-mail or phone (linkage key only; '' clears it)")
    p.set_defaults(handler=commands.cmd_participant_edit)
    p = participant.add_parser("history", help="when each consent item was given or revoked, and who recorded it")
    project_args(p)
    p.add_argument("code", metavar="CODE")
    p.set_defaults(handler=commands.cmd_participant_history)

    keys = _group(sub, "keys", "who can decrypt the project")
    p = keys.add_parser("add-recipient", help="add an age public key and re-encrypt every file")
    project_args(p)
    p.add_argument("key", metavar="AGE_PUBLIC_KEY")
    p.add_argument("--scope", default="data", choices=recipients.SCOPES,
                   help="data files, the linkage key (names), or all (default: data)")
    p.set_defaults(handler=commands.cmd_keys_add)
    p = keys.add_parser("remove-recipient", help="remove an age public key and re-encrypt every file")
    project_args(p)
    p.add_argument("key", metavar="AGE_PUBLIC_KEY")
    p.set_defaults(handler=commands.cmd_keys_remove)
    p = keys.add_parser("list", help="list recipients")
    project_args(p)
    p.set_defaults(handler=commands.cmd_keys_list)
    p = keys.add_parser("resume", help="finish a change of recipients that was cut short (kill, full disk)")
    project_args(p)
    p.set_defaults(handler=commands.cmd_keys_resume)

    audit = _group(sub, "audit", "the signed, hash-chained audit log")
    p = audit.add_parser("verify", help="check the chain, the signatures and the recorded head")
    project_args(p)
    p.add_argument("--since", type=int, metavar="WRITE",
                   help="the signed write number you noted last time: fail if the project is older (rolled back)")
    p.set_defaults(handler=commands.cmd_audit_verify)
    p = audit.add_parser("show", help="list the entries (ids and actions, never content)")
    project_args(p)
    p.set_defaults(handler=commands.cmd_audit_show)

    p = sub.add_parser("tui", help="open the TUI (the default with no command)")
    p.add_argument("project", type=Path, nargs="?", metavar="PROJECT")
    identity_arg(p)
    p.add_argument("--lang", choices=["en", "nb"], help="user-interface language")
    p.set_defaults(handler=commands.cmd_tui)

    p = sub.add_parser("demo", help="open the TUI on a throw-away demo project")
    p.add_argument("--create", type=Path, metavar="DIR", help="only create the demo project in DIR and exit")
    p.add_argument("--lang", choices=["en", "nb"], help="user-interface language")
    p.set_defaults(handler=commands.cmd_demo)

    guide_commands.register(sub)
    interview_commands.register(sub)
    record_commands.register(sub)
    audio_commands.register(sub)
    transcribe_commands.register(sub)
    edit_commands.register(sub)
    transcript_commands.register(sub)
    anonymise_commands.register(sub)
    export_commands.register(sub)
    archive_commands.register(sub)

    p = sub.add_parser("doctor", help="check which system packages are installed")
    p.set_defaults(handler=commands.cmd_doctor)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except InterviewkitError as error:
        print(f"interviewkit: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # the environment failed us (disk, permissions): still one line, no traceback
        where = error.filename or "interviewkit"
        print(f"interviewkit: {where}: {error.strerror or error} — check the disk and permissions, then try again; "
              "the last saved state is intact", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interviewkit: interrupted; the last saved state is intact", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
