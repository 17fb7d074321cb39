"""The words an export writes into its files, from the project's catalogs (``interviewkit.i18n``,
keys ``export.<format>.<name>``): bokmål for Norwegian projects (nynorsk too, for now), English
otherwise."""

from __future__ import annotations

from interviewkit.i18n import CATALOGS

NORWEGIAN = ("nb", "nn", "no")


def label_language(code: str | None) -> str:
    """``nb`` for a Norwegian language code (``nb``, ``nn``, ``no``, ``nb-NO`` …), else ``en``."""
    base = (code or "en").lower().replace("_", "-").split("-")[0]
    return "nb" if base in NORWEGIAN else "en"


def export_labels(area: str, language: str | None) -> dict[str, str]:
    """Every ``export.<area>.*`` text in the language, by its short name."""
    prefix = f"export.{area}."
    return {key[len(prefix):]: text for key, text in CATALOGS[label_language(language)].items()
            if key.startswith(prefix)}
