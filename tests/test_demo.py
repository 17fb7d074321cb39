"""The demo project shows everything the product can do so far."""

from interviewkit.demo import DEMO_PASSPHRASE, create_demo
from interviewkit.interview import load_run, summary
from interviewkit.project import Credentials, Project


def test_demo_project_has_study_people_consent_and_an_interview(tmp_path):
    create_demo(tmp_path / "demo")
    project = Project.open(tmp_path / "demo", Credentials(passphrase=DEMO_PASSPHRASE))
    index = project.index
    assert index.study.placeholders == {"municipality": "Eksempelby"}
    assert [s.id for s in index.sessions] == ["S01", "G01", "S02"]
    assert {p.code: p.status for p in index.participants}["D5"] == "withdrawn"
    run = load_run(project, index.find_session("S01"))
    assert run is not None and run.record.title.startswith("Demo")
    result = summary(run)
    assert (result.counts["asked"], result.counts["skipped"]) == (2, 1)
    assert result.total_seconds == 9 * 60
    assert len(run.notes) == 2
    assert "Eksempelby" in run.text(run.find("kontakt")[1].text)
    assert project.verify_audit()[1] == []
    assert load_run(project, index.find_session("G01")) is None


def test_demo_session_s02_has_real_speech_and_its_transcription(tmp_path):
    from interviewkit.audio.reader import read_audio
    from interviewkit.audio.store import list_takes
    from interviewkit.transcribe.store import load_transcription

    project = create_demo(tmp_path / "demo", interview=False)
    session = project.index.find_session("S02")
    [take] = list_takes(project, session)
    assert 90 < take.duration_seconds < 95
    audio = read_audio(project, session)
    assert float(abs(audio).max()) > 0.1  # speech, not silence
    transcription = load_transcription(project, session, take.id)
    assert transcription is not None and transcription.language == "en"
    assert "youth club" in transcription.text
    assert transcription.segments[-1].end <= take.duration_seconds
