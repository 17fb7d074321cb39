"""A hand-made export (what the consent gates hand the writers): Norwegian text with æøå, a
group session with a participant who gave no consent to quotes, an individual session with audio."""

from __future__ import annotations

import pytest
from interviewkit.samples import sample_path

from interviewkit.export.model import ExportAudio, ExportParticipant, ExportProject, ExportSegment, ExportSession

ALL = {"participation": True, "audio": True, "video": False, "quotes": True, "archiving": True, "followup": False}
NO_QUOTES = {**ALL, "quotes": False}


def sample_export(audio: bool = False) -> ExportProject:
    g01 = ExportSession("G01", "group", "2026-10-01", "no", ("I", "D1", "D2"), (
        ExportSegment(0.0, 4.5, "I", "Hva tenker dere om tilbudet til ungdom i [Kommune A]?", "t1"),
        ExportSegment(4.5, 11.2, "D1", "Æ syns det er for lite, særlig for de som går på ungdomsskolen.", "t1"),
        ExportSegment(11.2, 15.0, "D2", "Ja, og ventetida hos helsesykepleier er lang – tre uker.", "t1",
                      quotes_allowed=False),
        ExportSegment(15.0, 19.8, "D1", "[Person 1] på fritidsklubben gjør en kjempejobb, altså.", "t1"),
    ))
    takes = ()
    if audio:
        path = sample_path("interview-en.ogg")
        takes = (ExportAudio("t2", 92.0, 0.0, path.read_bytes),)
    s02 = ExportSession("S02", "individual", "2026-11-05", "en", ("I", "D6"), (
        ExportSegment(0.5, 5.0, "I", "Thank you for taking part in this interview.", "t2"),
        ExportSegment(5.0, 12.0, "D6", "I have worked as a youth worker in [Kommune A] for about six years.", "t2"),
    ), takes)
    participants = (
        ExportParticipant("I", "interviewer", ALL, ("G01", "S02")),
        ExportParticipant("D1", "participant", ALL, ("G01",)),
        ExportParticipant("D2", "participant", NO_QUOTES, ("G01",)),
        ExportParticipant("D6", "participant", ALL, ("S02",)),
    )
    return ExportProject("Tjenester for unge i kommunen", "Demo University", "Kari Veileder", "SIKT 123456", "nb",
                         "analysis", False, "test-user", "2026-11-22T12:00:00+00:00", participants, (g01, s02),
                         ("D5 (withdrawn) left out",))


@pytest.fixture
def export() -> ExportProject:
    return sample_export()


@pytest.fixture
def export_with_audio() -> ExportProject:
    return sample_export(audio=True)
