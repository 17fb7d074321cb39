"""One bokmål word per concept: a session is an *intervju* (never an *økt*), and *intervjuer*
(the plural that is also the word for the interviewer) never stands for sessions."""

from __future__ import annotations

import re

from interviewkit.i18n import CATALOGS


def test_a_session_is_an_intervju_never_an_okt() -> None:
    okt = re.compile(r"\bøkt|\bØkt")
    found = sorted(key for key, text in CATALOGS["nb"].items() if okt.search(text))
    assert not found, found
    assert CATALOGS["nb"]["col.session"] == "Intervju"
    assert CATALOGS["nb"]["transcribe.title"].startswith("Transkriber intervju")


def test_intervjuer_means_the_interviewer_only() -> None:
    word = re.compile(r"\b[Ii]ntervjuer\b")
    for key, text in CATALOGS["nb"].items():
        if word.search(text):
            assert "nterviewer" in CATALOGS["en"][key], (key, text)
    assert CATALOGS["nb"]["role.interviewer"] == "intervjuer"
    assert CATALOGS["nb"]["home.sessions"] != "Intervjuer"


def test_textual_key_help_is_translated() -> None:
    for action in ("cursor_up", "cursor_down", "focus_next", "focus_previous", "select_cursor", "submit",
                   "scroll_up", "page_down", "cursor_left_select", "delete_left"):
        assert CATALOGS["nb"][f"textual.{action}"] != CATALOGS["en"][f"textual.{action}"], action


def test_convention_names_in_both_languages() -> None:
    from interviewkit.transcript.conventions import KEYS

    for key in KEYS:
        assert CATALOGS["en"][f"convention.{key}"] and CATALOGS["nb"][f"convention.{key}"]
    assert CATALOGS["nb"]["convention.laughter"] == "Latter"


def test_one_word_for_the_passphrase_the_audit_log_and_the_steward() -> None:
    rules = {  # the word used → words for the same thing that must not appear
        "passordfrase": r"\b[Pp]assord\b",
        "revisjonslogg": r"[Aa]uditlogg|[Hh]endelseslogg|[Rr]evisjonsspor",
        "forvalter": r"\b[Dd]ataansvarlig|\b[Ss]teward",
        "koblingsnøkkel": r"[Kk]oblingsliste|[Kk]oblingsfil",
    }
    for word, others in rules.items():
        assert any(word in text.lower() for text in CATALOGS["nb"].values()), word
        found = sorted(key for key, text in CATALOGS["nb"].items() if re.search(others, text))
        assert not found, (word, found)
