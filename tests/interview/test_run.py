"""The interview run with a manual clock: marking, moving, timers, pauses, notes, the
suggestion when time runs short, and serialisation (also over random runs)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewkit.errors import InvalidInput, VaultCorrupt
from interviewkit.guides.model import Guide, GuideInfo, Question, Section, Wording
from interviewkit.interview import (
    NOTE_KINDS,
    GuideRecord,
    InterviewRun,
    ManualClock,
    clock_text,
)
from interviewkit.interview.guide_codec import canonical_source, guide_from_dict, guide_to_dict, sha256_text
from tests.interview.guides import sample_guide


def make(clock: ManualClock, **kwargs) -> InterviewRun:
    return InterviewRun.new(sample_guide(), clock=clock, **kwargs)


def test_a_new_run_starts_at_the_first_question_with_everything_open(clock: ManualClock) -> None:
    run = make(clock)
    assert run.current == "background"
    assert run.order() == ["background", "spare-time", "known", "used", "info", "decide", "advice", "anything"]
    assert run.counts() == {"open": 8, "asked": 0, "skipped": 0, "later": 0}
    assert run.status == "not-started" and not run.running and run.elapsed() == 0
    clock.advance(100)
    assert run.elapsed() == 0  # the clock has not been started


def test_marking_moves_on_and_records_the_session_time(clock: ManualClock) -> None:
    run = make(clock)
    run.start()
    clock.advance(60)
    assert run.mark_and_advance("asked") == "spare-time"
    assert run.states["background"].state == "asked"
    assert [(c.state, c.at) for c in run.states["background"].changes] == [("asked", 60.0)]
    clock.advance(15)
    assert run.mark_and_advance("skipped") == "known"
    clock.advance(20)
    assert run.mark_and_advance("later") == "used"
    assert run.counts() == {"open": 5, "asked": 1, "skipped": 1, "later": 1}
    # the same key again undoes the mark and stays
    run.previous()
    assert run.current == "known"
    assert run.mark_and_advance("later") == "known"
    assert run.state_of("known") == "open"
    assert [c.state for c in run.states["known"].changes] == ["later", "open"]


def test_advancing_skips_done_questions_and_wraps_to_later_ones(clock: ManualClock) -> None:
    run = make(clock)
    run.mark_and_advance("later")  # background → later
    for _ in range(6):
        run.mark_and_advance("asked")
    assert run.current == "anything"
    assert run.mark_and_advance("asked") == "background"  # the one left for later
    assert run.mark_and_advance("asked") == "background"  # nothing left: stays
    assert run.open_questions() == []


def test_next_previous_and_jump(clock: ManualClock) -> None:
    run = make(clock)
    assert run.previous() is False
    assert run.next() and run.current == "spare-time"
    assert run.move("anything") and run.next() is False
    assert run.move("anything") is False  # already there
    with pytest.raises(InvalidInput, match="no question 'nope'"):
        run.move("nope")
    with pytest.raises(InvalidInput):
        run.mark("done")


def test_time_is_booked_to_the_section_and_question_that_were_current(clock: ManualClock) -> None:
    run = make(clock)
    run.start()
    clock.advance(100)
    run.move("known")
    clock.advance(250)
    run.move("decide")
    clock.advance(30)
    times = {t.section_id: t for t in run.section_times()}
    assert times["about"].seconds == 100 and times["about"].budget_seconds == 300 and not times["about"].over
    assert times["services"].seconds == 250 and times["services"].budget_seconds == 600
    assert times["future"].seconds == 30  # the running stretch, not yet booked
    assert times["closing"].budget_seconds is None and not times["closing"].over
    assert run.question_elapsed("background") == 100 and run.question_elapsed("decide") == 30
    assert run.elapsed() == 380
    clock.advance(300)
    assert run.current_section_time().over  # 330 s of a 5-minute budget
    assert run.planned_seconds() == 20 * 60  # the sum of the section budgets


def test_pause_stops_the_clock(clock: ManualClock) -> None:
    run = make(clock)
    assert run.toggle() is True and run.status == "running"
    clock.advance(10)
    assert run.toggle() is False and run.status == "paused"
    clock.advance(1000)
    assert run.elapsed() == 10
    assert run.pause() is False  # already paused
    run.start()
    clock.advance(5)
    assert run.elapsed() == 15
    assert [e.kind for e in run.events] == ["start", "pause", "resume"]
    run.end()
    clock.advance(50)
    assert run.status == "ended" and run.elapsed() == 15 and run.ended == "2026-11-02T10:16:55+00:00"


def test_notes_carry_time_kind_and_question(clock: ManualClock) -> None:
    run = make(clock)
    run.start()
    clock.advance(75)
    note = run.add_note("  Laughs, then hesitates  ", "body-language")
    assert (note.at, note.kind, note.text, note.question, note.section) == (
        75.0, "body-language", "Laughs, then hesitates", "background", "about")
    assert note.wall == "2026-11-02T10:01:15+00:00"
    assert run.events[-1].kind == "note" and run.events[-1].detail == "body-language"
    assert "Laughs" not in json.dumps([e.__dict__ for e in run.events])  # events hold no text
    with pytest.raises(InvalidInput, match="empty"):
        run.add_note("   ")
    with pytest.raises(InvalidInput, match="note kind"):
        run.add_note("x", "gossip")
    assert set(NOTE_KINDS) == {"note", "observer", "body-language", "after-recorder"}


def test_suggestion_when_the_must_questions_need_more_time_than_is_left(clock: ManualClock) -> None:
    run = make(clock)
    # estimates: a question's share of its section budget; the closing round has none: 3 min
    assert run.estimate_seconds("background") == 150 and run.estimate_seconds("known") == 200
    assert run.estimate_seconds("anything") == 180
    needed = 150 + 200 + 200 + 150 + 180  # the five must questions: 880 s of 1200 s planned
    run.start()
    clock.advance(1200 - needed)
    assert run.suggestion() is None  # exactly enough
    clock.advance(1)
    suggestion = run.suggestion()
    assert suggestion is not None
    assert suggestion.must_open == ["background", "known", "used", "decide", "anything"]
    assert suggestion.needed_seconds == needed and suggestion.remaining_seconds == needed - 1
    assert suggestion.drop == ["spare-time", "advice", "info"]  # optional first, then should
    run.mark("asked", "background")
    run.mark("skipped", "known")
    assert run.suggestion() is None  # 530 s needed, 879 s left
    clock.advance(400)
    assert run.suggestion().must_open == ["used", "decide", "anything"]
    for question_id in ("used", "decide", "anything"):
        run.mark("asked", question_id)
    assert run.open_must_questions() == [] and run.suggestion() is None


def test_a_session_length_given_at_start_replaces_the_budgets(clock: ManualClock) -> None:
    run = make(clock, planned_minutes=60)
    assert run.planned_seconds() == 3600
    assert run.estimate_seconds("anything") == 3600 / 8  # no section budget: a share of the session
    run.start()
    clock.advance(3600 - 500)
    assert run.suggestion() is not None  # 5 must questions need 1180 s, 500 s left
    must = Question("a", Wording("A?"), priority="must")
    no_budgets = Guide(GuideInfo("plain"), [Section("s", Wording("S"), [must])])
    plain = InterviewRun.new(no_budgets, clock=clock)
    plain.start()
    clock.advance(10_000)
    assert plain.planned_seconds() is None and plain.suggestion() is None


def test_group_wording_and_placeholders(clock: ManualClock) -> None:
    run = make(clock, audience="group", placeholders={"municipality": "Eksempel kommune"})
    section, question = run.find("known")
    assert run.text(question.text) == "Which services in Eksempel kommune do you all know of?"
    assert run.text(section.title) == "Services in Eksempel kommune"
    individual = make(clock)
    assert individual.text(question.text) == "Which services in {municipality} do you know of?"  # no value: shown
    with pytest.raises(InvalidInput):
        make(clock, audience="everyone")
    with pytest.raises(InvalidInput):
        make(clock, planned_minutes=0)
    with pytest.raises(InvalidInput, match="no questions"):
        InterviewRun.new(Guide(GuideInfo("empty")), clock=clock)


def test_round_trip_and_format(clock: ManualClock) -> None:
    run = make(clock, audience="group", placeholders={"municipality": "X"}, planned_minutes=45, session_id="G01")
    run.start()
    clock.advance(42.5)
    run.mark_and_advance("asked")
    run.add_note("Ærlig talt – «sitat»", "observer")
    raw = run.to_bytes()
    data = json.loads(raw)
    assert data["format"] == "interviewkit-interview" and data["version"] == 1
    assert data["guide_record"]["source"] == canonical_source(run.guide)
    assert data["guide_record"]["sha256"] == sha256_text(data["guide_record"]["source"])
    again = InterviewRun.from_bytes(raw, clock)
    assert again == run
    assert again.to_bytes() == raw
    assert guide_from_dict(guide_to_dict(run.guide)) == run.guide


def test_unreadable_or_newer_records_are_refused(clock: ManualClock) -> None:
    raw = make(clock).to_bytes()
    with pytest.raises(VaultCorrupt, match="unreadable"):
        InterviewRun.from_bytes(b"{not json")
    with pytest.raises(VaultCorrupt, match="not an interview record"):
        InterviewRun.from_bytes(b'{"format": "something-else"}')
    newer = json.loads(raw)
    newer["version"] = 99
    with pytest.raises(VaultCorrupt, match="newer"):
        InterviewRun.from_bytes(json.dumps(newer).encode())
    broken = json.loads(raw)
    del broken["guide"]
    with pytest.raises(VaultCorrupt, match="unreadable"):
        InterviewRun.from_bytes(json.dumps(broken).encode())


def test_resuming_from_saved_bytes_does_not_count_the_downtime(clock: ManualClock) -> None:
    run = make(clock)
    run.start()
    clock.advance(90)
    run.move("known")
    clock.advance(30)
    saved = run.to_bytes()  # the last save before the app died
    clock.advance(3600)  # the app was dead for an hour
    resumed = InterviewRun.from_bytes(saved, clock)
    assert resumed.running and resumed.current == "known"
    assert resumed.elapsed() == 120
    clock.advance(10)
    assert resumed.elapsed() == 130 and resumed.section_elapsed("services") == 40
    resumed.reopened()
    assert resumed.events[-1].kind == "reopen"


def test_guide_record_keeps_the_source() -> None:
    guide = sample_guide()
    record = GuideRecord.of(guide, "title: x\n", "x.yaml", {"base.yaml": "title: base\n"})
    assert record.sha256 == sha256_text("title: x\n") and record.source_name == "x.yaml"
    assert (record.title, record.version, record.language, record.audience) == (
        "Young people and municipal services", "2", "en", "both")
    assert GuideRecord.from_dict(record.to_dict()) == record


def test_clock_text() -> None:
    assert clock_text(0) == "00:00"
    assert clock_text(59.9) == "00:59"
    assert clock_text(61) == "01:01"
    assert clock_text(3600 + 62) == "1:01:02"
    assert clock_text(-5) == "-00:05"


# -- random runs -------------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)


@st.composite
def guides(draw: st.DrawFn) -> Guide:
    question_ids = draw(st.lists(ids, min_size=1, max_size=9, unique=True))
    sections, start = [], 0
    while start < len(question_ids):
        size = draw(st.integers(1, 3))
        chunk = question_ids[start:start + size]
        questions = [Question(id=qid, text=Wording(draw(texts), draw(st.none() | texts)),
                              probes=[Wording(p) for p in draw(st.lists(texts, max_size=2))],
                              priority=draw(st.sampled_from(("must", "should", "optional"))),
                              condition=draw(st.none() | texts), note=draw(st.none() | texts)) for qid in chunk]
        budget = draw(st.none() | st.integers(1, 30).map(float))
        sections.append(Section(id=f"s{len(sections)}", title=Wording(draw(texts)), questions=questions,
                                budget_minutes=budget))
        start += size
    return Guide(GuideInfo(draw(texts), version=draw(st.sampled_from(("1", "2.0")))), sections)


operations = st.lists(st.one_of(
    st.tuples(st.just("advance"), st.integers(0, 500)),
    st.tuples(st.just("toggle"), st.none()),
    st.tuples(st.just("next"), st.none()),
    st.tuples(st.just("previous"), st.none()),
    st.tuples(st.just("jump"), st.integers(0, 20)),
    st.tuples(st.just("mark"), st.sampled_from(("asked", "skipped", "later", "open"))),
    st.tuples(st.just("note"), st.tuples(texts, st.sampled_from(NOTE_KINDS))),
    st.tuples(st.just("end"), st.none()),
), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guide=guides(), ops=operations, planned=st.none() | st.integers(1, 120).map(float),
       audience=st.sampled_from(("individual", "group")))
def test_random_runs_survive_serialisation(guide: Guide, ops: list, planned: float | None, audience: str) -> None:
    clock = ManualClock()
    run = InterviewRun.new(guide, clock=clock, planned_minutes=planned, audience=audience,
                           placeholders={"x": "y"}, session_id="S01")
    order = run.order()
    for op, arg in ops:
        if op == "advance":
            clock.advance(arg)
        elif op == "toggle":
            run.toggle()
        elif op == "next":
            run.next()
        elif op == "previous":
            run.previous()
        elif op == "jump":
            run.move(order[arg % len(order)])
        elif op == "mark":
            run.mark_and_advance(arg)
        elif op == "note":
            if arg[0].strip():
                run.add_note(*arg)
        elif op == "end":
            run.end()
    raw = run.to_bytes()
    again = InterviewRun.from_bytes(raw, clock)
    assert again == run
    assert again.to_bytes() == raw
    # the time is all booked somewhere, once
    assert sum(run.section_seconds.values()) == pytest.approx(run.total_seconds)
    assert sum(run.question_seconds.values()) == pytest.approx(run.total_seconds)
    assert sum(run.counts().values()) == len(order)
    times = [e.at for e in run.events]
    assert times == sorted(times)
    suggestion = run.suggestion()
    if suggestion is not None:
        assert suggestion.must_open and suggestion.remaining_seconds < suggestion.needed_seconds
