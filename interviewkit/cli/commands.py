"""The handlers behind each CLI command: parse nothing, call the core, print results."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from interviewkit import consent, recipients, sessions
from interviewkit.cli.output import progress_printer, table
from interviewkit.cli.unlock import confirm_typed, credentials_for, interactive, new_passphrase, open_project
from interviewkit.errors import InvalidInput
from interviewkit.project import Project
from interviewkit.study import Approval, DeletionPolicy, StudyInfo


def cmd_init(args: argparse.Namespace) -> int:
    approvals = [Approval("sikt", ref) for ref in args.sikt]
    approvals += [Approval("sikt", ref, note="amendment") for ref in args.amendment]
    approvals += [Approval("rek", ref) for ref in args.rek]
    study = StudyInfo(
        title=args.title, institution=args.institution, responsible=args.responsible,
        legal_basis=args.legal_basis, end_date=args.end_date, approvals=approvals, access=args.access,
        deletion=DeletionPolicy(audio=args.audio, linkage_key=args.linkage_key, transcripts=args.transcripts,
                                years_after_end=args.years_after_end),
        language=args.language,
    )
    project = Project.init(args.dir, study, new_passphrase(args.dir))
    print(f"Created project '{study.title}' in {project.root}")
    print(f"Project public key: {project.index.project_recipient}")
    return 0


def cmd_session_add(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    session = sessions.add_session(project, args.id, kind=args.kind, date=args.date)
    print(f"Added session {session.id}")
    return 0


def cmd_session_list(args: argparse.Namespace) -> int:
    from interviewkit.session_state import session_states

    project = open_project(args.project, args.identity)
    by_id = {p.id: p.code for p in project.index.participants}
    states = session_states(project)
    rows = []
    for s in project.index.sessions:
        state = states[s.id]
        audio = f"{state.takes} take{'s' if state.takes != 1 else ''}, {state.audio_length}" if state.takes else "none"
        checked = f"{state.checked_percent}%" if state.transcript != "none" else "-"
        review = f"pending ({state.review_open} open)" if state.review == "pending" else state.review
        export = f"{state.last_export.date} {state.last_export.format}" if state.last_export else "never"
        rows.append([s.id, state.interview, audio, state.transcript, checked, review, export, s.kind, s.date,
                     " ".join(by_id.get(pid, "?") for pid in s.participants)])
    table(["session", "interview", "audio", "transcript", "checked", "anonymisation", "last-export", "kind", "date",
           "participants"], rows)
    return 0


def cmd_session_edit(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    edit = sessions.SessionEdit()
    if args.new_id is not None:
        edit.id = args.new_id
    if args.kind is not None:
        edit.kind = args.kind
    if args.date is not None:
        edit.date = args.date or None
    session, changed = sessions.edit_session(project, args.id, edit)
    if not changed:
        print(f"Session {session.id}: nothing changed")
        return 0
    parts = []
    if "id" in changed:
        parts.append(f"id {args.id} → {session.id}")
    if "kind" in changed:
        parts.append(f"kind {session.kind}")
    if "date" in changed:
        parts.append(f"date {session.date or 'none'}")
    print(f"Changed session {session.id}: {', '.join(parts)}")
    return 0


def cmd_session_remove(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    session = sessions.remove_session(project, args.id)
    print(f"Removed session {session.id}")
    return 0


def cmd_participant_add(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    participant = consent.add_participant(
        project, args.code, args.name, role=args.role, consent_items=args.consent, contact=args.contact,
        sessions=args.session, form_version=args.form_version, mode=args.mode, date=args.date,
        obtained_by=args.obtained_by)
    given = ", ".join(participant.consent.given()) or "nothing"
    print(f"Added participant {participant.code} ({participant.role}); consent: {given}")
    return 0


def cmd_participant_list(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    names = project.linkage().entries if args.names else {}
    keys = {s.key: s.id for s in project.index.sessions}
    headers = ["code", "role", "status", "sessions", *consent.CONSENT_ITEMS, "withdrawn"]
    if args.names:
        headers.insert(1, "name")
    rows = []
    for p in project.index.participants:
        row = [p.code, p.role, p.status, " ".join(keys.get(k, "?") for k in p.sessions) or "-",
               *("yes" if p.consent.items.get(item) else "no" for item in consent.CONSENT_ITEMS), p.withdrawn]
        if args.names:
            entry = names.get(p.id)
            row.insert(1, entry.name if entry else "-")
        rows.append(row)
    table(headers, rows)
    return 0


def cmd_participant_edit(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    edit = consent.ParticipantEdit(give=args.give, revoke=args.revoke, date=args.date, role=args.role,
                                   add_sessions=args.add_session, remove_sessions=args.remove_session,
                                   name=args.name, contact=args.contact)
    result = consent.edit_participant(project, args.code, edit)
    given = [c.item for c in result.consent if c.given]
    revoked = [c.item for c in result.consent if not c.given]
    parts = ([f"gave {', '.join(given)}"] if given else []) + ([f"revoked {', '.join(revoked)}"] if revoked else [])
    if result.fields:
        parts.append(f"changed {', '.join(result.fields)}")
    print(f"{result.participant.code}: {'; '.join(parts) if parts else 'nothing changed'}"
          f" (consent now: {', '.join(result.participant.consent.given()) or 'nothing'})")
    return 0


def cmd_participant_history(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    participant = consent.get_participant(project, args.code)
    table(["date", "item", "change", "recorded-by", "recorded"],
          [[c.date, c.item, "given" if c.given else "revoked", c.recorded_by, c.recorded]
           for c in participant.consent.history])
    return 0


def cmd_participant_withdraw(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    consent.get_participant(project, args.code)
    if not args.yes and not confirm_typed(args.code, f"This erases {args.code}'s personal data. Type {args.code} to confirm: "):
        raise InvalidInput(args.code, "not confirmed", "nothing was changed; type the code exactly, or pass --yes")
    from interviewkit.archive.erasure import withdraw

    done = withdraw(project, args.code, date=args.date)
    participant, check = done.participant, done.check
    print(f"Withdrew {participant.code} on {participant.withdrawn}: their personal data was erased; "
          f"what exactly: interviewkit archive erasure-report {args.project} {participant.code}")
    print(f"Checked {check.checked} files, decrypted and searched for the name: "
          + ("no trace of it is left." if check.clean else f"still found in {len(check.found)}."))
    if check.unreadable:
        print(f"Not checked (this key cannot open them): {', '.join(check.unreadable)}")
    if not check.clean:
        print(f"{project.root}: the name is still found in {', '.join(check.found)}; remove it there "
              f"(e.g. interviewkit transcript replace) and ask the data steward", file=sys.stderr)
        return 1
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    table(["recipient", "data", "linkage", "note"],
          [[r.key, "yes" if r.data else "no", "yes" if r.linkage else "no", "project key" if r.project_key else ""]
           for r in recipients.list_recipients(project)])
    return 0


def cmd_keys_add(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    count = recipients.add_recipient(project, args.key, scope=args.scope, progress=progress_printer("Re-encrypting"))
    print(f"Added recipient ({args.scope}); re-encrypted {count} files")
    return 0


def cmd_keys_remove(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    count = recipients.remove_recipient(project, args.key, progress=progress_printer("Re-encrypting"))
    print(f"Removed recipient; re-encrypted {count} files")
    return 0


def cmd_keys_resume(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    count = recipients.resume_rewrap(project, progress=progress_printer("Re-encrypting"))
    print(f"Finished the change of recipients; re-encrypted {count} files" if count
          else "No change of recipients was cut short; nothing to do")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    entries, problems = project.verify_audit()
    head = project.signed_head()
    if head is not None and args.since is not None and head.write < args.since:
        print(f"{project.root / 'manifest.age'}: the project's signed state is write {head.write}, older than write "
              f"{args.since} you saw: the whole project was rolled back to an older copy", file=sys.stderr)
        return 1
    if problems:
        for problem in problems:
            print(f"{project.root / 'audit.age'}: {problem}", file=sys.stderr)
        print(f"interviewkit: audit log FAILED: {len(problems)} problem(s) in {len(entries)} entries — "
              "restore audit.age from a backup and report it to the data steward", file=sys.stderr)
        return 1
    print(f"Audit log OK: {len(entries)} entries, hash chain and signatures valid "
          f"(signing key {project.integrity.trusted_key})")
    if head is not None:
        print(f"Signed state: write {head.write}, audit entry {head.entry} ({head.entry_hash[:16]}) — note it; "
              f"'interviewkit audit verify PROJECT --since {head.write}' later shows a rollback to an older copy")
    return 0


def cmd_audit_show(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.identity)
    entries, _ = project.audit_entries()
    table(["seq", "time", "actor", "action", "target"],
          [[e.seq, e.time, e.actor, e.action, e.target] for e in entries])
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    from interviewkit.tui.app import run_tui

    run_tui(args.project, credentials=credentials_for(args.identity), language=args.lang)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from interviewkit.demo import DEMO_PASSPHRASE, create_demo

    if args.create:
        project = create_demo(args.create)
        print(f"Created the demo project in {project.root} (passphrase: {DEMO_PASSPHRASE})")
        return 0
    from interviewkit.tui.app import run_tui

    workdir = Path(tempfile.mkdtemp(prefix="interviewkit-demo-"))
    try:
        if interactive():
            print("Creating the demo project…", file=sys.stderr)
        project = create_demo(workdir / "demo-project")
        run_tui(project.root, project=project, language=args.lang)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from interviewkit.system import check_system

    missing = 0
    for check in check_system():
        state = "ok" if check.found else "MISSING"
        print(f"{state:8} {check.name:12} {check.purpose}" + ("" if check.found else f"  (install: {check.install})"))
        missing += 0 if check.found or not check.required else 1
    return 1 if missing else 0
