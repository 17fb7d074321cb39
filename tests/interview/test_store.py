"""The run stored with its session (encrypted), the audit entries, the summary in English and
bokmål, and the `interviewkit interview summary` command."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from interviewkit.cli import main
from interviewkit.errors import NotFound
from interviewkit.interview import (
    RUN_FILE,
    InterviewRun,
    ManualClock,
    SaveQueue,
    load_run,
    new_run,
    record_end,
    record_start,
    save_run,
    summary,
    summary_markdown,
)
from interviewkit.project import Project
from tests.interview.guides import sample_guide

AGE_HEADER = b"age-encryption.org/v1"
SECRET = "Hemmelig observasjon om Kari"


def played(project: Project, clock: ManualClock, session_id: str = "S01") -> InterviewRun:
    """A run part-way through: two questions done, one for later, a note, over budget in theme 1."""
    session = project.index.find_session(session_id)
    run = new_run(project, session, sample_guide(), clock=clock)
    run.start()
    record_start(project, session, run)
    clock.advance(200)
    run.mark_and_advance("asked")
    clock.advance(160)
    run.add_note(SECRET, "observer")
    run.mark_and_advance("skipped")
    clock.advance(50)
    run.mark_and_advance("later")
    save_run(project, session, run)
    return run


def test_saved_encrypted_with_the_session_and_loaded_back(demo: Project, demo_root: Path, reopen, clock) -> None:
    session = demo.index.find_session("S01")
    assert load_run(demo, session) is None
    run = played(demo, clock)
    path = demo.session_path(session, RUN_FILE)
    assert path == demo_root / "sessions" / session.key / "interview.age"
    assert path.read_bytes().startswith(AGE_HEADER)
    loaded = load_run(reopen(demo_root), session, clock)
    assert loaded == run
    assert loaded.record.source == run.record.source  # the guide used, kept forever
    # nothing readable anywhere in the project: not the note, not the guide's questions
    for file in demo_root.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert SECRET.encode() not in data and b"spare time" not in data, file


def test_start_and_end_are_audited_without_content(demo: Project, demo_root: Path, reopen, clock) -> None:
    run = played(demo, clock)
    session = demo.index.find_session("S01")
    run.end()
    record_end(demo, session, run)
    project = reopen(demo_root)
    entries, problems = project.verify_audit()
    assert problems == []
    ours = [e for e in entries if e.action.startswith("interview.")]
    assert [e.action for e in ours] == ["interview.start", "interview.end"]
    assert all(e.target == f"session:{session.key}" for e in ours)
    assert ours[0].details["guide_sha256"] == run.record.sha256
    assert ours[1].details == {"guide_sha256": run.record.sha256, "asked": 1, "skipped": 1, "later": 1, "open": 5,
                               "notes": 1, "seconds": 410}
    assert "Hemmelig" not in str([e.details for e in entries])
    assert load_run(project, session).status == "ended"


def test_new_run_takes_wording_and_placeholders_from_the_project(demo: Project, clock) -> None:
    with demo.writing():
        demo.index.study.placeholders = {"municipality": "Eksempel kommune"}
    group = new_run(demo, demo.index.find_session("G01"), sample_guide(), clock=clock)
    assert group.audience == "group" and group.session_id == "G01"
    assert group.text(group.find("known")[1].text) == "Which services in Eksempel kommune do you all know of?"
    assert new_run(demo, demo.index.find_session("S01"), sample_guide(), clock=clock).audience == "individual"


def test_save_queue_writes_the_newest_snapshot_last() -> None:
    written: list[bytes] = []
    gate = threading.Event()

    def slow_write(data: bytes) -> None:
        if data == b"1":
            gate.wait(5)
        written.append(data)

    queue = SaveQueue(slow_write)
    queue.put(b"1")
    first = threading.Thread(target=queue.flush)
    first.start()
    while queue.pending:  # the first flush has taken snapshot 1
        pass
    queue.put(b"2")
    queue.put(b"3")
    second = threading.Thread(target=queue.flush)
    second.start()
    gate.set()
    first.join(5)
    second.join(5)
    assert written == [b"1", b"3"]
    assert queue.flush() is False

    def failing(data: bytes) -> None:
        raise OSError("disk full")

    broken = SaveQueue(failing)
    broken.put(b"x")
    with pytest.raises(OSError):
        broken.flush()
    assert broken.pending  # kept for the next try


def test_summary_counts_times_and_notes(demo: Project, clock) -> None:
    run = played(demo, clock)
    result = summary(run)
    assert result.counts == {"open": 5, "asked": 1, "skipped": 1, "later": 1}
    assert result.total_seconds == 410 and result.planned_seconds == 1200
    about = result.sections[0]
    assert (about.title, about.seconds, about.budget_seconds, about.over) == ("About you", 360, 300, True)
    assert about.counts == {"open": 0, "asked": 1, "skipped": 1, "later": 0}
    assert [q.id for q in result.open_must] == ["known", "used", "decide", "anything"]
    assert [n.text for n in result.notes] == [SECRET]


def test_summary_markdown_in_english_and_bokmal(demo: Project, clock) -> None:
    result = summary(played(demo, clock))
    english = summary_markdown(result, "en")
    assert english.startswith("# Interview summary: session S01\n")
    for heading in ("## Questions", "## Time per theme", "## Must questions not asked", "## All questions", "## Notes"):
        assert heading in english
    assert "| About you | 06:00 | 05:00 | 1/2 | over budget |" in english
    assert f"- 06:00 [observer] (spare-time): {SECRET}" in english
    assert "- ✓ **background** (must, asked, 03:20): Tell me a little about yourself." in english
    norsk = summary_markdown(result, "nb")
    assert norsk.startswith("# Intervjusammendrag: intervju S01\n")
    for heading in ("## Spørsmål", "## Tid per tema", "## Må-spørsmål som ikke er stilt", "## Notater"):
        assert heading in norsk
    assert "over budsjett" in norsk and "[observatør]" in norsk and "| stilt | hoppet over | senere | åpent |" in norsk


def test_cli_summary_to_stdout_and_to_a_file(demo: Project, demo_root: Path, project_key: Path, clock, reopen,
                                             capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    played(demo, clock)
    assert main(["interview", "summary", str(demo_root), "S01", "--identity", str(project_key), "--lang", "nb"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Intervjusammendrag: intervju S01") and SECRET in out
    target = tmp_path / "out" / "S01.md"
    assert main(["interview", "summary", str(demo_root), "S01", "-i", str(project_key), "-o", str(target)]) == 0
    assert "NOT encrypted" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8").startswith("# Interview summary: session S01")
    assert target.stat().st_mode & 0o077 == 0  # only the owner may read the plaintext copy
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".tmp-")]
    entries, _ = reopen(demo_root).audit_entries()
    assert entries[-1].action == "interview.summary-export" and SECRET not in str(entries[-1].details)


@pytest.mark.parametrize("argv, fragment", [
    (["interview", "summary", "{root}", "G01"], "no interview has been run in this session yet"),
    (["interview", "summary", "{root}", "S09"], "no session 'S09'"),
    (["interview", "{root}"], "expected PROJECT SESSION"),
    (["interview", "{root}", "S01", "-o", "x.md"], "only 'interview summary' writes a file"),
    (["interview", "summary", "{root}", "S01", "--minutes", "5"], "--minutes: is not used"),
    (["interview", "{root}", "S01", "--minutes", "0"], "is not a session length"),
])
def test_cli_errors_are_one_line(argv: list[str], fragment: str, demo_root: Path, project_key: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.replace("{root}", str(demo_root)) for a in argv] + ["-i", str(project_key)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0] and "Traceback" not in err[0]


def test_guides_from_files_and_shipped_names(tmp_path: Path) -> None:
    from interviewkit.interview import resolve_guide, shipped_guide_names

    names = shipped_guide_names()
    assert names
    loaded = resolve_guide(names[0])
    assert loaded.record.source_name == f"{names[0]}.yaml"
    assert loaded.record.title == loaded.guide.info.title
    run = InterviewRun.new(loaded.guide, record=loaded.record, clock=ManualClock())
    again = InterviewRun.from_bytes(run.to_bytes(), ManualClock())
    assert again.record.source == loaded.record.source and again.guide == loaded.guide
    copy = tmp_path / "mine.yaml"
    copy.write_text(loaded.record.source, encoding="utf-8")
    from_file = resolve_guide(str(copy))
    assert from_file.record.sha256 == loaded.record.sha256 and from_file.record.source_name == "mine.yaml"
    with pytest.raises(NotFound):
        resolve_guide("no-such-guide")
    from interviewkit.errors import InvalidInput

    with pytest.raises(InvalidInput):
        resolve_guide(str(tmp_path / "missing" / "guide.yaml"))


def test_loading_needs_the_session_file_only(demo: Project, clock, reopen: Callable[[Path], Project],
                                             demo_root: Path) -> None:
    session = demo.index.find_session("G01")
    run = new_run(demo, session, sample_guide(), clock=clock)
    save_run(demo, session, run)
    (demo_root / "sessions" / session.key / RUN_FILE).write_bytes(b"garbage")
    from interviewkit.errors import VaultCorrupt

    with pytest.raises(VaultCorrupt):
        load_run(reopen(demo_root), session)
