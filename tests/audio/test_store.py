"""The encrypted segment store: round trip, crash recovery, corruption, no plaintext on disk."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewkit.audio import store
from interviewkit.audio.store import TakeWriter
from interviewkit.errors import DiskFull, InvalidInput, NotFound, VaultCorrupt
from interviewkit.sessions import add_session
from interviewkit.vault.cipher import write_encrypted
from tests.audio.fast_project import project, project_key  # noqa: F401
from tests.conftest import scan_for

RATE = 16000


def tone(seconds: float, frequency: float = 440.0, rate: int = RATE) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * frequency * t) * 12000).astype("<i2").tobytes()


@pytest.fixture
def session(project):
    return add_session(project, "S01")


def write_take(project, session, pcm: bytes, chunk: int = 3201, **kwargs) -> store.AudioTake:
    writer = TakeWriter.create(project, session, "microphone", **kwargs)
    for i in range(0, len(pcm), chunk):
        writer.append(pcm[i:i + chunk])
    return writer.close()


def test_round_trip_in_segments(project, session):
    pcm = tone(12.3)
    take = write_take(project, session, pcm)
    assert take.complete and take.source == "microphone" and take.rate == RATE and take.channels == 1
    assert [s.frames for s in take.segments] == [80000, 80000, 36800]
    assert take.duration_seconds == pytest.approx(12.3)
    assert store.read_pcm(project, session, take.id) == pcm
    assert store.read_pcm(project, "S01", take, 4.5, 6.25) == pcm[int(4.5 * RATE) * 2:int(6.25 * RATE) * 2]
    [listed] = store.list_takes(project, session)
    assert listed == take
    names = sorted(p.name for p in store.take_dir(project, session, take.id).iterdir())
    assert names == ["index.age", "seg-000001.age", "seg-000002.age", "seg-000003.age"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.floats(0, 13), length=st.one_of(st.none(), st.floats(0, 13)))
def test_read_any_range(project, session, start, length):
    takes = store.list_takes(project, session)
    pcm = tone(11.0, 300)
    take = takes[0] if takes else write_take(project, session, pcm)
    end = None if length is None else start + length
    got = store.read_pcm(project, session, take, start, end)
    lo = min(round(start * RATE), len(pcm) // 2)
    hi = len(pcm) // 2 if end is None else min(len(pcm) // 2, max(lo, round(end * RATE)))
    assert got == pcm[lo * 2:hi * 2]


def test_stereo_48k_and_odd_chunks(project, session):
    left = np.frombuffer(tone(2.0, 440, 48000), "<i2")
    pcm = np.column_stack([left, -left]).astype("<i2").tobytes()
    take = write_take(project, session, pcm + b"\x01", chunk=4097, rate=48000, channels=2)  # a stray byte
    assert take.rate == 48000 and take.channels == 2 and take.frames == 96000
    assert store.read_pcm(project, session, take) == pcm


def test_flush_writes_partial_segment_and_keeps_going(project, session):
    writer = TakeWriter.create(project, session, "microphone")
    writer.append(tone(1.0))
    writer.flush()
    partial = store.open_take(project, session, writer.take.id)
    assert not partial.complete and partial.duration_seconds == 1.0
    writer.append(tone(5.0))
    take = writer.close()
    assert [s.frames for s in take.segments] == [16000, 80000]


def test_segment_without_its_index_update_is_recovered(project, session, monkeypatch):
    pcm = tone(15.0)
    writer = TakeWriter.create(project, session, "microphone")
    writer.append(pcm[:10 * 2 * RATE])  # two segments, both indexed
    real = TakeWriter._write_index

    def crash(self):
        raise KeyboardInterrupt("killed between segment and index")

    monkeypatch.setattr(TakeWriter, "_write_index", crash)
    with pytest.raises(KeyboardInterrupt):
        writer.append(pcm[10 * 2 * RATE:])  # third segment on disk, index not updated
    monkeypatch.setattr(TakeWriter, "_write_index", real)

    raw = project.load_session_file(session, f"audio/{writer.take.id}/index.age")
    assert len(store.AudioTake.from_bytes(raw, store.take_dir(project, session, writer.take.id)).segments) == 2
    take = store.open_take(project, session, writer.take.id)
    assert len(take.segments) == 3 and not take.complete
    assert store.read_pcm(project, session, take) == pcm[:15 * 2 * RATE]

    resumed = TakeWriter.resume(project, session, take.id)
    resumed.append(tone(1.0))
    final = resumed.close()
    assert final.complete and final.duration_seconds == 16.0
    with pytest.raises(InvalidInput, match="complete"):
        TakeWriter.resume(project, session, take.id)


def test_failed_write_keeps_the_audio_buffered(project, session, monkeypatch):
    writer = TakeWriter.create(project, session, "microphone")
    real = type(project).save_session_file
    calls = {"n": 0}

    def full_once(self, *args):
        calls["n"] += 1
        if calls["n"] == 1:
            raise DiskFull("x", "disk full while writing")
        return real(self, *args)

    monkeypatch.setattr(type(project), "save_session_file", full_once)
    pcm = tone(7.0)
    with pytest.raises(DiskFull):
        writer.append(pcm[:6 * 2 * RATE])
    assert writer.seconds == 6.0  # nothing dropped
    writer.append(pcm[6 * 2 * RATE:])
    take = writer.close()
    assert store.read_pcm(project, session, take) == pcm


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_damaged_segment_is_vault_corrupt_naming_the_file(project, session, damage):
    take = write_take(project, session, tone(11.0))
    path = store.take_dir(project, session, take.id) / "seg-000002.age"
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        path.write_bytes(bytes(data[:len(data) // 2]))
    elif damage == "flip":
        data[len(data) // 2] ^= 0x40
        path.write_bytes(bytes(data))
    else:
        path.write_bytes(b"not age at all")
    assert store.read_pcm(project, session, take, 0, 4.0)  # the first segment is still readable
    with pytest.raises(VaultCorrupt) as caught:
        store.read_pcm(project, session, take)
    assert str(path) in str(caught.value)


def test_checksum_mismatch_is_detected(project, session):
    take = write_take(project, session, tone(6.0))
    path = store.take_dir(project, session, take.id) / "seg-000001.age"
    write_encrypted(path, tone(5.0, 1000), project.data_recipients())  # valid age, other audio
    with pytest.raises(VaultCorrupt, match="checksum") as caught:
        store.read_pcm(project, session, take.id)
    assert str(path) in str(caught.value)


def test_unreadable_orphan_segment_names_the_file(project, session):
    take = write_take(project, session, tone(3.0))
    orphan = store.take_dir(project, session, take.id) / "seg-000002.age"
    orphan.write_bytes(b"age-encryption.org/v1\n-> junk")
    with pytest.raises(VaultCorrupt, match="delete this file") as caught:
        store.open_take(project, session, take.id)
    assert str(orphan) in str(caught.value)


def test_no_plaintext_on_disk(project, project_dir, session, tmp_path):
    marker = "AUDIOMARKER-7f3a"
    riff = b"RIFF\x24\x08\x00\x00WAVEfmt "
    payload = (marker.encode() + riff) * 400
    pcm = tone(2.0) + payload + b"\x00" * (len(payload) % 2) + tone(2.0)
    take = write_take(project, session, pcm)
    assert marker.encode() in store.read_pcm(project, session, take)
    assert scan_for(project_dir, marker) == []
    assert scan_for(project_dir, "RIFF") == []
    raw = np.frombuffer(tone(2.0), np.uint8)[:4096].tobytes()
    for path in project_dir.rglob("*"):
        if path.is_file():
            assert raw not in path.read_bytes(), path


def test_list_delete_and_audit(project, session):
    assert store.list_takes(project, session) == []
    first = write_take(project, session, tone(1.0))
    second = write_take(project, session, tone(2.0))
    assert [t.id for t in store.list_takes(project, session)] == [first.id, second.id]
    store.delete_take(project, session, first.id)
    assert [t.id for t in store.list_takes(project, session)] == [second.id]
    assert not store.take_dir(project, session, first.id).exists()
    entries, problems = project.verify_audit()
    assert problems == []
    actions = [(e.action, e.target, e.details.get("seconds")) for e in entries if e.action.startswith("audio.")]
    assert actions == [("audio.record", f"take:{first.id}", 1.0), ("audio.record", f"take:{second.id}", 2.0),
                       ("audio.delete", f"take:{first.id}", 1.0)]


def test_bad_and_unknown_take_ids(project, session):
    with pytest.raises(InvalidInput):
        store.open_take(project, session, "../../index")
    with pytest.raises(NotFound):
        store.open_take(project, session, "0123456789ab")
    with pytest.raises(NotFound):
        store.list_takes(project, "S99")
