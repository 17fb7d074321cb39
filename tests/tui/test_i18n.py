"""The catalogs and the choice of language: argument > env > settings file > locale > English."""

from __future__ import annotations

import json
import os
import string
from pathlib import Path

import pytest

from interviewkit.errors import InvalidInput
from interviewkit.i18n import CATALOGS, load_language_setting, resolve_language, save_language_setting, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert set(CATALOGS["en"]) == set(CATALOGS["nb"])
    for key, english in CATALOGS["en"].items():
        assert placeholders(english) == placeholders(CATALOGS["nb"][key]), key


def test_bokmal_terms() -> None:
    nb = CATALOGS["nb"]
    assert nb["unlock.button"] == "Lås opp"
    assert nb["unlock.passphrase"] == "Passordfrase"
    assert nb["home.participants"] == "Deltakere"
    assert nb["status.withdrawn"] == "trukket"
    assert nb["cmd.add_participant"] == "Legg til deltaker"
    assert nb["recipients.title"] == "Mottakere"
    assert nb["cmd.verify_audit"] == "Kontroller revisjonsloggen"
    assert nb["key.quit"] == "Avslutt"


def test_t_formats_and_falls_back() -> None:
    assert t("audit.ok", "nb", count=3) == "3 oppføringer, ingen problemer"
    assert t("audit.ok", "en", count=3) == "3 entries, no problems"
    assert t("audit.ok", "xx", count=1) == "1 entries, no problems"  # unknown language: English
    assert t("no.such.key", "nb") == "no.such.key"
    assert t("recipients.confirm_remove", "en", key="age1x").startswith("Remove age1x?")


def test_resolution_order(monkeypatch: pytest.MonkeyPatch, isolated_env: Path) -> None:
    assert resolve_language() == "en"
    monkeypatch.setenv("LANG", "nn_NO.UTF-8")
    assert resolve_language() == "nb"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # LC_ALL overrides LANG
    assert resolve_language() == "en"
    monkeypatch.delenv("LC_ALL")
    monkeypatch.setenv("LC_MESSAGES", "no_NO")
    monkeypatch.setenv("LANG", "C")
    assert resolve_language() == "nb"
    save_language_setting("en")  # the settings file beats the locale
    assert resolve_language() == "en"
    monkeypatch.setenv("INTERVIEWKIT_LANG", "nb")  # the environment beats the settings file
    assert resolve_language() == "nb"
    assert resolve_language("en") == "en"  # an explicit choice beats everything
    assert resolve_language("nb_NO") == "nb"
    with pytest.raises(InvalidInput):
        resolve_language("de")


def test_settings_file_holds_only_the_language(isolated_env: Path) -> None:
    path = save_language_setting("nb")
    assert path == isolated_env / "interviewkit" / "settings.json"
    assert json.loads(path.read_text()) == {"language": "nb"}
    assert os.listdir(path.parent) == ["settings.json"]
    assert load_language_setting() == "nb"
    path.write_text("{broken")
    assert load_language_setting() is None  # an unreadable file is ignored, not fatal
    assert resolve_language() == "en"


def test_every_key_the_interface_uses_is_in_the_catalog() -> None:
    import re

    import interviewkit.tui as tui
    from interviewkit.consent import CONSENT_ITEMS, CONSENT_MODES, ROLES
    from interviewkit.recipients import SCOPES
    from interviewkit.sessions import SESSION_KINDS

    prefixes = ("app", "common", "key", "cmd", "open", "unlock", "home", "col", "item", "status", "kind", "role",
                "mode", "scope", "session", "participant", "withdraw", "recipients", "audit", "error", "language",
                "palette", "screenshot")
    literal = re.compile(r"""["']((?:%s)\.[a-z_.\-]+)["']""" % "|".join(prefixes))
    used: set[str] = set()
    for path in Path(tui.__file__).parent.rglob("*.py"):
        used.update(key for key in literal.findall(path.read_text()) if not key.endswith("."))
    used -= {"cmd.keys.help"}  # built from the title key at run time; listed below anyway
    dynamic = ([f"kind.{k}" for k in SESSION_KINDS] + [f"role.{r}" for r in ROLES] + [f"mode.{m}" for m in CONSENT_MODES]
               + [f"scope.{s}" for s in SCOPES] + [f"item.{i}" for i in CONSENT_ITEMS]
               + [f"item.short.{i}" for i in CONSENT_ITEMS]
               + [f"status.{s}" for s in ("consented", "partial", "none", "withdrawn")]
               + [f"{k}.help" for k in ("cmd.theme", "cmd.keys", "cmd.keys.hide", "cmd.maximize", "cmd.minimize")])
    missing = sorted(k for k in used | set(dynamic) if k not in CATALOGS["en"])
    assert not missing
    assert len(used) > 60  # the scan found the interface's keys


def test_every_footer_key_and_palette_command_is_translated() -> None:
    from textual.binding import Binding

    from interviewkit.tui.app import InterviewkitApp
    from interviewkit.tui.screens import audit, forms, home, recipients, unlock

    classes = [InterviewkitApp, home.HomeScreen, unlock.OpenScreen, unlock.UnlockScreen, forms.AddSessionModal,
               forms.AddParticipantModal, forms.WithdrawModal, forms.ConfirmModal, recipients.RecipientsModal,
               audit.AuditModal]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.show:
                for lang in ("en", "nb"):
                    assert f"key.{binding.action}" in CATALOGS[lang], (cls.__name__, binding.action)
    for action, _key in home.ACTIONS:
        for suffix in ("", ".help"):
            assert f"cmd.{action}{suffix}" in CATALOGS["nb"]
    assert "key.command_palette" in CATALOGS["nb"]
