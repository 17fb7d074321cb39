"""The attack on withdrawal: Kari Nordmann is named all over the project (someone else's
transcript, its revisions, machine transcriptions with their live and progress checkpoints, group
interview notes, a reviewer's terms, the pseudonym map, the vocabulary, a placeholder value and a
speaker display name); she withdraws; then every file is decrypted with the stock ``age`` tool
and searched for "Kari" and "Nordmann": nothing may be found."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from interviewkit import consent, sessions
from interviewkit.anonymise.review import add_term, analyse_session
from interviewkit.archive.erasure import GAP, MENTION, find_name, name_forms, withdraw
from interviewkit.audio.store import TakeWriter, list_takes
from interviewkit.guides.shipped import shipped_guide
from interviewkit.interview import ManualClock, new_run, resolve_guide, save_run
from interviewkit.placeholders import set_placeholder_values, set_vocabulary
from interviewkit.project import Credentials, Project
from interviewkit.transcribe.result import Segment as MachineSegment
from interviewkit.transcribe.result import Transcription, Word
from interviewkit.transcribe.store import Checkpoint, save_checkpoint, save_transcription
from interviewkit.transcript.model import Segment, Transcript
from interviewkit.transcript.store import list_revisions, load_revision, open_transcript, save_transcript
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("age") is None, reason="needs the age tool (apt-get install age)")

SECRETS = (b"kari", b"nordmann")  # searched case-insensitively, as substrings: stricter than the eraser
KEPT = "Eksempelby"  # a place in the vocabulary and a placeholder: not hers, it stays


def _take(project: Project, session_id: str) -> str:
    writer = TakeWriter.create(project, session_id, source="microphone")
    t = np.arange(16000 * 2) / 16000
    writer.append((np.sin(2 * np.pi * 220 * t) * 8000).astype("<i2").tobytes())
    return writer.close().id


def _machine(text: str) -> Transcription:
    words = [Word(0.1 * i, 0.1 * i + 0.1, f" {w}", 0.9) for i, w in enumerate(text.split())]
    return Transcription([MachineSegment(0.0, 2.0, f" {text}", words)], "no", 2.0, "faster-whisper", "large-v3",
                         {"vocabulary": ["Nordmann", KEPT]})


def _named_everywhere(project: Project) -> None:
    """The attacker's project: Kari Nordmann (D1) in every place a name can hide."""
    for session_id, kind in (("S01", "individual"), ("S02", "individual"), ("G01", "group")):
        sessions.add_session(project, session_id, kind=kind, date="2026-11-02")
    consent.add_participant(project, "I", "Ida Intervjuer", role="interviewer", consent_items=["all"],
                            sessions=["S01", "S02", "G01"])
    consent.add_participant(project, "D1", "Kari Nordmann", consent_items=["all"], sessions=["S01", "G01"],
                            contact="kn@example.org")
    consent.add_participant(project, "D2", "Ola Hansen", consent_items=["all"], sessions=["S02"])
    consent.add_participant(project, "D3", "Siri Berg", consent_items=["all"], sessions=["G01"])
    set_vocabulary(project, ["Nordmann", KEPT])
    set_placeholder_values(project, {"rektor": "Kari Nordmann", "municipality": KEPT})

    own = project.index.find_session("S01")  # her own interview
    take = _take(project, "S01")
    save_transcript(project, own, Transcript([Segment("o1", take, 0.0, 2.0, "Jeg heter Kari Nordmann.", "D1")],
                                             {"D1": "Kari"}, "no"))

    other = project.index.find_session("S02")  # Ola's interview: he talks about her
    take = _take(project, "S02")
    transcript = Transcript([
        Segment("a1", take, 0.0, 1.0, "Jeg snakket med Kari Nordmann i går.", "D2",
                [Word(0.0, 0.2, " Jeg", 0.9), Word(0.5, 0.7, " Kari", 0.9), Word(0.7, 0.9, " Nordmann", 0.9)]),
        Segment("a2", take, 1.0, 2.0, "Karis datter og NORDMANN-familien bor i Eksempelby.", "D2")],
        {"D2": "Ola Hansen", "G": "Kari Nordmann"}, "no")  # she sat in for a moment
    save_transcript(project, other, transcript, revision=True)
    transcript.segments[1].text += " Kari’s hus er gult."
    save_transcript(project, other, transcript, revision=True)
    save_transcription(project, other, take, _machine("jeg snakket med kari nordmann i går"))
    save_transcription(project, other, take, _machine("jeg snakket med kari"), kind="live")
    save_checkpoint(project, other, Checkpoint(take, "faster-whisper", "large-v3", {"vocabulary": ["Nordmann"]},
                                               "no", 1, 16000, _machine("kari nordmann sa").segments))

    group = project.index.find_session("G01")  # the group: her turns, a mention, the notes
    take = _take(project, "G01")
    save_transcript(project, group, Transcript([
        Segment("g1", take, 0.0, 1.0, "Velkommen alle sammen.", "I"),
        Segment("g2", take, 1.0, 2.0, "Jeg er enig, sa jeg.", "D1"),
        Segment("g3", take, 1.5, 2.0, "Som kari sa: ventetiden er for lang.", "D3")],
        {"D1": "Kari N.", "D3": "Siri"}, "no"), revision=True)
    clock = ManualClock(start=dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC))
    loaded = resolve_guide(shipped_guide("demo"))
    run = new_run(project, group, loaded.guide, record=loaded.record, clock=clock)  # the placeholders go in too
    run.start()
    run.add_note("Kari Nordmann nikker når ventetiden nevnes; Siri er uenig", kind="body-language")
    save_run(project, group, run)

    add_term(project, "person", "Kari Nordmann")
    add_term(project, "workplace", "Karis kafé")
    add_term(project, "place", KEPT)
    found = analyse_session(project, other)  # the pseudonym map ties her name (and forms) to D1
    assert any(e.code == "D1" for e in found.map.entities.values())


@pytest.fixture
def attacked(project: Project, tmp_path: Path) -> tuple[Project, Path]:
    """The project, and its identity in a key file for the stock age tool (it opens every file)."""
    _named_everywhere(project)
    key = tmp_path / "project-key.txt"
    key.write_text(f"{project.keyring.project_identity}\n")
    return project, key


def _age_hits(root: Path, key: Path) -> tuple[int, list[str]]:
    """Decrypt every file with the stock age tool (plain files read as they are) and grep."""
    hits, opened = [], 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.relative_to(root).as_posix() == "keys/identity.age":  # passphrase-wrapped: the key itself
            continue
        if path.suffix == ".age":
            result = subprocess.run(["age", "-d", "-i", str(key), str(path)], capture_output=True)
            assert result.returncode == 0, (path, result.stderr)
            plaintext, opened = result.stdout, opened + 1
        else:
            plaintext = path.read_bytes()
        text = plaintext.lower()
        try:  # JSON may hold letters as \u escapes
            text += json.dumps(json.loads(plaintext), ensure_ascii=False).lower().encode()
        except ValueError:
            pass
        hits += [f"{path.relative_to(root)} ({secret.decode()})" for secret in SECRETS
                 if secret in text or secret.decode() in path.name.lower()]
    return opened, hits


def test_before_withdrawal_the_attack_finds_her_everywhere(attacked):
    project, key = attacked
    _, hits = _age_hits(project.root, key)
    named = {h.split(" (")[0] for h in hits}
    for place in ("linkage.age", "index.age", "interview.age", "transcript.age", "transcript-revisions",
                  ".live.age", ".progress.age"):
        assert any(place in h for h in named), (place, named)
    names = name_forms(project, project.index.find_participant("D1"))
    assert not find_name(project, names).clean


def test_withdrawal_then_stock_age_finds_no_trace_of_her(attacked):
    project, key = attacked
    done = withdraw(project, "D1", date="2026-12-01")
    opened, hits = _age_hits(project.root, key)
    assert opened > 10
    assert hits == []
    assert done.check.clean and done.check.checked == opened and not done.check.unreadable


def test_the_others_data_stays_readable(attacked, reopen_key):
    project, key = attacked
    withdraw(project, "D1")
    project = reopen_key(project.root, key)
    other = project.index.find_session("S02")
    transcript = open_transcript(project, other)
    assert transcript.segments[0].text == f"Jeg snakket med {MENTION['no']} i går."
    assert transcript.segments[0].words == []
    assert transcript.segments[1].text.startswith(f"{MENTION['no']} datter og {MENTION['no']}-familien bor i {KEPT}")
    assert transcript.speakers == {"D2": "Ola Hansen"}
    assert len(list_revisions(project, other)) == 2  # kept, rewritten
    assert all(MENTION["no"] in load_revision(project, other, r.name).segments[0].text
               for r in list_revisions(project, other))
    group = open_transcript(project, project.index.find_session("G01"))
    assert [s.text for s in group.segments] == ["Velkommen alle sammen.", GAP["no"],
                                                f"Som {MENTION['no']} sa: ventetiden er for lang."]
    assert group.speakers == {"D3": "Siri"}
    assert list_takes(project, project.index.find_session("G01"))  # the group's recording stays
    assert not list_takes(project, project.index.find_session("S01"))  # her own is gone
    study = project.index.study
    assert study.vocabulary == [KEPT] and study.placeholders == {"municipality": KEPT}
    state = project.linkage().anonymisation
    assert [t["text"] for t in state["terms"]] == [KEPT]
    assert not any(e["code"] == "D1" for e in state["map"]["entities"].values())


def test_the_audit_entry_counts_kinds_and_names_no_one(attacked, reopen_key):
    project, key = attacked
    withdraw(project, "D1")
    project = reopen_key(project.root, key)
    entries, problems = project.verify_audit()
    assert problems == []
    entry = entries[-1]
    assert entry.action == "participant.withdraw"
    counts = entry.details["counts"]
    assert set(counts) == set(entry.details["erased"])  # the log stores keys sorted
    assert counts["transcript-turns"] == 1 and counts["audio"] == 1 and counts["transcript"] == 1
    assert counts["name-mentions"] >= 8 and counts["speaker-name"] >= 2
    assert counts["machine-transcriptions"] == 3 and counts["interview-notes"] == 1
    assert counts["transcript-revisions"] >= 3  # her own session's (none), the group's (1), Ola's (2)
    assert counts["anonymisation-terms"] == 2 and counts["vocabulary"] == 1 and counts["placeholders"] == 1
    assert counts["pseudonym-map"] >= 1
    text = json.dumps([e.details for e in entries]).lower()
    assert "kari" not in text and "nordmann" not in text


def test_the_check_names_the_file_where_the_name_is_left(attacked):
    project, _ = attacked
    names = name_forms(project, project.index.find_participant("D1"))
    withdraw(project, "D1")
    session = project.index.find_session("S02")
    project.save_session_file(session, "editor-place.age", "NORDMANNS notat".encode("utf-16-le"))
    project.save_session_file(session, "note.age", json.dumps({"x": "Kåre og Kari"}).encode())  # \u-escaped å
    check = find_name(project, names)
    assert check.found == (f"sessions/{session.key}/editor-place.age", f"sessions/{session.key}/note.age")


def test_the_cli_reports_the_check(attacked, cli_env):
    project, key = attacked
    env = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"}
    result = run_cli(["participant", "withdraw", str(project.root), "D1", "--yes", "--identity", str(key)], env)
    assert "no trace of it is left" in result.stdout
    assert "Kari" not in result.stdout + result.stderr


@pytest.fixture
def reopen_key():
    return lambda root, key: Project.open(root, Credentials(identity_files=[key]))


def test_the_cli_names_the_files_it_could_not_clean(attacked, cli_env):
    """The study title is not erased (a study field): the check finds her there and says where."""
    project, key = attacked
    with project.writing():
        project.index.study.title = "Skolen til Kari Nordmann"
    env = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"}
    result = run_cli(["participant", "withdraw", str(project.root), "D1", "--yes", "--identity", str(key)], env,
                     check=False)
    assert result.returncode == 1, result.stderr
    assert "still found in 1." in result.stdout
    assert result.stderr.count("\n") == 1 and "index.age" in result.stderr and "Traceback" not in result.stderr
    assert "Kari" not in result.stdout + result.stderr
