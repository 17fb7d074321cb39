"""The loader/validator: every problem located at its line and column, with a hint."""

from __future__ import annotations

import time

import pytest

from interviewkit.errors import InterviewkitError
from interviewkit.guides import GuideError, GuideProblem, GuideUnreadable, check_guide, load_guide, load_guide_text
from interviewkit.guides.model import Wording

from .conftest import DATA, only, problems_of

MINIMAL = """\
title: T
sections:
  - title: A
    questions:
      - Q?
"""


def test_broken_guide_reports_every_problem_at_its_place():
    problems = check_guide(DATA / "broken.yaml", placeholders={})
    lines = {f"{p.line}:{p.column}": p for p in problems}
    expected = {
        "3:11": ("unknown language 'norsk'", "did you mean 'nb'?"),
        "4:11": ("unknown audience 'alle'", "'individual', 'group' or 'both'"),
        "5:7": ("date '2026-13-01' is not a date in the form YYYY-MM-DD", "date: 2026-09-01"),
        "9:13": ("budget 'ten' is not a number", "budget: 10"),
        "13:19": ("unknown priority 'high'", "did you mean 'must'?"),
        "14:13": ("duplicate question id 'q1' (first used at", "own id"),
        "15:29": ("placeholder {municipality} has no value", "--values municipality="),
        "16:17": ("probes must be a list", "'- '"),
        "19:16": ("section 'Et tema uten spørsmål' has no questions", "at least one question"),
        "20:9": ("duplicate section id 'start' (first used at", "own id"),
        "22:5": ("unknown key 'qestions'", "did you mean 'questions'?"),
        "25:13": ("budget must be a positive number of minutes, not -5", "budget: 10"),
        "27:9": ("the question has no text", "text:"),
        "29:9": ("duplicate key 'note' (first at line 28)", "remove one"),
        "32:13": ("the question text is empty", ""),
    }
    assert set(lines) == set(expected), sorted(lines)
    for place, (message, hint) in expected.items():
        assert message in lines[place].message, (place, str(lines[place]))
        assert hint in lines[place].hint, (place, str(lines[place]))
    assert all(p.file.endswith("broken.yaml") for p in problems)
    assert "broken.yaml:11:13" in lines["14:13"].message  # both places of the duplicate are named
    assert "broken.yaml:7:9" in lines["20:9"].message
    # sorted by place, and the misspelt 'qestions' is not also reported as "no questions"
    assert [(p.line, p.column) for p in problems] == sorted((p.line, p.column) for p in problems)


def test_problem_line_format():
    problem = GuideProblem("g.yaml", 3, 5, "unknown key 'qestions'", "did you mean 'questions'?")
    assert str(problem) == "g.yaml:3:5: unknown key 'qestions' — did you mean 'questions'?"
    whole_file = GuideProblem("g.yaml", 0, 0, "no such file", "check the path")
    assert str(whole_file) == "g.yaml: no such file — check the path"
    assert str(GuideProblem("g.yaml", 1, 2, "odd")) == "g.yaml:1:2: odd"


def test_guide_error_is_first_problem_and_a_count():
    with pytest.raises(GuideError) as caught:
        load_guide(DATA / "broken.yaml")
    error = caught.value
    assert isinstance(error, InterviewkitError) and error.exit_code == 2
    assert len(error.problems) == 14  # without placeholder values, placeholders are not checked
    assert str(error) == f"{error.problems[0]} (and 13 more)"
    assert str(error).startswith(f"{DATA / 'broken.yaml'}:3:11: unknown language 'norsk'")


def test_unknown_key_suggests_the_closest(write):
    path = write("""
        title: T
        sections:
          - title: A
            questions:
              - text: Q?
                probs: [a]
        """)
    problem = only(problems_of(path), "unknown key")
    assert str(problem) == f"{path}:6:9: unknown key 'probs' — did you mean 'probes'?"


def test_norwegian_key_suggests_the_english_one(write):
    path = write("""
        tittel: T
        sections:
          - title: A
            spørsmål:
              - Q?
        """)
    problems = problems_of(path)
    assert [f"{p.line}:{p.column} {p.message} — {p.hint}" for p in problems] == [
        "1:1 unknown key 'tittel' — did you mean 'title'?",
        "4:5 unknown key 'spørsmål' — did you mean 'questions'?",
    ]


def test_unknown_key_without_a_near_match_lists_the_known_keys(write):
    path = write(MINIMAL + "zzz: 1\n")
    problem = only(problems_of(path), "unknown key 'zzz'")
    assert (problem.line, problem.column) == (6, 1)
    assert "title, language" in problem.hint


def test_duplicate_ids_name_both_places(write):
    path = write("""
        title: T
        sections:
          - id: a
            title: A
            questions:
              - {id: x, text: Q1}
          - id: a
            title: B
            questions:
              - id: x
                text: Q2
        """)
    problems = problems_of(path)
    section = only(problems, "duplicate section id 'a'")
    assert (section.line, section.column) == (7, 9) and f"{path}:3:9" in section.message
    question = only(problems, "duplicate question id 'x'")
    assert (question.line, question.column) == (10, 13) and f"{path}:6:14" in question.message


def test_duplicate_yaml_key(write):
    path = write("""
        title: T
        title: U
        sections:
          - title: A
            questions: [Q]
        """)
    problem = only(problems_of(path), "duplicate key 'title'")
    assert (problem.line, problem.column) == (2, 1)
    assert "first at line 1" in problem.message


def test_not_utf8_points_at_the_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: T\nsections:\n  - title: Skole og fritid på ø\n".encode("latin-1"))
    [problem] = problems_of(path)
    assert (problem.line, problem.column) == (3, 29)
    assert "not UTF-8" in problem.message and "0xe5" in problem.message
    assert problem.hint.startswith("save the file as UTF-8")


def test_utf16_is_named(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes(MINIMAL.encode("utf-16"))
    [problem] = problems_of(path)
    assert "UTF-16" in problem.message and "UTF-8" in problem.hint


def test_utf8_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert problems_of(path) == []


def test_yaml_syntax_error_has_the_parser_position(write):
    path = write("""
        title: T
        sections:
          - title: A
            questions:
              - text: Tid: hvor lenge?
        """)
    [problem] = problems_of(path)
    assert (problem.line, problem.column) == (5, 18)
    assert problem.message.startswith("YAML syntax error: mapping values are not allowed")
    assert "quotes" in problem.hint


def test_tab_indentation(tmp_path):
    path = tmp_path / "tab.yaml"
    path.write_text("title: T\nsections:\n\t- title: A\n")
    [problem] = problems_of(path)
    assert (problem.line, problem.column) == (3, 1)
    assert "syntax error" in problem.message and "tabs" in problem.hint


def test_text_starting_with_a_brace(write):
    path = write("""
        title: T
        sections:
          - title: A
            questions:
              - text: {municipality}
        """)
    [problem] = problems_of(path)
    assert (problem.line, problem.column) == (5, 15)
    assert "starts with '{'" in problem.message and "quotes" in problem.hint


def test_two_documents(write):
    path = write(MINIMAL + "---\ntitle: U\n")
    [problem] = problems_of(path)
    assert problem.line == 6 and "'---'" in problem.hint


def test_empty_section(write):
    path = write("""
        title: T
        sections:
          - title: A
            questions: []
          - title: B
          - title: C
            questions:
              - Q?
        """)
    problems = problems_of(path)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, 16, "section 'A' has no questions"),
        (5, 5, "section 'B' has no questions"),
    ]


def test_budget_must_be_a_positive_number(write):
    path = write("""
        title: T
        sections:
          - {title: A, budget: ten, questions: [Q1]}
          - {title: B, budget: 0, questions: [Q2]}
          - {title: C, budget: "10", questions: [Q3]}
          - {title: D, budget: 7.5, questions: [Q4]}
        """)
    problems = problems_of(path)
    assert [(p.line, p.message) for p in problems] == [
        (3, "budget 'ten' is not a number"),
        (4, "budget must be a positive number of minutes, not 0"),
        (5, "budget '10' is not a number"),
    ]
    assert problems[0].column == 24


def test_bad_priority_audience_language_date(write):
    path = write("""
        title: T
        language: engelsk
        audience: fokusgruppe
        date: 1. oktober
        sections:
          - title: A
            questions:
              - {text: Q, priority: valgfritt}
        """)
    hints = {p.message: p.hint for p in problems_of(path)}
    assert "did you mean 'en'?" in hints["unknown language 'engelsk'"]
    assert "did you mean 'group'?" in hints["unknown audience 'fokusgruppe'"]
    assert "did you mean 'optional'?" in hints["unknown priority 'valgfritt'"]
    assert "date '1. oktober' is not a date in the form YYYY-MM-DD" in hints


def test_missing_title_and_sections(write):
    problems = problems_of(write("language: nb\n"))
    assert [p.message for p in problems] == ["the guide has no title", "the guide has no sections"]


def test_empty_file_and_wrong_top_level(write):
    [empty] = problems_of(write("# only a comment\n"))
    assert str(empty).startswith(f"{empty.file}: the file is empty — ")  # no line:column for the whole file
    [listed] = problems_of(write("- title: T\n"))
    assert (listed.line, listed.column) == (1, 1) and "must be a set of keys" in listed.message


def test_wrong_types(write):
    path = write("""
        title: [T]
        sections:
          title: A
        """)
    messages = [(p.line, p.message) for p in problems_of(path)]
    assert messages == [(1, "the title must be text, not a list"), (3, "sections must be a list, not a set of keys")]


def test_wording_needs_individual(write):
    path = write("""
        title: T
        introduction: {group: Hei alle}
        sections:
          - title: A
            questions:
              - text: {individual: Q, gruppe: Qs}
        """)
    problems = problems_of(path)
    assert only(problems, "has no 'individual' wording").line == 2
    assert only(problems, "unknown key 'gruppe'").hint == "did you mean 'group'?"


def test_id_with_spaces(write):
    path = write("""
        title: T
        sections:
          - id: mitt tema
            title: A
            questions: [Q]
        """)
    problem = only(problems_of(path), "contains spaces")
    assert (problem.line, problem.column) == (3, 9)


def test_missing_file_raises_unreadable(tmp_path):
    with pytest.raises(GuideUnreadable) as caught:
        check_guide(tmp_path / "nope.yaml")
    assert str(caught.value) == (f"{tmp_path / 'nope.yaml'}: no such file — "
                                 "check the path (guide list shows the shipped guides)")
    with pytest.raises(GuideUnreadable, match="is a folder"):
        load_guide(tmp_path)


def test_generated_ids_are_stable_and_positional(write):
    path = write("""
        title: T
        sections:
          - title: A
            questions: [Q1, Q2]
          - id: b
            title: B
            questions:
              - Q3
              - {id: own, text: Q4}
              - Q5
          - title: C
            questions: [Q6]
        closing:
          questions: [Anything else?]
        """)
    guide = load_guide(path)
    assert [s.id for s in guide.sections] == ["s1", "b", "s3", "closing"]
    assert [q.id for _, q in guide.questions()] == ["s1.q1", "s1.q2", "b.q1", "own", "b.q3", "s3.q1", "closing.q1"]
    assert guide.sections[-1].kind == "closing" and guide.sections[-1].title == Wording("Avslutning")
    assert load_guide(path) == guide


def test_generated_ids_never_collide_with_written_ones(write):
    guide = load_guide(write("""
        title: T
        sections:
          - {title: A, questions: [{id: s1.q2, text: Q1}, Q2]}
          - {id: s1, title: B, questions: [Q3]}
        """))
    assert [s.id for s in guide.sections] == ["s1-2", "s1"]
    assert [q.id for _, q in guide.questions()] == ["s1.q2", "s1-2.q2", "s1.q1"]


def test_values_as_written(write):
    guide = load_guide(write("""
        title: T
        version: 1.10
        date: 2026-09-01
        sections:
          - title: A
            budget: 5
            questions:
              - text: "Tid: hvor lenge? # ikke en kommentar"
                probes:
                  - {individual: "Du?", group: "Dere?"}
                priority: optional
                condition: hvis tid
                note: stille
        """))
    assert guide.info.version == "1.10" and guide.info.date == "2026-09-01"
    section = guide.sections[0]
    assert section.budget_minutes == 5.0
    question = section.questions[0]
    assert question.text.default == "Tid: hvor lenge? # ikke en kommentar"
    assert question.probes == [Wording("Du?", "Dere?")]
    assert (question.priority, question.condition, question.note) == ("optional", "hvis tid", "stille")


def test_placeholders_are_checked_only_when_values_are_given(write):
    path = write("""
        title: T
        introduction: >
          Hei og velkommen.
          Vi er i {municipality}.
        sections:
          - title: Om {municipality}
            questions:
              - Hva skjer i {municipality} og {school}?
        """)
    assert problems_of(path) == []
    problems = problems_of(path, {"municipality": "Bodø"})
    [school] = problems
    assert (school.line, school.column) == (8, 39)  # the brace itself, on a plain one-line text
    assert school.message == "placeholder {school} has no value"
    missing = problems_of(path, {})
    assert [(p.line, p.column) for p in missing] == [(2, 15), (6, 15), (8, 21), (8, 39)]
    assert load_guide(path, {"municipality": "Bodø", "school": "X"}).placeholders() == {"municipality", "school"}
    with pytest.raises(GuideError, match="placeholder"):
        load_guide(path, {})


def test_load_guide_text_with_a_base(tmp_path):
    (tmp_path / "base.yaml").write_text(MINIMAL)
    guide = load_guide_text("base: base.yaml\ntitle: Child\n", "child.yaml", base_dir=tmp_path)
    assert guide.info.title == "Child" and guide.base == "base.yaml" and len(guide.questions()) == 1


def test_ten_thousand_questions_load_and_check_fast(tmp_path):
    lines = ["title: Stor guide", "sections:"]
    for s in range(100):
        lines += [f"  - id: t{s}", f"    title: Tema {s}", "    budget: 5", "    questions:"]
        for q in range(100):
            lines += [f"      - text: Spørsmål {s}.{q} i {{municipality}}?", "        priority: must",
                      "        probes:", f"          - Oppfølging {q}", "          - {individual: du, group: dere}"]
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    guide = load_guide(path, {"municipality": "X"})
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    assert check_guide(path, {"municipality": "X"}) == []
    checked = time.perf_counter() - start
    assert len(guide.questions()) == 10_000
    assert loaded < 2 and checked < 2, (loaded, checked)
