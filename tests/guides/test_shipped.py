"""The shipped guides: present, clean, valid against the JSON Schema; and the schema itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from interviewkit.errors import NotFound
from interviewkit.guides import (
    check_guide,
    guides_folder,
    load_guide,
    load_guide_text,
    schema_path,
    shipped_guide,
    shipped_guides,
)
from interviewkit.guides.keys import QUESTION_KEYS, SECTION_KEYS, TOP_KEYS, WORDING_KEYS

from .conftest import DATA, SHIPPED_VALUES, yaml_data

REPO = Path(__file__).resolve().parents[2]
NAMES = ["demo", "employee-wellbeing-en", "ungdom-tjenester-gruppe", "ungdom-tjenester-individuelt"]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_guides_are_found():
    assert [p.stem for p in shipped_guides()] == NAMES
    assert guides_folder().resolve() == (REPO / "guides").resolve()  # in development: the repository's folder
    assert shipped_guide("demo") == shipped_guide("demo.yaml") == guides_folder() / "demo.yaml"
    with pytest.raises(NotFound, match="the shipped guides: demo, employee-wellbeing-en"):
        shipped_guide("nope")


@pytest.mark.parametrize("name", NAMES)
def test_shipped_guide_is_clean(name):
    path = shipped_guide(name)
    assert check_guide(path, SHIPPED_VALUES) == []
    guide = load_guide(path, SHIPPED_VALUES)
    assert guide.placeholders() <= set(SHIPPED_VALUES)
    assert guide.sections[-1].kind == "closing"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=guide.schema.json\n")


@pytest.mark.parametrize("name", ["ungdom-tjenester-individuelt", "ungdom-tjenester-gruppe", "employee-wellbeing-en"])
def test_real_guides_have_the_shape_seen_in_the_field(name):
    guide = load_guide(shipped_guide(name))
    themes = [s for s in guide.sections if s.kind == "theme"]
    assert 5 <= len(themes) <= 7
    assert 13 <= len(guide.questions()) <= 35
    assert guide.introduction and guide.consent_script
    assert {q.priority for _, q in guide.questions()} == {"must", "should", "optional"}
    assert sum(len(q.probes) for _, q in guide.questions()) >= 10


def test_the_group_guide_extends_the_individual_one():
    individual = load_guide(shipped_guide("ungdom-tjenester-individuelt"))
    group = load_guide(shipped_guide("ungdom-tjenester-gruppe"))
    assert group.base == "ungdom-tjenester-individuelt.yaml" and group.info.audience == "group"
    assert [s.id for s in group.sections] == ["om-deg", "kjennskap", "erfaringer", "terskel", "medvirkning",
                                              "framtid", "sammen", "avslutning"]
    kept = {s.id: s for s in individual.sections}
    assert group.sections[1] == kept["kjennskap"]  # taken from the base, with its group wording
    assert group.sections[1].questions[0].text.for_audience("group").endswith("kjenner dere til?")
    assert group.sections[0] != kept["om-deg"]
    assert "{municipality}" in individual.introduction.default


def test_demo_guide_is_short_with_budgets():
    demo = load_guide(shipped_guide("demo"))
    assert 2 <= len([s for s in demo.sections if s.kind == "theme"]) <= 3
    assert 5 <= len([q for s, q in demo.questions() if s.kind == "theme"]) <= 7
    assert all(s.budget_minutes for s in demo.sections)
    assert demo.info.audience == "both" and any(q.text.group for _, q in demo.questions())


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_knows_the_same_keys_as_the_loader():
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert tuple(schema["properties"]) == TOP_KEYS
    assert tuple(defs["section_keys"]["properties"]) == SECTION_KEYS
    assert tuple(defs["question"]["oneOf"][1]["properties"]) == QUESTION_KEYS
    assert tuple(defs["wording"]["oneOf"][1]["properties"]) == WORDING_KEYS


@pytest.mark.parametrize("name", NAMES)
def test_shipped_guide_validates_against_the_schema(name, validator):
    data = yaml_data(shipped_guide(name).read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_a_broken_guide_fails_the_schema(validator):
    data = yaml_data((DATA / "broken.yaml").read_text(encoding="utf-8"))  # (the duplicate key: last one wins)
    messages = " | ".join(e.message for e in validator.iter_errors(data))
    for fragment in ("'norsk' is not one of", "'alle' is not one of", "'ten' is not of type 'number'",
                     "'qestions' was unexpected", "[] should be non-empty",
                     "-5 is less than or equal to the minimum of 0"):
        assert fragment in messages, messages


def test_the_readme_example_is_a_clean_guide(validator):
    text = (guides_folder() / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    full, extending = blocks[0], blocks[2]
    guide = load_guide_text(full, "README example", placeholders={"municipality": "Bodø"})
    assert len(guide.sections) == 3 and guide.info.audience == "both"
    assert list(validator.iter_errors(yaml_data(full))) == []
    group = load_guide_text(extending, "README base example", base_dir=guides_folder())
    assert [s.id for s in group.sections][:1] == ["om-deg"] and group.sections[-2].id == "sammen"


@pytest.mark.parametrize("path", [*shipped_guides(), guides_folder() / "README.md"], ids=lambda p: p.name)
def test_shipped_yaml_parses_with_and_without_libyaml(path):
    """libyaml is used when present; the pure-Python parser (no libyaml) must read the same files."""
    text = path.read_text(encoding="utf-8")
    texts = re.findall(r"```yaml\n(.*?)```", text, re.S) if path.suffix == ".md" else [text]
    for chunk in texts:
        assert yaml.compose(chunk, Loader=yaml.SafeLoader) is not None
