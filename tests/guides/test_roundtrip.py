"""dump_guide → load_guide_text gives back an equal Guide, whatever the texts hold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewkit.guides import dump_guide, load_guide, load_guide_text, shipped_guide
from interviewkit.guides.model import Guide, GuideInfo, Question, Section, Wording

TRICKY = [": ", "#", " #", "'", '"', "\n", "\n\n", "  ", "- ", "{municipality}", "{", "}", "[", "]", "&", "*",
          "!", "|", ">", "%", "@", "`", "yes", "no", "null", "~", "12", "1.5", "2026-09-01", "\t", "æøå",
          "\u2028", "\x85", "\ufeff", "\r\n", "—", "…"]

plain_chars = st.characters(blacklist_categories=("Cs",))
chunks = st.one_of(st.sampled_from(TRICKY), st.text(plain_chars, min_size=1, max_size=8))
any_text = st.lists(chunks, max_size=6).map("".join)
spoken_text = any_text.filter(lambda s: s.strip() != "")  # a text read aloud is never blank
ids = st.text(st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=10).filter(
    lambda s: s.split() == [s])
wordings = st.builds(Wording, spoken_text, st.one_of(st.none(), spoken_text))
optional_text = st.one_of(st.none(), any_text)
budgets = st.one_of(st.none(), st.integers(1, 600).map(float),
                    st.floats(0.01, 1e6, allow_nan=False, allow_infinity=False))


@st.composite
def guides(draw) -> Guide:
    used_questions: set[str] = set()

    def question() -> Question:
        qid = draw(ids.filter(lambda i: i not in used_questions))
        used_questions.add(qid)
        return Question(id=qid, text=draw(wordings), probes=draw(st.lists(wordings, max_size=3)),
                        priority=draw(st.sampled_from(["must", "should", "optional"])),
                        condition=draw(optional_text), note=draw(optional_text))

    section_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    has_closing = draw(st.booleans())
    sections = []
    for number, sid in enumerate(section_ids):
        closing = has_closing and number == len(section_ids) - 1
        questions = [question() for _ in range(draw(st.integers(1, 3)))]
        sections.append(Section(id=sid, title=draw(wordings), questions=questions,
                                budget_minutes=draw(budgets), note=draw(optional_text),
                                kind="closing" if closing else "theme"))
    info = GuideInfo(title=draw(spoken_text), language=draw(st.sampled_from(["nb", "nn", "en"])),
                     version=draw(any_text), audience=draw(st.sampled_from(["individual", "group", "both"])),
                     author=draw(optional_text),
                     date=draw(st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()).filter(
                         lambda d: len(d) == 10))))
    return Guide(info=info, sections=sections, introduction=draw(st.one_of(st.none(), wordings)),
                 consent_script=draw(st.one_of(st.none(), wordings)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guides())
def test_dump_then_load_gives_an_equal_guide(guide):
    text = dump_guide(guide)
    assert load_guide_text(text, "<dumped>") == guide


def test_dump_writes_sections_and_the_closing_under_their_keys():
    guide = load_guide(shipped_guide("employee-wellbeing-en"))
    text = dump_guide(guide, schema="guide.schema.json")
    assert text.startswith("# yaml-language-server: $schema=guide.schema.json\ntitle: ")
    assert "\nsections:\n" in text and "\nclosing:\n" in text
    assert load_guide_text(text) == guide


def test_dump_of_an_extended_guide_keeps_its_base(tmp_path):
    path = shipped_guide("ungdom-tjenester-gruppe")
    guide = load_guide(path)
    text = dump_guide(guide)
    assert "base: ungdom-tjenester-individuelt.yaml" in text
    assert load_guide_text(text, base_dir=path.parent) == guide


def test_examples():
    guide = Guide(GuideInfo(title="yes"), [Section("s1", Wording("  leading"), [
        Question("q", Wording("Tid: hvor lenge? # ikke kommentar", "line one\nline two\n"),
                 probes=[Wording("'quoted'"), Wording('"dq"'), Wording("{municipality}")])])])
    assert load_guide_text(dump_guide(guide)) == guide
