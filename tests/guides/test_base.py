"""`base:`: a guide that extends another, and what goes wrong with it."""

from __future__ import annotations

import pytest

from interviewkit.guides import check_guide, load_guide
from interviewkit.guides.model import Wording
from interviewkit.guides.problems import GuideRefused

from .conftest import only

BASE = """
title: Grunnguide
language: nb
introduction: Hei.
sections:
  - id: a
    title: A
    questions: [{id: a1, text: A1}]
  - id: b
    title: B
    questions: [{id: b1, text: B1}]
  - title: C (no id)
    questions: [C1]
closing:
  questions: [Noe mer?]
"""


def test_child_keys_replace_and_sections_merge_by_id(write):
    write(BASE, "base.yaml")
    child = write("""
        base: base.yaml
        title: Gruppe
        audience: group
        sections:
          - id: b
            title: B for groups
            questions: [{id: b1, text: {individual: B1, group: B1 dere}}]
          - id: new
            title: New
            questions: [N1]
        closing:
          id: end
          questions: ["Noe mer, dere?"]
        """, "child.yaml")
    guide = load_guide(child)
    assert guide.info.title == "Gruppe" and guide.info.audience == "group" and guide.info.language == "nb"
    assert guide.introduction == Wording("Hei.") and guide.base == "base.yaml"
    assert [s.id for s in guide.sections] == ["a", "b", "s3", "new", "end"]
    assert guide.sections[1].title == Wording("B for groups")
    assert guide.sections[1].questions[0].text.for_audience("group") == "B1 dere"
    assert [q.id for _, q in guide.questions()] == ["a1", "b1", "s3.q1", "new.q1", "end.q1"]
    assert guide.sections[-1].kind == "closing" and guide.sections[-1].questions[0].text.default == "Noe mer, dere?"


def test_child_without_sections_keeps_the_base_sections(write):
    write(BASE, "base.yaml")
    guide = load_guide(write("base: base.yaml\ntitle: Same\n", "child.yaml"))
    assert [s.id for s in guide.sections] == ["a", "b", "s3", "closing"]


def test_base_of_a_base(tmp_path, write):
    write(BASE, "base.yaml")
    (tmp_path / "sub").mkdir()
    write("base: base.yaml\ntitle: Middle\nsections: [{id: m, title: M, questions: [M1]}]\n", "middle.yaml")
    guide = load_guide(write("base: ../middle.yaml\ntitle: Top\n", "sub/top.yaml"))
    assert guide.info.title == "Top" and [s.id for s in guide.sections] == ["a", "b", "s3", "m", "closing"]


def test_base_cycle_is_refused_at_the_base_key(write):
    write("title: A\nbase: b.yaml\nsections: [{title: X, questions: [Q]}]\n", "a.yaml")
    b = write("title: B\nbase: a.yaml\n", "b.yaml")
    with pytest.raises(GuideRefused) as caught:
        check_guide(b)
    [problem] = caught.value.problems
    assert problem.file.endswith("a.yaml") and (problem.line, problem.column) == (2, 7)
    assert "(b.yaml → a.yaml → b.yaml)" in problem.message
    assert "remove the base: key" in problem.hint
    assert caught.value.code == "guide.base_cycle" and caught.value.exit_code == 2


def test_guide_that_is_its_own_base(write):
    path = write("title: A\nbase: ./a.yaml\nsections: [{title: X, questions: [Q]}]\n", "a.yaml")
    with pytest.raises(GuideRefused, match=r"leads back to itself \(a.yaml → a.yaml\)"):
        check_guide(path)


def test_missing_base(write):
    path = write("title: A\nbase: nowhere.yaml\n", "a.yaml")
    problem = only(check_guide(path), "base guide 'nowhere.yaml'")
    assert (problem.line, problem.column) == (2, 7)
    assert "no such file" in problem.message and "relative to this guide's folder" in problem.hint


def test_problems_in_the_base_name_the_base_file(write):
    write("title: B\nsections:\n  - title: X\n    questions: [{text: Q, priority: high}]\n", "base.yaml")
    child = write("base: base.yaml\ntitle: C\n", "child.yaml")
    [problem] = check_guide(child)
    assert problem.file.endswith("base.yaml") and (problem.line, problem.column) == (4, 37)


def test_duplicate_question_ids_across_base_and_child(write):
    write(BASE, "base.yaml")
    child = write("base: base.yaml\nsections: [{id: z, title: Z, questions: [{id: a1, text: Again}]}]\n", "child.yaml")
    problem = only(check_guide(child), "duplicate question id 'a1'")
    assert problem.file.endswith("child.yaml") and "base.yaml:7:22" in problem.message
