"""Where each session stands (``interviewkit.session_state``), on the real demo project: the
interview run, the audio, the transcript, the anonymisation review and the last export; the
CLI's ``session list`` shows the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pyrage import x25519

from interviewkit import recipients
from interviewkit.anonymise import review
from interviewkit.export.selection import build_export, log_export
from interviewkit.project import Credentials, Project
from interviewkit.session_state import LastExport, SessionState, session_states
from interviewkit.transcript.store import open_transcript, save_transcript
from tests.anonymise.test_review import give_transcript
from tests.conftest import run_cli

NAMES = ["Kari Demo her. Jeg bor i Eksempelby.", "Hun heter Kari, sa Torbjørn Flatås."]


def test_the_demo_project_as_it_is_made(demo_project: Project) -> None:
    states = session_states(demo_project)
    assert list(states) == ["S01", "G01", "S02"]
    assert states["S01"] == SessionState("S01", "not-started", 0, 0.0, "none", 0.0, "none", 0, None)
    assert states["G01"] == SessionState("G01", "not-started", 0, 0.0, "none", 0.0, "none", 0, None)
    s02 = states["S02"]
    assert (s02.interview, s02.takes, s02.transcript, s02.checked_percent) == ("not-started", 1, "machine", 0)
    assert 90 < s02.audio_seconds < 95 and s02.audio_length == "1:32"
    assert (s02.review, s02.review_open, s02.last_export) == ("done", 0, None)  # the English sample names nobody


def test_an_edited_transcript_with_names_waits_for_review_until_decided(demo_project: Project) -> None:
    give_transcript(demo_project, "S01", NAMES)
    state = session_states(demo_project)["S01"]
    assert (state.transcript, state.review) == ("edited", "pending")
    found = review.analyse_session(demo_project, demo_project.index.find_session("S01"))
    assert state.review_open == found.unresolved > 0
    review.decide(demo_project, found.session, [entity.id for entity, _ in found.groups()], "accepted")
    assert (session_states(demo_project)["S01"].review, session_states(demo_project)["S01"].review_open) == ("done", 0)


def test_checked_share_follows_the_transcript(demo_project: Project) -> None:
    session = demo_project.index.find_session("S02")
    transcript = open_transcript(demo_project, session)
    half = len(transcript.segments) // 2
    for segment in transcript.segments[:half]:
        segment.checked = True
    save_transcript(demo_project, session, transcript)
    state = session_states(demo_project)["S02"]
    assert state.transcript == "edited"
    assert state.checked == transcript.checked_fraction and 0 < state.checked_percent < 100


def test_interview_run_started_and_ended(demo_project: Project) -> None:
    from interviewkit.interview import ManualClock, new_run, record_end, record_start, resolve_guide

    session = demo_project.index.find_session("G01")
    loaded = resolve_guide("demo")
    clock = ManualClock(start=dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.timezone.utc))
    run = new_run(demo_project, session, loaded.guide, record=loaded.record, clock=clock)
    run.start()
    record_start(demo_project, session, run)
    assert session_states(demo_project)["G01"].interview == "in-progress"
    clock.advance(600)
    run.end()
    record_end(demo_project, session, run)
    assert session_states(demo_project)["G01"].interview == "ended"
    assert session_states(demo_project)["S01"].interview == "not-started"


def test_last_export_is_the_newest_that_included_the_session(demo_project: Project) -> None:
    log_export(demo_project, build_export(demo_project, sessions=["S02"], unreviewed_ok=True), "txt", encrypted=False)
    log_export(demo_project, build_export(demo_project, sessions=["S02"], unreviewed_ok=True), "qdpx", encrypted=True)
    states = session_states(demo_project)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert states["S02"].last_export == LastExport(today, "qdpx")
    assert states["S01"].last_export is None


def test_reading_the_state_writes_nothing(demo_project: Project) -> None:
    give_transcript(demo_project, "S01", NAMES)  # new entities: an analysis that persisted would save them
    before = {p: p.read_bytes() for p in demo_project.root.rglob("*") if p.is_file()}
    session_states(demo_project)
    after = {p: p.read_bytes() for p in demo_project.root.rglob("*") if p.is_file()}
    assert after == before


def test_without_the_linkage_key_the_review_is_unknown(demo_project: Project, demo_root: Path, tmp_path: Path) -> None:
    give_transcript(demo_project, "S01", NAMES)
    steward = x25519.Identity.generate()
    recipients.add_recipient(demo_project, str(steward.to_public()), scope="data")
    key_file = tmp_path / "steward.txt"
    key_file.write_text(f"{steward}\n")
    states = session_states(Project.open(demo_root, Credentials(identity_files=[key_file])))
    assert (states["S01"].transcript, states["S01"].review) == ("edited", "no-access")
    assert states["G01"].review == "none"  # nothing to review there anyway


def test_cli_session_list_shows_the_same_columns(demo_project: Project, demo_key: Path, cli_env) -> None:
    give_transcript(demo_project, "S01", NAMES)
    open_count = session_states(demo_project)["S01"].review_open
    env = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"}  # the demo's key opens it
    out = run_cli(["session", "list", str(demo_project.root), "--identity", str(demo_key)], env).stdout
    header, *rows = out.splitlines()
    assert header.split() == ["SESSION", "INTERVIEW", "AUDIO", "TRANSCRIPT", "CHECKED", "ANONYMISATION",
                              "LAST-EXPORT", "KIND", "DATE", "PARTICIPANTS"]
    by_id = {row.split()[0]: row for row in rows}
    assert by_id["S01"].split()[:6] == ["S01", "not-started", "none", "edited", "0%", "pending"]
    assert f"({open_count} open)" in by_id["S01"]
    assert by_id["S02"].split()[:8] == ["S02", "not-started", "1", "take,", "1:32", "machine", "0%", "done"]
    assert by_id["G01"].split()[:7] == ["G01", "not-started", "none", "none", "-", "none", "never"]
