"""No lost updates: every save carries the revision it was based on; a stale one is refused, and
the editor's three ways out of it (``resolve_stale``) lose nothing."""

from __future__ import annotations

import json

import pytest

from interviewkit.project import Project
from interviewkit.transcript.project_wide import replace_in_project
from interviewkit.transcript.store import (
    KEEP_MINE,
    MERGE,
    RELOAD,
    TRANSCRIPT_FILE,
    StaleTranscript,
    list_revisions,
    load_revision,
    open_transcript,
    resolve_stale,
    save_transcript,
    stored_revision,
)
from tests.conftest import run_cli


def s02(project: Project):
    return project.index.find_session("S02")


def test_each_save_counts_a_revision_and_a_stale_one_is_refused(demo_project: Project, reopen) -> None:
    session = s02(demo_project)
    first, second = open_transcript(demo_project, session), open_transcript(demo_project, session)
    assert first.revision == second.revision == 0 == stored_revision(demo_project, session)
    first.segments[0].text = "The first writer."
    assert save_transcript(demo_project, session, first) == 1 == first.revision
    second.segments[1].text = "The second writer, who read revision 0."
    with pytest.raises(StaleTranscript) as refused:
        save_transcript(demo_project, session, second)
    assert refused.value.code == "transcript.stale" and (refused.value.base, refused.value.current) == (0, 1)
    assert "changed elsewhere since you opened it (revision 0, now 1)" in str(refused.value)
    again = open_transcript(reopen(demo_project.root), s02(demo_project))
    assert again.revision == 1 and again.segments[0].text == "The first writer."
    assert again.segments[1].text != second.segments[1].text  # nothing of the stale save landed
    with pytest.raises(StaleTranscript):
        save_transcript(demo_project, session, second, base=0)  # an explicit old base: the same
    assert save_transcript(demo_project, session, again, revision=True) == 2  # read at 1: fine
    assert save_transcript(demo_project, session, second, base=None) == 3  # no check, on purpose


def test_a_transcript_without_a_revision_is_revision_zero(demo_project: Project) -> None:
    session = s02(demo_project)
    old = json.loads(open_transcript(demo_project, session).to_bytes())
    del old["revision"]
    demo_project.save_session_file(session, TRANSCRIPT_FILE, json.dumps(old).encode())
    transcript = open_transcript(demo_project, session)
    assert transcript.revision == 0
    assert save_transcript(demo_project, session, transcript) == 1


def test_the_project_wide_commands_read_and_write_under_one_lock(demo_project: Project) -> None:
    """They build on what is stored when they run, so an editor's earlier save is kept, and the
    editor's copy read before them is stale afterwards."""
    session = s02(demo_project)
    editor_copy = open_transcript(demo_project, session)
    editor_copy.segments[0].text = "Saved by the editor."
    save_transcript(demo_project, session, editor_copy)
    stale_copy = open_transcript(demo_project, session)
    assert replace_in_project(demo_project, "youth club", "fritidsklubb") == {"S02": 2}
    now = open_transcript(demo_project, session)
    assert now.segments[0].text == "Saved by the editor." and "fritidsklubb" in now.text()
    assert now.revision == stale_copy.revision + 1
    with pytest.raises(StaleTranscript):
        save_transcript(demo_project, session, stale_copy)


def test_cli_replace_while_an_editor_holds_a_copy(demo_project: Project, demo_key, cli_env, reopen) -> None:
    """The CLI command in another process: never stale itself; the editor's copy is, afterwards,
    and its error is one line (exit 2 in the CLI) in both languages."""
    from interviewkit.tui.errors import render_error

    session = s02(demo_project)
    editor_copy = open_transcript(demo_project, session)
    save_transcript(demo_project, session, editor_copy)  # revision 1
    editor_copy.segments[0].text = "The editor's unsaved line."
    cli_env.pop("INTERVIEWKIT_PASSPHRASE")  # the demo opens with its key file
    result = run_cli(["transcript", "replace", str(demo_project.root), "youth club", "fritidsklubb", "--yes",
                      "--identity", str(demo_key)], cli_env)
    assert "S02: 2 replaced" in result.stdout
    with pytest.raises(StaleTranscript) as refused:
        save_transcript(demo_project, session, editor_copy)
    assert len(refused.value.line().splitlines()) == 1 and refused.value.exit_code == 2
    assert "(versjon 1, nå 2)" in render_error(refused.value, "nb")
    assert "fritidsklubb" in open_transcript(reopen(demo_project.root), s02(demo_project)).text()


def _stale_situation(project: Project):
    """The editor read revision 1 and changed segments 0 and 2; the CLI then replaced in segments
    1 and 2 (revision 2).  Returns (session, base, mine)."""
    session = s02(project)
    base = open_transcript(project, session)
    save_transcript(project, session, base)
    mine = base.copy()
    mine.segments[0].text = "Editor's own line."
    mine.segments[2].text = "Editor's version of segment 2."
    theirs = open_transcript(project, session)
    theirs.segments[1].text = "CLI's line."
    theirs.segments[2].text = "CLI's version of segment 2."
    save_transcript(project, session, theirs, revision=True)
    with pytest.raises(StaleTranscript):
        save_transcript(project, session, mine.copy())
    return session, base, mine


def _history(project: Project, session) -> list[list[str]]:
    return [[s.text for s in load_revision(project, session, r.name).segments]
            for r in list_revisions(project, session)]


def test_merge_takes_both_sides_and_keeps_theirs_in_the_history(demo_project: Project) -> None:
    session, base, mine = _stale_situation(demo_project)
    resolution = resolve_stale(demo_project, session, MERGE, base, mine)
    stored = open_transcript(demo_project, session)
    assert [s.text for s in stored.segments[:3]] == ["Editor's own line.", "CLI's line.",
                                                     "Editor's version of segment 2."]
    assert resolution.conflicts == [stored.segments[2].id] and resolution.revision == stored.revision == 3
    assert "CLI's version of segment 2." in _history(demo_project, session)[0]


def test_keep_mine_overwrites_but_keeps_theirs_in_the_history(demo_project: Project) -> None:
    session, base, mine = _stale_situation(demo_project)
    resolve_stale(demo_project, session, KEEP_MINE, base, mine)
    stored = open_transcript(demo_project, session)
    assert [s.text for s in stored.segments[:3]] == [s.text for s in mine.segments[:3]]
    assert _history(demo_project, session)[0][1:3] == ["CLI's line.", "CLI's version of segment 2."]


def test_reload_shows_theirs_and_keeps_mine_in_the_history(demo_project: Project) -> None:
    session, base, mine = _stale_situation(demo_project)
    resolution = resolve_stale(demo_project, session, RELOAD, base, mine)
    assert resolution.transcript.segments[1].text == "CLI's line." and resolution.revision == 2
    assert stored_revision(demo_project, session) == 2  # nothing written over theirs
    assert _history(demo_project, session)[0][0] == "Editor's own line."
