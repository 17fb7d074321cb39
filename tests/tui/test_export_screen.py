"""The export screen, with real parts: the demo project (real encryption) with a group transcript
where D5 (withdrew) says MARKER, D3 gave no consent to quotes and D4 names D2; every export checked
in the files written and in the audit log read back from disk."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Label, RadioButton, Static

from interviewkit.export import writers
from interviewkit.guides.shipped import shipped_guide
from interviewkit.transcript.model import Segment
from interviewkit.transcript.store import open_transcript, save_transcript
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.export import ExportScreen, default_folder
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.widgets.export_panels import ConfirmWordModal
from tests.export.test_selection import MARKER, group_transcript, review_all
from tests.tui.conftest import screen_text, settle, until
from tests.tui.test_palette import open_palette, search

SIZE = (120, 40)
NAME = "Ola Demo"  # D2's name, said by D4: replaced in a de-identified export, kept in an identifiable one


@pytest.fixture
def project(demo_project):
    group_transcript(demo_project)
    session = demo_project.index.find_session("G01")
    transcript = open_transcript(demo_project, session)
    transcript.segments.append(Segment("g9", "take", 40.0, 45.0, f"{NAME} fra Eksempelby sa det samme.", "D4"))
    save_transcript(demo_project, session, transcript)
    return demo_project


@pytest.fixture
def reviewed(project):
    review_all(project)
    return project


async def open_export(pilot) -> ExportScreen:
    """From the project home: press x, wait for the consent summary."""
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    # the summary (or an error line): "no session chosen" may show for a moment while the session
    # boxes are still being filled in, on a busy machine
    none_chosen = screen.tr("export.summary.none_chosen")
    await until(pilot, lambda: screen.summary is not None or screen.summary_note not in (None, none_chosen))
    await settle(pilot)
    return screen


async def choose(pilot, screen: ExportScreen, fmt: str, output: Path | str, **inputs: str) -> None:
    screen.query_one(f"#export-fmt-{fmt}", RadioButton).value = True
    await pilot.pause()
    screen.query_one("#export-output", Input).value = str(output)
    for name, value in inputs.items():
        screen.query_one(f"#export-{name}", Input).value = value
    await settle(pilot)


async def export(pilot, screen: ExportScreen) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    await until(pilot, lambda: not screen.running)


def error_line(screen) -> str:
    return str(screen.query_one("#error", Label).render())


def summary_shown(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-summary-text", Static).render())


def exports(reopen, project) -> list:
    """The export entries of the audit log as another process reads it (the chain checked)."""
    entries, problems = reopen(project.root).verify_audit()
    assert not problems
    return [entry for entry in entries if entry.action == "export"]


def all_text(path: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(path.iterdir())) if path.is_dir() else path.read_text()


async def test_x_opens_the_export_with_the_consent_summary(reviewed) -> None:
    app = InterviewkitApp(project=reviewed, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        summary = screen.summary
        assert summary.sessions == ("G01", "S02")  # S01 has no transcript
        assert any(line.startswith("D5:") and "withdrew" in line for line in summary.left_out)
        assert summary.no_quotes == (("G01", 1, ("D3",)),)
        assert summary.unreviewed == ()
        shown = summary_shown(screen)
        assert "Goes out: G01, S02" in shown and "D5: withdrew on 2026-11-12" in shown
        assert "G01: turns by D3 (1)" in shown and "Every session is reviewed" in shown
        assert not screen.query_one("#export-unreviewed").display
        output = screen.query_one("#export-output", Input)
        assert output.value == str(Path.cwd() / "tjenester-for-unge-i-kommunen-demo.qdpx")  # cwd: the test's tmp
        screen.query_one("#export-fmt-txt", RadioButton).value = True
        await pilot.pause()
        assert output.value == str(Path.cwd() / "tjenester-for-unge-i-kommunen-demo-txt") + "/"  # one file a session
        s01 = screen.query_one("#export-session-0", Checkbox)
        assert s01.disabled and not s01.value and "not transcribed" in str(s01.label)
        assert "Nils Demo" not in screen_text(app) and "Siri Demo" not in screen_text(app)  # codes only
        # the choices change the summary: archiving leaves out D3 (no consent to it)
        screen.query_one("#export-purpose-archive", RadioButton).value = True
        await settle(pilot)
        assert "D3: no consent to archiving" in summary_shown(screen) and screen.summary.no_quotes == ()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_txt_to_a_folder_is_de_identified_and_logged(reviewed, reopen, tmp_path: Path) -> None:
    app = InterviewkitApp(project=reviewed, language="en")
    out = tmp_path / "out"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "txt", f"{out}/")
        await export(pilot, screen)
        assert error_line(screen) == ""
        text = screen_text(app)
        assert "Written unencrypted" in text and str(out / "G01.txt") in text
    assert sorted(p.name for p in out.iterdir()) == ["G01.txt", "S02.txt"]
    g01 = (out / "G01.txt").read_text("utf-8")
    assert MARKER not in all_text(out) and NAME not in g01 and "[D2] fra [Kommune A]" in g01
    assert "D3: Ventetida hos helsesykepleier er for lang – tre uker. (ikke direkte sitat)" in g01
    [entry] = exports(reopen, reviewed)
    assert entry.details["format"] == "txt" and entry.details["sessions"] == ["G01", "S02"]
    assert entry.details["identifiable"] is False and entry.details["encrypted"] is False


async def test_qdpx_with_one_session_and_a_starter_codebook(reviewed, reopen, tmp_path: Path) -> None:
    app = InterviewkitApp(project=reviewed, language="en")
    target = tmp_path / "study.qdpx"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        screen.query_one("#export-session-2", Checkbox).value = False  # S02 out
        await choose(pilot, screen, "qdpx", target, guide=str(shipped_guide("demo")))
        assert screen.summary.sessions == ("G01",)
        await pilot.click("#export-start")
        await settle(pilot)
        await until(pilot, lambda: not screen.running)
        assert error_line(screen) == ""
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        assert "project.qde" in archive.namelist()
        qde = archive.read("project.qde").decode()
    assert MARKER not in qde and NAME not in qde and "<Code " in qde
    assert exports(reopen, reviewed)[-1].details["sessions"] == ["G01"]


async def test_identifiable_needs_the_typed_word(reviewed, reopen, tmp_path: Path) -> None:
    app = InterviewkitApp(project=reviewed, language="en")
    out = tmp_path / "named"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        screen.query_one("#export-identifiable", Checkbox).value = True
        await choose(pilot, screen, "txt", f"{out}/")
        assert screen.summary.identifiable and "Identifiable: the text keeps names" in summary_shown(screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConfirmWordModal) and "Type IDENTIFIABLE to confirm" in screen_text(app)
        await pilot.press("escape")  # cancelled: nothing written
        await settle(pilot)
        assert app.screen is screen and "not confirmed" in error_line(screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#export-confirm-word", Input).value = "yes"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal and "That is not IDENTIFIABLE" in str(modal.query_one("#error", Label).render())
        assert not out.exists() and exports(reopen, reviewed) == []
        modal.query_one("#export-confirm-word", Input).value = "IDENTIFIABLE"
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: app.screen is screen and not screen.running)
        assert "WITH NAMES" in screen_text(app)
    g01 = (out / "G01.txt").read_text("utf-8")
    assert f"{NAME} fra Eksempelby" in g01 and MARKER not in g01  # names, but never the withdrawn
    [entry] = exports(reopen, reviewed)
    assert entry.details["identifiable"] is True


@pytest.fixture
def age_key(tmp_path: Path) -> tuple[Path, str]:
    """A real age key made by age-keygen: (identity file, recipient)."""
    if shutil.which("age-keygen") is None or shutil.which("age") is None:
        pytest.skip("age is not installed")
    key = tmp_path / "key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    recipient = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True)
    return key, recipient.stdout.strip()


def age_decrypt(key: Path, path: Path) -> str:
    return subprocess.run(["age", "-d", "-i", str(key), str(path)], check=True, capture_output=True).stdout.decode()


async def test_encrypt_to_an_age_recipient(reviewed, reopen, tmp_path: Path, age_key) -> None:
    key, recipient = age_key
    app = InterviewkitApp(project=reviewed, language="en")
    out = tmp_path / "sealed"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "txt", f"{out}/", encrypt="age1notakey")
        await export(pilot, screen)
        assert "age1notakey" in error_line(screen) and "Encrypt to" in error_line(screen)  # one line, nothing written
        assert not out.exists()
        screen.query_one("#export-encrypt", Input).value = recipient
        await export(pilot, screen)
        assert error_line(screen) == "" and "Encrypted with age" in screen_text(app)
    assert sorted(p.name for p in out.iterdir()) == ["G01.txt.age", "S02.txt.age"]
    assert b"Ventetida" not in (out / "G01.txt.age").read_bytes()
    plain = age_decrypt(key, out / "G01.txt.age")
    assert "Ventetida" in plain and MARKER not in plain
    assert exports(reopen, reviewed)[-1].details["encrypted"] is True


async def test_unreviewed_sessions_are_said_and_stop_the_export(project, reopen, tmp_path: Path) -> None:
    app = InterviewkitApp(project=project, language="en")
    out = tmp_path / "draft"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        assert screen.summary.unreviewed == ("G01",)
        assert "Not reviewed: G01" in summary_shown(screen) and screen.query_one("#export-unreviewed").display
        await choose(pilot, screen, "txt", f"{out}/")
        await export(pilot, screen)
        assert error_line(screen).startswith("Not exported: G01 not reviewed") and "\n" not in error_line(screen)
        assert not out.exists() and exports(reopen, project) == []
        screen.query_one("#export-unreviewed", Checkbox).value = True  # on purpose
        await export(pilot, screen)
        assert error_line(screen) == ""
    g01 = (out / "G01.txt").read_text("utf-8")
    assert "[D2] fra [Kommune A]" in g01 and MARKER not in g01  # what was detected is replaced even so
    assert len(exports(reopen, project)) == 1


async def test_escape_cancels_before_anything_is_written(reviewed, reopen, tmp_path: Path, monkeypatch) -> None:
    entered, release = threading.Event(), threading.Event()
    real_render = writers.render

    def slow_render(*args, **kwargs):
        entered.set()
        release.wait(10)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(writers, "render", slow_render)
    app = InterviewkitApp(project=reviewed, language="en")
    target = tmp_path / "never.qdpx"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "qdpx", target)
        await pilot.press("ctrl+s")
        await until(pilot, entered.is_set)
        assert screen.running and screen.query_one("#export-running").display
        assert "Writing qdpx" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Cancelling" in screen_text(app) and app.screen is screen  # stays until the worker stops
        release.set()
        await settle(pilot)
        await until(pilot, lambda: not screen.running)
        assert error_line(screen) == "Cancelled: nothing was written."
    assert not target.exists() and not [p for p in tmp_path.iterdir() if p.is_file()]  # no temporary file either
    assert exports(reopen, reviewed) == []


async def test_errors_are_one_line(reviewed, reopen, tmp_path: Path) -> None:
    app = InterviewkitApp(project=reviewed, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "qdc", tmp_path / "codes.qdc", guide=str(tmp_path / "missing.yaml"))
        await export(pilot, screen)
        assert "missing.yaml" in error_line(screen) and "Traceback" not in screen_text(app)
        for i in (1, 2):
            screen.query_one(f"#export-session-{i}", Checkbox).value = False
        await settle(pilot)
        assert "Choose at least one session" in summary_shown(screen)
        await export(pilot, screen)
        assert error_line(screen) == "Choose at least one session to export."
    assert not (tmp_path / "codes.qdc").exists()
    assert exports(reopen, reviewed) == []


async def test_norwegian_labels(reviewed) -> None:
    app = InterviewkitApp(project=reviewed, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        text = screen_text(app)
        for label in ("Eksport", "Format", "Formål", "analyse", "arkivering", "Ta med lyd", "Identifiserbar (med navn)",
                      "Krypter til", "Lagres som", "Samtykkeoversikt", "Utelatt:", "D5: trakk seg 2026-11-12",
                      "ikke direkte sitat", "Alle intervjuene er gjennomgått", "ikke transkribert"):
            assert label in text, label
        footer = " ".join(str(key.description) for key in screen.query("FooterKey"))
        assert "Eksporter" in footer and "Export" not in footer
        screen.query_one("#export-identifiable", Checkbox).value = True
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmWordModal) and "Skriv IDENTIFISERBAR for å bekrefte" in screen_text(app)
        await pilot.press("f2")  # to English: the word shown changes with the language
        await pilot.pause()
        assert "Type IDENTIFIABLE to confirm" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "Consent overview" in screen_text(app) and "D5: withdrew on" in summary_shown(screen)


async def test_palette_opens_the_export(reviewed) -> None:
    app = InterviewkitApp(project=reviewed, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_palette(pilot)
        await search(pilot, "export", "Export the project")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)


def test_the_default_folder_is_never_inside_the_project(demo_root: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(demo_root / "sessions")
    assert default_folder(demo_root) == Path.home()  # a plaintext export never lands in the project
    monkeypatch.chdir(tmp_path)
    assert default_folder(demo_root) == tmp_path.resolve()
