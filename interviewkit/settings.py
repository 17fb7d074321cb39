"""The user's settings file: preferences of this machine only (the interface language, the
audio devices), never study data.

``$XDG_CONFIG_HOME/interviewkit/settings.json`` (``~/.config`` when unset), a JSON object,
replaced atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from interviewkit.errors import StorageError
from interviewkit.vault.atomic import atomic_writer, make_private_dir

SETTINGS_NAME = "settings.json"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME")
    if not base or not os.path.isabs(base):  # the XDG spec says to ignore relative paths
        base = str(Path.home() / ".config")
    return Path(base) / "interviewkit"


def settings_path() -> Path:
    return config_dir() / SETTINGS_NAME


def load_settings() -> dict[str, object]:
    """All settings, or an empty dict when the file is missing or unreadable."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def load_setting(name: str) -> str | None:
    value = load_settings().get(name)
    return value if isinstance(value, str) else None


def save_setting(name: str, value: str | None) -> Path:
    """Set ``name`` to ``value``; ``None`` removes it (back to the default)."""
    path = settings_path()
    settings = load_settings() | {name: value}
    if value is None:
        del settings[name]
    try:
        make_private_dir(path.parent)
    except OSError as exc:
        raise StorageError(path.parent, f"cannot create the settings folder ({exc.strerror})",
                           "check the permissions of the configuration folder",
                           code="settings.cannot_create_folder", params={"detail": exc.strerror}) from None
    with atomic_writer(path) as out:
        out.write((json.dumps(settings, indent=1) + "\n").encode())
    return path
