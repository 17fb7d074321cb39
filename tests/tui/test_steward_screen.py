"""The steward screen over the generated archive (tests/archive/conftest.py): alpha (audio due for
deletion), beta (nothing due), gamma (a damaged audio file, no approval) and delta (encrypted to
someone else).  Deletions and key changes are checked on disk and in the audit logs read back."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, Label, Markdown, Static

from interviewkit import recipients
from interviewkit.archive.status import short_key
from interviewkit.i18n import CATALOGS
from interviewkit.project import Credentials
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens import steward
from interviewkit.tui.screens.forms import ConfirmModal
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.screens.steward import StewardScreen
from interviewkit.tui.widgets.steward_panels import ConfirmDeleteModal
from tests.archive.conftest import archive, archive_template  # noqa: F401 (fixtures)
from tests.tui.conftest import screen_text, settle, until
from tests.tui.test_palette import open_palette, search

SIZE = (210, 45)  # wide enough for every column of the status table
TODAY = dt.date(2026, 11, 22)  # alpha (ended 2025-06-30) is due; beta (ends 2027-12-31) is not


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steward, "today", lambda: TODAY)


def app_for(archive, language: str = "en") -> InterviewkitApp:  # noqa: F811
    return InterviewkitApp(project=archive.open("beta"), language=language)


async def open_steward(pilot, archive) -> StewardScreen:  # noqa: F811
    """From beta's home: press f, give the archive folder and the steward's key, press Enter."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("f")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StewardScreen)
    await give(pilot, screen, archive)
    return screen


async def give(pilot, screen: StewardScreen, archive, identity: Path | None = None) -> None:  # noqa: F811
    screen.query_one("#steward-folder", Input).value = str(archive.root)
    box = screen.query_one("#steward-identity", Input)
    box.value = str(identity or archive.steward_key)
    box.focus()
    await pilot.press("enter")
    await settle(pilot)
    if identity is None:
        await until(pilot, lambda: "status" in screen.results)
        await settle(pilot)


def rows(screen: StewardScreen, table_id: str) -> dict[str, list[str]]:
    """A table's rows by their first cell (the project inside the archive)."""
    table = screen.query_one(table_id, DataTable)
    found = {}
    for index in range(table.row_count):
        cells = [str(cell) for cell in table.get_row_at(index)]
        found[cells[0]] = cells
    return found


def row_of(found: dict[str, list[str]], name: str) -> list[str]:
    matches = [cells for project, cells in found.items() if Path(project).name == name]
    assert len(matches) == 1, (name, list(found))
    return matches[0]


def cell(screen: StewardScreen, name: str, column: str) -> str:
    """A project's cell in the status table, by column key (which columns show depends on the width)."""
    table = screen.query_one("#steward-status", DataTable)
    keys = [str(c.key.value) for c in table.columns.values()]
    return row_of(rows(screen, "#steward-status"), name)[keys.index(column)]


def note(screen: StewardScreen, view: str) -> str:
    return str(screen.query_one(f"#steward-{view}-notes", Static).render())


def message(screen: StewardScreen) -> str:
    return str(screen.query_one("#steward-message", Label).render())


def audio_files(archive, name: str) -> list[Path]:  # noqa: F811
    return list((archive.project_path(name) / "sessions").rglob("audio/*"))


async def test_status_lists_every_project(archive) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steward(pilot, archive)
        found = rows(screen, "#steward-status")
        assert {Path(p).name for p in found} == {"alpha", "beta", "gamma", "delta"}
        alpha, beta, gamma, delta = (row_of(found, n) for n in ("alpha", "beta", "gamma", "delta"))
        assert alpha[1] == "Alpha: unge og tjenester" and alpha[2] == "Ane Ansvarlig" and alpha[3] == "sikt 111111"
        assert beta[1] == "Beta: arbeidsliv" and beta[4] == "2027-12-31" and beta[6] == "2/0/0/1"  # D2 withdrew
        assert gamma[1] == "Gamma: skole" and gamma[3] == "MISSING"
        assert alpha[8] == "2" and alpha[9] == "yes" and "delete audio" in alpha[10]
        assert "recipient" in delta[1] and not any(delta[2:])  # encrypted to someone else: its problem only
        notes = note(screen, "status")
        assert "Cannot be opened: foreign/delta: foreign/delta/index.age: this key is not a recipient" in notes
        assert "Warning: 2026/gamma: no approval reference" in notes
        assert "Recipients: 2025/alpha:" in notes and "(you)" in notes
        text = screen_text(app)
        assert "Verify" in text and "Processing record" in text and "Dina Deltaker" not in text


async def test_verify_shows_the_damaged_project(archive) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steward(pilot, archive)
        assert "Press v" in note(screen, "verify")
        await pilot.press("v")
        await until(pilot, lambda: "verify" in screen.results)
        await settle(pilot)
        found = rows(screen, "#steward-verify")
        assert row_of(found, "alpha")[1] == "OK" and row_of(found, "beta")[1] == "OK"
        assert row_of(found, "gamma")[1].startswith("problems: ") and row_of(found, "delta")[1] == "problems: 1"
        lines = note(screen, "verify")
        assert lines.startswith("4 projects, 2 with problems")
        assert any(line.startswith("2026/gamma/sessions/") and "audio" in line and ": damaged: " in line
                   and "backup" in line for line in lines.splitlines()), lines
        assert "change of recipients" not in lines
        assert not screen.query_one("#steward-verify-running").display
        progress = screen.query_one("#steward-verify-progress")
        assert progress.total and progress.progress == progress.total  # the bar reached the end (bytes)


async def test_due_deletes_only_after_the_word_is_typed(archive) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steward(pilot, archive)
        due = screen.query_one("#steward-due", DataTable)
        actions = [[str(c) for c in due.get_row_at(i)] for i in range(due.row_count)]
        assert ["2025/alpha", "delete audio"] in [a[:2] for a in actions]
        assert not any(a[0] == "2026/beta" for a in actions)
        assert "Skipped:" in note(screen, "due") and "delta" in note(screen, "due")
        assert audio_files(archive, "alpha")

        screen.query_one("#steward-status", DataTable).focus()
        await pilot.press("a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmDeleteModal)
        modal.query_one("#export-confirm-word", Input).value = "IDENTIFIABLE"  # not the word asked for
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal and "That is not DELETE" in str(modal.query_one("#error", Label).render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and "Nothing was deleted" in message(screen)
        assert audio_files(archive, "alpha")  # nothing deleted
        assert "audio.delete" not in [e.action for e in archive.open("alpha").verify_audit()[0]]

        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#export-confirm-word", Input).value = "delete"
        await pilot.press("enter")
        await until(pilot, lambda: "applied" in screen.results and not screen.busy)
        await settle(pilot)
        # the linkage key waits for the review (box not ticked): so nothing of alpha is done, its audio stays
        assert audio_files(archive, "alpha")
        alpha = archive.open("alpha")
        assert "audio.delete" not in [e.action for e in alpha.verify_audit()[0]]
        results = note(screen, "due")
        assert "2025/alpha: not done:" in results and "not reviewed" in results
        assert "2025/alpha: delete audio: done" not in results
        assert alpha.linkage().entries  # the names are still there
        assert audio_files(archive, "beta")  # not due: untouched

        # the box ticked: the linkage keys go too
        screen.query_one("#steward-unreviewed", Checkbox).value = True
        screen.query_one("#steward-due", DataTable).focus()
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#export-confirm-word", Input).value = "DELETE"
        await pilot.press("enter")
        await until(pilot, lambda: not screen.busy and "not done" not in note(screen, "due"))
        await settle(pilot)
        assert not audio_files(archive, "alpha")  # now all of alpha's actions went
        entries, problems = archive.open("alpha").verify_audit()
        assert "audio.delete" in [e.action for e in entries] and "retention.apply" in [e.action for e in entries]
        assert not problems
        linkage = archive.open("alpha").linkage()
        assert not linkage.entries or linkage.anonymisation.get("destroyed")
        assert "linkage.destroy" in [e.action for e in archive.open("alpha").verify_audit()[0]]


async def test_only_what_was_shown_is_deleted(archive, monkeypatch) -> None:  # noqa: F811
    """Confirmed in 2026, carried out in 2028: beta has become due meanwhile, but it was not in the
    list the steward confirmed, so it is left alone."""
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steward(pilot, archive)
        monkeypatch.setattr(steward, "today", lambda: dt.date(2028, 6, 1))
        screen.query_one("#steward-unreviewed", Checkbox).value = True  # all of alpha's actions may go
        screen.query_one("#steward-due", DataTable).focus()
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#export-confirm-word", Input).value = "DELETE"
        await pilot.press("enter")
        await until(pilot, lambda: "applied" in screen.results and not screen.busy)
        await settle(pilot)
        assert not audio_files(archive, "alpha") and audio_files(archive, "beta")
        assert "2026/beta" in [str(c) for c in screen.query_one("#steward-due", DataTable).get_column("project")]


async def test_report_of_the_selected_project(archive, tmp_path) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steward(pilot, archive)
        table = screen.query_one("#steward-status", DataTable)
        table.move_cursor(row=table.get_row_index(str(archive.project_path("alpha"))))
        table.focus()
        await pilot.press("r")
        await until(pilot, lambda: screen.report is not None)
        await settle(pilot)
        source = screen.query_one("#steward-report", Markdown).source
        assert "111111" in source and "Alpha: unge og tjenester" in source
        assert "Dina Deltaker" not in source and "Dag Deltaker" not in source
        assert "111111" in screen_text(app)  # shown, in the Processing record view
        assert screen.query_one("#steward-tabs").active == "steward-tab-report"
        target = tmp_path / "out" / "record.md"
        screen.query_one("#steward-report-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert target.read_text() == source
        assert [p.name for p in target.parent.iterdir()] == ["record.md"]  # no temporary file left
        assert str(target) in message(screen)

        table.move_cursor(row=table.get_row_index(str(archive.project_path("delta"))))
        table.focus()
        await pilot.press("r")
        await settle(pilot)
        assert "recipient" in message(screen) and screen.report[1].name == "alpha"  # delta: one line, no record


@pytest.fixture
def new_key(tmp_path) -> str:
    made = subprocess.run(["age-keygen", "-o", str(tmp_path / "new.txt")], capture_output=True, text=True, check=True)
    return made.stderr.split("Public key:")[1].strip()


async def test_keys_added_and_removed_everywhere(archive, new_key) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steward(pilot, archive)
        await pilot.press("4")
        box = screen.query_one("#steward-key", Input)
        box.focus()
        await pilot.press("a")  # typed into the key field: not "carry out due deletions"
        assert box.value == "a" and not isinstance(app.screen, ConfirmDeleteModal)
        box.value = new_key
        await pilot.press("enter")
        await until(pilot, lambda: "keys" in screen.results and not screen.busy)
        await settle(pilot)
        found = rows(screen, "#steward-keys")
        assert row_of(found, "alpha")[1].startswith("done (") and row_of(found, "beta")[1].startswith("done (")
        assert row_of(found, "delta")[1].startswith("skipped:")
        assert row_of(found, "gamma")[1].startswith("failed: ")  # a damaged file: the core's one line
        assert new_key in archive.open("beta").index.data_recipients

        box.value = new_key
        screen.action_remove_key()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.click("#yes")
        await until(pilot, lambda: not screen.busy and new_key not in archive.open("beta").index.data_recipients)
        await settle(pilot)
        found = rows(screen, "#steward-keys")
        assert row_of(found, "alpha")[1].startswith("done (")
        assert row_of(found, "gamma")[1].startswith("failed: ")  # its damaged audio file cannot be re-encrypted
        assert "Traceback" not in row_of(found, "gamma")[1]


async def test_errors_are_one_line(archive, tmp_path) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StewardScreen)
        assert screen.query_one("#steward-folder", Input).value == str(archive.project_path("beta").parent)
        assert "Give the steward's age identity file" in message(screen)
        await pilot.press("v")  # typed into the identity field
        screen.query_one("#steward-identity", Input).value = ""
        screen.action_verify_archive()
        assert "Open an archive first" in message(screen)

        await give(pilot, screen, archive, identity=tmp_path / "missing.txt")
        assert "identity file not found" in message(screen) and "status" not in screen.results
        screen.query_one("#steward-identity", Input).value = str(archive.steward_key)
        screen.query_one("#steward-folder", Input).value = str(tmp_path / "nowhere")
        screen.action_steward_reload()
        await settle(pilot)
        assert "no such folder" in message(screen) and "\n" not in message(screen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_keys_the_app_was_started_with(archive) -> None:  # noqa: F811
    """Started with --identity (the steward's key): no identity file to type; the folder of the
    project (2026) is the archive at first."""
    app = InterviewkitApp(project=archive.open("beta"), credentials=Credentials(identity_files=[archive.steward_key]),
                          language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, StewardScreen)
        await until(pilot, lambda: "status" in screen.results)
        await settle(pilot)
        assert sorted(rows(screen, "#steward-status")) == ["beta", "gamma"]
        assert screen.query_one("#steward-identity", Input).value == ""


def test_every_footer_key_is_translated() -> None:
    for cls in (StewardScreen, ConfirmDeleteModal):
        for binding in cls.BINDINGS:
            if binding.show:
                for lang in ("en", "nb"):
                    assert f"key.{binding.action}" in CATALOGS[lang], (cls.__name__, binding.action)
    for action, _key in steward.ACTIONS:
        name = "close_steward" if action == "back" else action
        assert f"cmd.{name}" in CATALOGS["nb"] and f"cmd.{name}.help" in CATALOGS["nb"]
    assert CATALOGS["nb"]["steward.tab.report"] == "Behandlingsprotokoll" and CATALOGS["nb"]["key.steward"] == "Forvalter"


async def test_palette_offers_the_steward(archive) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_palette(pilot)
        assert any("Steward: the archive" in o for o in await search(pilot, "steward", "Steward: the archive"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StewardScreen)
        await open_palette(pilot)
        assert any("Verify the archive" in o for o in await search(pilot, "verify arch", "Verify the archive"))


async def test_norwegian_labels(archive) -> None:  # noqa: F811
    app = app_for(archive, "nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.active_bindings["f"].binding.description == "Forvalter"  # the home key
        screen = await open_steward(pilot, archive)
        text = screen_text(app)
        for label in ("Arkiv", "Identitetsfil", "Status", "Kontroller", "Forfalt", "Nøkler", "Behandlingsprotokoll",
                      "Prosjekt", "Tittel"):
            assert label in text, label
        table = screen.query_one("#steward-status", DataTable)
        assert "Godkjenning" in [str(column.label) for column in table.columns.values()]
        assert cell(screen, "gamma", "approval") == "mangler godkjenning"
        assert cell(screen, "alpha", "names") == "ja"
        assert "Forfalt nå:" in note(screen, "due") and "Trykk v" in note(screen, "verify")
        assert "Prosjekter funnet: 4." in message(screen)
        await pilot.press("a")
        await settle(pilot)
        assert "Skriv SLETT" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f2")  # to English: every label follows
        await settle(pilot)
        text = screen_text(app)
        assert "Verify" in text and "Kontroller" not in text and "Nothing was deleted: not confirmed." in text
        assert "Approval" in [str(column.label) for column in table.columns.values()]
        assert cell(screen, "gamma", "approval") == "MISSING"


# -- a steward whose key opens the data but not the linkage key ---------------------------------

def fingerprint(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".interviewkit.lock"}


async def test_a_data_steward_is_told_the_truth_before_anything_is_deleted(archive, tmp_path) -> None:  # noqa: F811
    key = tmp_path / "data-steward.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    recipients.add_recipient(archive.open("alpha"), made.stderr.split("Public key:")[1].strip(), scope="data")
    alpha = archive.project_path("alpha")
    before = fingerprint(alpha)
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StewardScreen)
        await give(pilot, screen, archive, identity=key)
        await until(pilot, lambda: "due" in screen.results)
        await settle(pilot)
        due = note(screen, "due")
        # a key of scope data signs no change (issue 15): the first due action says so
        assert ("Cannot be carried out: 2025/alpha: delete audio: this key may read the project but not change it"
                in due)
        assert "nothing in this project is deleted" in due and "header" not in due and "damaged" not in due
        assert "Nothing due can be carried out with this key" in due
        assert "0 participants" not in screen_text(app)
        table = screen.query_one("#steward-due", DataTable)
        assert any("not counted" in str(table.get_row_at(i)[3]) for i in range(table.row_count))  # cannot count
        screen.query_one("#steward-due", DataTable).focus()
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen  # no confirmation: there is nothing it could carry out
        assert "Nothing due can be carried out with this key" in message(screen)
        # and were it asked anyway, the core refuses before the first deletion
        found = screen.results["due"][0]
        applied = steward.panels.apply_confirmed(archive.root, Credentials(identity_files=[key]), found, TODAY, True,
                                                 "en")
        assert [(a.project, a.done) for a in applied] == [("2025/alpha", False)]
        assert "may read the project but not change it" in applied[0].line and str(archive.root) not in applied[0].line
        await pilot.press("f2")  # in bokmål too
        await settle(pilot)
        assert ("Kan ikke utføres: 2025/alpha: delete audio: " in note(screen, "due")
                and "denne nøkkelen kan lese prosjektet, men ikke endre det" in note(screen, "due"))
    assert fingerprint(alpha) == before  # audio (and everything else) byte-identical


# -- the footer and a small terminal ------------------------------------------------------------

async def test_the_view_keys_are_in_the_footer(archive) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steward(pilot, archive)
        footer = screen_text(app).splitlines()[-1]
        assert "12345 Views" in footer and "v Verify" in footer
        assert "Save record" not in footer  # until there is a record to save
        table = screen.query_one("#steward-status", DataTable)
        table.move_cursor(row=table.get_row_index(str(archive.project_path("alpha"))))
        table.focus()
        await pilot.press("r")
        await until(pilot, lambda: screen.report is not None)
        await settle(pilot)
        assert "^s Save record" in screen_text(app).splitlines()[-1]
        screen.query_one("#steward-status", DataTable).focus()
        await pilot.press("3")
        await settle(pilot)
        assert screen.query_one("#steward-tabs").active == "steward-tab-due"
        await pilot.press("f2")
        await settle(pilot)
        assert "12345 Visninger" in screen_text(app).splitlines()[-1]


async def test_80x24_keeps_names_and_next(archive) -> None:  # noqa: F811
    app = app_for(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_steward(pilot, archive)
        table = screen.query_one("#steward-status", DataTable)
        shown = [str(column.label) for column in table.columns.values()]
        assert shown[0] == "Project" and "Names" in shown and "Next" in shown
        assert table.virtual_size.width <= table.size.width  # nothing to scroll to: all of it is in view
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Project" in line and "Names" in line)
        assert "Next" in header
        assert "delete audio: overdue since 2025-06-30 (+2 more due)" in text  # Next whole
        assert "Left out at this width: Title" in note(screen, "status")
        alpha = row_of(rows(screen, "#steward-status"), "alpha")
        assert alpha[shown.index("Names")] == "yes"
        assert "this key is not a recipient" in row_of(rows(screen, "#steward-status"), "delta")[-1]
        await pilot.resize_terminal(*SIZE)  # wider: every column comes back
        await settle(pilot)
        assert len(table.columns) == len(steward.panels.STATUS_COLUMNS)
        assert "Left out" not in note(screen, "status")
