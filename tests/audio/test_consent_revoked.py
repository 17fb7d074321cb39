"""Revoking audio consent stops a running recording: at once in this process (the consent
change is announced to the recorder), at the next segment in another program (the writer
reads the index again after each segment).  What was recorded before is kept."""

from __future__ import annotations

import time

import pytest

from interviewkit import consent
from interviewkit.audio.consent_gate import ConsentRevoked
from interviewkit.audio.recorder import Recorder
from interviewkit.audio.store import list_takes
from interviewkit.consent import ParticipantEdit
from tests.audio.test_record import wait_for
from tests.audio.test_record_cli import env, open_project, start_recording  # noqa: F401
from tests.conftest import run_cli


@pytest.fixture
def device(virtual_audio):
    virtual_audio.stop_players()
    yield virtual_audio
    virtual_audio.stop_players()


def test_revoking_audio_consent_in_this_process_stops_at_once(device, recording_project) -> None:
    session = recording_project.index.find_session("S01")
    rec = Recorder(recording_project, session, device=device.input_device, segment_seconds=30.0)
    rec.start()
    wait_for(lambda: rec.elapsed > 0.5)
    consent.edit_participant(recording_project, "D1", ParticipantEdit(revoke=["audio"]))
    # Stopped before the edit returned: no more audio is taken.
    assert isinstance(rec.failure, ConsentRevoked) and rec.state == "failed"
    at_revocation = rec.elapsed
    time.sleep(0.5)
    assert rec.elapsed == at_revocation
    take = rec.stop()
    assert str(rec.failure) == ("session S01: D1 has not consented to audio recording, so the recording stopped — "
                                "the take up to now is kept; record again when everyone in the session consents "
                                "to audio recording")
    assert "Kari" not in str(rec.failure)
    assert take.complete and 0.4 < take.duration_seconds <= at_revocation + 0.01
    assert [t.id for t in list_takes(recording_project, session)] == [take.id]
    with pytest.raises(Exception, match="D1 has not consented"):
        Recorder(recording_project, session, device=device.input_device).start()


def test_revoking_in_another_program_stops_at_the_next_segment(device, env, recording_project,  # noqa: F811
                                                               recording_root, recording_key) -> None:
    session = recording_project.index.find_session("S01")
    rec = Recorder(recording_project, session, device=device.input_device, segment_seconds=1.0)
    rec.start()
    wait_for(lambda: rec.elapsed > 0.5)
    run_cli(["participant", "edit", str(recording_root), "D1", "--revoke", "audio", "-i", str(recording_key)], env)
    revoked = rec.elapsed
    wait_for(lambda: rec.failure is not None, seconds=5.0)
    assert isinstance(rec.failure, ConsentRevoked)
    take = rec.stop()
    assert take.duration_seconds <= revoked + 1.5  # at most one segment more


def test_a_recording_cli_process_stops_with_one_line(env, recording_root, recording_key,  # noqa: F811
                                                     recording_project) -> None:
    process, line = start_recording(recording_root, recording_key, env, "--seconds", "60")
    take_id = line.split()[2]
    time.sleep(1.0)
    consent.edit_participant(recording_project, "D1", ParticipantEdit(revoke=["audio"]))
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2, err
    lines = err.strip().splitlines()
    assert lines[-1] == ("interviewkit: session S01: D1 has not consented to audio recording, so the recording "
                         "stopped — the take up to now is kept; record again when everyone in the session "
                         "consents to audio recording")
    assert "Traceback" not in err
    assert f"Take {take_id}: " in out and "kept" in out
