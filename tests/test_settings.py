from pathlib import Path

import pytest

from interviewkit import settings
from interviewkit.errors import StorageError


def test_settings_follow_xdg_or_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert settings.settings_path() == tmp_path / "home" / ".config" / "interviewkit" / "settings.json"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")  # not absolute: ignored, as the spec says
    assert settings.settings_path() == tmp_path / "home" / ".config" / "interviewkit" / "settings.json"


def test_failed_save_is_an_interviewkit_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))  # a file where the folder should be
    with pytest.raises(StorageError):
        settings.save_setting("language", "nb")
