from __future__ import annotations

import pytest

from interviewkit.transcript.conventions import DEFAULT_CONVENTIONS, Convention, conventions_for

KEYS = {"laughter", "throat", "interruption", "pause", "omission", "unclear", "overlap"}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_language_has_every_convention(language: str) -> None:
    conventions = DEFAULT_CONVENTIONS[language]
    assert {c.key for c in conventions} == KEYS
    assert len(conventions) == len(KEYS)
    assert all(c.text and c.label for c in conventions)


def texts(language: str) -> dict[str, str]:
    return {c.key: c.text for c in conventions_for(language)}


def test_norwegian_and_english_texts() -> None:
    nb, nn, en = texts("nb"), texts("nn"), texts("en")
    assert nb == {"laughter": "(ler)", "throat": "(kremter)", "interruption": "–", "pause": "...",
                  "omission": "(...)", "unclear": "[uklart]", "overlap": "[samtidig tale]"}
    assert nn["throat"] == "(kremtar)" and nn["laughter"] == "(ler)"
    assert en == {"laughter": "(laughs)", "throat": "(clears throat)", "interruption": "–", "pause": "...",
                  "omission": "(...)", "unclear": "[unclear]", "overlap": "[overlapping speech]"}


def test_labels_are_in_the_language() -> None:
    labels = {c.key: c.label for c in conventions_for("nb")}
    assert labels["laughter"] == "Latter" and labels["unclear"] == "Uklart"
    assert {c.key: c.label for c in conventions_for("en")}["laughter"] == "Laughter"


def test_unknown_language_falls_back_to_english() -> None:
    assert conventions_for("de") == DEFAULT_CONVENTIONS["en"]
    assert conventions_for("") == DEFAULT_CONVENTIONS["en"]
    assert conventions_for("nb-NO") == DEFAULT_CONVENTIONS["nb"]


def test_custom_texts_replace_defaults() -> None:
    conventions = conventions_for("nb", {"pause": "(pause)", "unclear": "[?]", "sigh": "(sukk)"})
    by_key = {c.key: c for c in conventions}
    assert by_key["pause"] == Convention("pause", "(pause)", "Pause")
    assert by_key["unclear"].text == "[?]" and by_key["unclear"].label == "Uklart"
    assert by_key["laughter"].text == "(ler)"
    assert by_key["sigh"].text == "(sukk)"
    assert [c.key for c in conventions][:7] == [c.key for c in DEFAULT_CONVENTIONS["nb"]]
    assert DEFAULT_CONVENTIONS["nb"][3].text == "..."  # the defaults are untouched
