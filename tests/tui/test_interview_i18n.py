"""Every text of the interview screen, its keys and its palette commands exist in English and
bokmål, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from interviewkit import interview as core
from interviewkit.guides.model import PRIORITIES
from interviewkit.i18n import CATALOGS
from interviewkit.interview import NOTE_KINDS, QUESTION_STATES
from interviewkit.tui.screens import interview as screen
from interviewkit.tui.widgets import interview_panels

PREFIXES = ("interview", "guidepick", "summary", "qstate", "priority", "note", "istatus", "key", "cmd", "common",
            "kind", "role", "status")
LITERAL = re.compile(r"""["']((?:%s)\.[a-z_.\-]+)["']""" % "|".join(PREFIXES))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def used_keys() -> set[str]:
    files = [Path(screen.__file__), Path(interview_panels.__file__), *Path(core.__file__).parent.glob("*.py")]
    found: set[str] = set()
    for path in files:
        found.update(key for key in LITERAL.findall(path.read_text()) if not key.endswith("."))
    # not texts: the file name, the audit actions and the codes of core errors (their text is error.<code>)
    codes = {key for key in found if f"error.{key}" in CATALOGS["en"]}
    return found - codes - {"interview.age", "interview.start", "interview.end", "interview.summary-export"}


def test_every_key_is_in_both_catalogs_with_the_same_placeholders() -> None:
    dynamic = ({f"qstate.{s}" for s in QUESTION_STATES} | {f"priority.{p}" for p in PRIORITIES}
               | {f"note.kind.{k}" for k in NOTE_KINDS}
               | {f"istatus.{s}" for s in ("not-started", "running", "paused", "ended")})
    for action, _keys in screen.ACTIONS:
        name = "back_home" if action == "back" else action
        dynamic |= {f"key.{action}", f"cmd.{name}", f"cmd.{name}.help"}
    dynamic |= {"key.interview", "cmd.interview", "cmd.interview.help"}
    keys = used_keys() | dynamic
    assert len(used_keys()) > 50  # the scan found the screen's texts
    for lang in ("en", "nb"):
        missing = sorted(k for k in keys if k not in CATALOGS[lang])
        assert not missing, (lang, missing)
    for key in keys:
        assert placeholders(CATALOGS["en"][key]) == placeholders(CATALOGS["nb"][key]), key


def test_bokmal_wording() -> None:
    nb = CATALOGS["nb"]
    assert nb["qstate.asked"] == "stilt" and nb["qstate.skipped"] == "hoppet over" and nb["qstate.later"] == "senere"
    assert nb["priority.must"] == "må" and nb["priority.should"] == "bør"
    assert nb["interview.probes"] == "Oppfølgingsspørsmål:"
    assert nb["summary.md.title"] == "Intervjusammendrag: intervju {session}"
    assert nb["key.mark_skipped"] == "Hopp over"
