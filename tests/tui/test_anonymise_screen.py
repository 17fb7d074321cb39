"""The anonymisation review screen, with real parts: the demo project (real encryption), a
transcript with names saved into session S02, every decision checked in the linkage key read
back from disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyrage import x25519
from textual.command import CommandPalette
from textual.widgets import Input, Label, Select
from textual.widgets.text_area import Selection

from interviewkit import recipients
from interviewkit.anonymise import review
from interviewkit.i18n import CATALOGS
from interviewkit.project import Credentials, Project
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens import anonymise
from interviewkit.tui.screens.anonymise import AddTermModal, AnonymiseScreen, LabelModal
from interviewkit.tui.screens.editor import EditorApp, EditorScreen
from interviewkit.tui.screens.home import HomeScreen
from tests.anonymise.test_review import give_transcript
from tests.tui.conftest import screen_text, select_session, settle, until
from tests.tui.test_palette import open_palette, search

SIZE = (120, 40)
TEXTS = [
    "Eva Demo her. Jeg har jobbet i Eksempelby i seks år.",
    "Kollegaen min, Torbjørn Flatås, sa at Evas plan var god.",
    "Vi ringte rektor på 481 23 456, og Torbjørn svarte.",
    "Sola skinte, og Sol var glad.",
    "Vi kalte gruppa for blåveisklubben, sa hun.",  # a name no detector knows: added by the reviewer
]
MISSED = "blåveisklubben"


@pytest.fixture
def project(demo_project):
    give_transcript(demo_project, "S02", TEXTS)
    return demo_project


def on_disk(reopen, project, session_id: str = "S02") -> review.SessionAnonymisation:
    """The session's anonymisation as another process sees it: the project reopened from disk."""
    again = reopen(project.root)
    return review.analyse_session(again, again.index.find_session(session_id))


def entity_by_label(found: review.SessionAnonymisation, label: str) -> review.Entity:
    return next(entity for entity, _ in found.groups() if entity.label == label)


def stranger(found: review.SessionAnonymisation) -> review.Entity:
    """The unknown person (not a participant): Torbjørn Flatås."""
    return next(entity for entity, _ in found.groups() if entity.name == "Torbjørn Flatås")


async def open_review(pilot, session_id: str = "S02") -> AnonymiseScreen:
    """From the project home: select the session, press n, wait for the analysis."""
    await select_session(pilot, session_id)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AnonymiseScreen)
    await until(pilot, lambda: screen.found is not None or screen.problem is not None)
    return screen


def rows(screen: AnonymiseScreen) -> dict[str, list[str]]:
    """The entity list: replacement label → the row's cells as shown."""
    table = screen.entities
    shown = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return {row[1]: row for row in shown}


async def select_entity(pilot, screen: AnonymiseScreen, label: str) -> None:
    entity = entity_by_label(screen.found, label)
    screen.entities.move_cursor(row=screen.entities.get_row_index(entity.id))
    await pilot.pause()


def status_line(screen: AnonymiseScreen) -> str:
    return str(screen.status.render())


async def test_home_n_opens_the_review_with_entities_occurrences_and_warnings(project) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        shown = rows(screen)
        assert shown["[D6]"][2] == "person" and shown["[D6]"][4] == "Eva Demo, Evas"  # the participant's code
        assert shown["[Kommune A]"][2] == "municipality" and shown["[Kommune A]"][4] == "Eksempelby"
        unknown = stranger(screen.found)
        assert unknown.label.startswith("Person ") and unknown.code is None
        assert shown[f"[{unknown.label}]"][2:] == ["person", "2", "Torbjørn Flatås, Torbjørn"]
        assert all(row[0] == "? pending" for row in shown.values())
        assert not any(MISSED in row[4] for row in shown.values())
        text = screen_text(app)
        assert "Anonymisation of session S02" in text
        total = len(screen.found.occurrences)
        assert total >= 6 and f"0 of {total} occurrences reviewed" in status_line(screen)
        # the first entity's occurrences, in context, with time and speaker code (never the speaker's name)
        assert "[00:00:00]" in text and "[Eva Demo] her." in text and "[00:00:05]  D6" in text
        # indirect identifiers: listed, not replaced
        assert "consider these — not replaced" in text and "[rektor]" in text and "a role one person" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_accept_is_kept_project_wide_in_the_linkage_key(project, reopen) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await select_entity(pilot, screen, "Kommune A")
        await pilot.press("a")
        await settle(pilot)
        assert rows(screen)["[Kommune A]"][0] == "✓ replace"
        assert screen.entities.selected_key() == entity_by_label(screen.found, "Kommune A").id  # selection kept
        assert f"1 of {len(screen.found.occurrences)} occurrences reviewed" in status_line(screen)
    found = on_disk(reopen, project)
    assert entity_by_label(found, "Kommune A").status == "accepted"
    assert entity_by_label(found, "D6").status == "pending"  # only the selected one
    # project-wide: another session naming the place is already decided
    again = reopen(project.root)
    give_transcript(again, "S03", ["Vi møttes i Eksempelby."])
    other = review.analyse_session(again, again.index.find_session("S03"))
    assert other.reviewed


async def test_reject_keeps_the_text_and_flag_asks_the_supervisor(project, reopen) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        unknown = stranger(screen.found)
        await select_entity(pilot, screen, unknown.label)
        await pilot.press("r")
        await settle(pilot)
        await select_entity(pilot, screen, "telefonnummer")
        await pilot.press("s")
        await settle(pilot)
        assert "1 flagged for the supervisor" in status_line(screen)
        assert rows(screen)["[telefonnummer]"][0] == "⚑ ask supervisor"
    found = on_disk(reopen, project)
    assert found.map.entities[unknown.id].status == "rejected"
    assert entity_by_label(found, "telefonnummer").status == "ask"
    text = found.anonymised().text()
    assert "Torbjørn Flatås" in text and "481 23 456" not in text  # rejected: kept; asked: replaced meanwhile


async def test_relabel_with_an_empty_label_is_an_error_line(project, reopen) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        unknown = stranger(screen.found)
        await select_entity(pilot, screen, unknown.label)
        await pilot.press("l")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, LabelModal)
        assert modal.query_one("#anon-label", Input).value == unknown.label
        modal.query_one("#anon-label", Input).value = "  "
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal
        assert "The label cannot be empty." in str(modal.query_one("#error", Label).render())
        modal.query_one("#anon-label", Input).value = "Kollega"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert rows(screen)["[Kollega]"][4].startswith("Torbjørn Flatås")
        assert screen.entities.selected_key() == unknown.id
    found = on_disk(reopen, project)
    assert found.map.entities[unknown.id].label == "Kollega"
    assert "[Kollega] svarte" in found.anonymised().text()


async def test_a_missed_term_becomes_an_entity(project, reopen) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert not any(MISSED in row[4] for row in rows(screen).values())
        await pilot.press("n")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AddTermModal)
        await pilot.press("enter")  # nothing typed: an error line, the dialog stays
        await pilot.pause()
        assert app.screen is modal and "Type the name to add." in str(modal.query_one("#error", Label).render())
        modal.query_one("#anon-term-type", Select).value = "project"
        modal.query_one("#anon-term-text", Input).value = f" {MISSED}  "
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        new = next(row for row in rows(screen).values() if row[4] == MISSED)
        assert new[:4] == ["? pending", "[Prosjekt 1]", "project", "1"]
        assert screen.found.map.entities[screen.entities.selected_key()].label == "Prosjekt 1"  # selected
    found = on_disk(reopen, project)
    added = next(o for o in found.occurrences if o.text == MISSED)
    assert found.entity(added).type == "project"
    assert "gruppa for [Prosjekt 1], sa hun" in found.anonymised().text()


async def test_accept_every_pending_makes_the_session_reviewed(project, reopen) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert not on_disk(reopen, project).reviewed
        await pilot.press("A")
        await settle(pilot)
        total = len(screen.found.occurrences)
        assert f"{total} of {total} occurrences reviewed" in status_line(screen)
        assert "the session is reviewed" in status_line(screen)
        assert all(row[0] == "✓ replace" for row in rows(screen).values())
    assert on_disk(reopen, project).reviewed


async def test_one_occurrence_is_decided_on_its_own(project, reopen) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await select_entity(pilot, screen, "D6")
        await pilot.press("tab")  # to the occurrences
        assert screen.focused is screen.occurrences
        first = screen.occurrences.selected_key()
        await pilot.press("o")
        await settle(pilot)
        found = on_disk(reopen, project)
        statuses = {o.key: found.status(o) for o in found.occurrences if found.entity(o).label == "D6"}
        assert statuses.pop(first) == "accepted" and set(statuses.values()) == {"pending"}
        assert screen.occurrences.selected_key() == first  # the selection is kept
        assert "✓ replace" in str(screen.occurrences.get_row(first)[2])
        for expected in ("rejected", "ask"):
            await pilot.press("o")
            await settle(pilot)
            own = next(o for o in on_disk(reopen, project).occurrences if o.key == first)
            assert own.own_status == expected
        await pilot.press("o")  # back to the entity's decision
        await settle(pilot)
        assert str(screen.occurrences.get_row(first)[2]) == "as the name"
        found = on_disk(reopen, project)
        assert {found.status(o) for o in found.occurrences if found.entity(o).label == "D6"} == {"pending"}


async def test_preview_shows_no_participant_name(project) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert screen.previewing and not screen.query_one("#anon-lists").display
        text = screen_text(app)
        assert "[00:00:05] D6: Kollegaen min, [Person " in text and "[Kommune A]" in text
        assert "Eva" not in text and "Torbjørn" not in text and "Eksempelby" not in text
        assert "rektor" in text  # an indirect identifier is only warned about
        await pilot.press("p")
        await settle(pilot)
        assert not screen.previewing and "Eva Demo" in screen_text(app)


async def test_the_editor_marks_a_selected_name(project, reopen) -> None:
    app = EditorApp(project, project.index.find_session("S02"), language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        await until(pilot, lambda: screen.editor is not None)
        await pilot.press("ctrl+n")  # nothing selected: a hint, no dialog
        await pilot.pause()
        assert app.screen is screen
        assert any("Select the name" in n.message for n in app._notifications)
        await pilot.press("down", "down", "down", "down", "enter")  # "Vi kalte gruppa for blåveisklubben, …"
        await pilot.pause()
        start = TEXTS[4].index(MISSED)
        screen.area.selection = Selection((0, start), (0, start + len(MISSED)))
        await pilot.press("ctrl+n")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AddTermModal)
        assert modal.query_one("#anon-term-text", Input).value == MISSED
        assert modal.query_one("#anon-term-type", Select).value == "person"
        modal.query_one("#anon-term-type", Select).value = "place"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert any(MISSED in n.message and "every session" in n.message for n in app._notifications)
    assert {"type": "place", "text": MISSED} in reopen(project.root).linkage().anonymisation["terms"]
    found = on_disk(reopen, project)
    assert any(o.text == MISSED and o.type == "place" for o in found.occurrences)


async def test_norwegian_labels(project) -> None:
    app = InterviewkitApp(project=project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        text = screen_text(app)
        assert "Anonymisering av intervju S02" in text and "Navn og steder som er funnet" in text
        assert "? venter" in text and "kommune" in text and "Erstattes med" in text
        assert "Indirekte identifikatorer" in text and "rolle" in text
        assert f"0 av {len(screen.found.occurrences)} forekomster gjennomgått" in status_line(screen)
        footer = " ".join(str(key.description) for key in screen.query("FooterKey"))
        assert "Godta" in footer and "Avvis" in footer and "Spør veileder" in footer and "Accept" not in footer
        await select_entity(pilot, screen, "Kommune A")
        await pilot.press("a")
        await settle(pilot)
        assert rows(screen)["[Kommune A]"][0] == "✓ erstatt"
        await pilot.press("f2")  # to English: every panel redrawn, the selection kept
        await settle(pilot)
        assert rows(screen)["[Kommune A]"][0] == "✓ replace" and "Names and places found" in screen_text(app)
        assert screen.entities.selected_key() == entity_by_label(screen.found, "Kommune A").id


async def test_palette_offers_and_runs_the_review(project) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await select_session(pilot, "S02")
        await open_palette(pilot)
        await search(pilot, "anonymi", "Anonymise the transcript")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnonymiseScreen)
        await until(pilot, lambda: screen.found is not None)
        await open_palette(pilot)
        found = await search(pilot, "supervisor", "Ask the supervisor")
        assert any("Ask the supervisor" in option for option in found)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)


async def test_a_session_without_transcript_is_one_line(project) -> None:
    app = InterviewkitApp(project=project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, "S01")
        assert screen.found is None
        message = str(screen.query_one("#anon-message", Label).render())
        assert message == "Session S01 has no transcript yet: transcribe it first (key t on the project screen)."
        assert not screen.query_one("#anon-lists").display
        await pilot.press("a")  # nothing to decide: said again, no crash
        await settle(pilot)
        assert isinstance(app.screen, AnonymiseScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert str(screen.query_one("#anon-message", Label).render()).startswith("Intervju S01 har ingen transkripsjon")


async def test_without_the_linkage_key_the_screen_says_so(project, demo_root: Path, tmp_path: Path) -> None:
    steward = x25519.Identity.generate()
    recipients.add_recipient(project, str(steward.to_public()), scope="data")
    key_file = tmp_path / "steward.txt"
    key_file.write_text(f"{steward}\n")
    data_only = Project.open(demo_root, Credentials(identity_files=[key_file]))
    app = InterviewkitApp(project=data_only, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.found is None
        assert "Your key cannot read the linkage key" in str(screen.query_one("#anon-message", Label).render())
        assert "Eva" not in screen_text(app)


def test_every_key_and_command_is_in_both_catalogs() -> None:
    for lang in ("en", "nb"):
        catalog = CATALOGS[lang]
        for action, _keys in anonymise.ACTIONS:
            assert f"key.{action}" in catalog, action
            name = "close_anonymise" if action == "back" else f"anonymise_{action}"
            assert f"cmd.{name}" in catalog and f"cmd.{name}.help" in catalog, name
        for key in ("key.anonymise", "cmd.anonymise", "cmd.anonymise.help", "key.mark_identifier",
                    "cmd.editor_mark_identifier", "cmd.editor_mark_identifier.help"):
            assert key in catalog, key
        from interviewkit.anonymise.hits import ENTITY_TYPES

        for kind in ENTITY_TYPES:
            assert f"anonymise.type.{kind}" in catalog
        for status in review.STATUSES:
            assert f"anonymise.decision.{status}" in catalog
        for kind in ("role", "age"):
            assert f"anonymise.warning.{kind}" in catalog and f"anonymise.warning.{kind}.why" in catalog
