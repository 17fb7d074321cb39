"""Transcription conventions: what the transcriber inserts for laughter, a pause, an
omission, an unclear passage, an interruption or overlapping speech.  A project may define its
own (kept encrypted in the project index: ``study.conventions``); the defaults follow common
Norwegian practice (seed theses), with English labels for English projects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Convention:
    key: str  # a stable name: laughter, pause, omission, unclear, interruption, overlap, throat
    text: str  # what is inserted, e.g. "(ler)", "...", "(...)", "[uklart]"
    label: str  # shown in the menu


KEYS = ("laughter", "throat", "interruption", "pause", "omission", "unclear", "overlap")

_TEXTS = {
    "nb": ("(ler)", "(kremter)", "–", "...", "(...)", "[uklart]", "[samtidig tale]"),
    "nn": ("(ler)", "(kremtar)", "–", "...", "(...)", "[uklart]", "[samtidig tale]"),
    "en": ("(laughs)", "(clears throat)", "–", "...", "(...)", "[unclear]", "[overlapping speech]"),
}
_LABELS = {
    "nb": ("Latter", "Kremting", "Avbrytelse", "Pause", "Utelatelse", "Uklart", "Samtidig tale"),
    "nn": ("Latter", "Kremting", "Avbroting", "Pause", "Utelating", "Uklart", "Samtidig tale"),
    "en": ("Laughter", "Throat-clearing", "Interruption", "Pause", "Omission", "Unclear", "Overlapping speech"),
}

DEFAULT_CONVENTIONS: dict[str, tuple[Convention, ...]] = {  # language ("nb", "nn", "en") → conventions
    language: tuple(Convention(key, text, label) for key, text, label in zip(KEYS, _TEXTS[language], _LABELS[language]))
    for language in ("nb", "nn", "en")
}
_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "eng": "en"}


def conventions_for(language: str, custom: dict[str, str] | None = None) -> tuple[Convention, ...]:
    """The conventions for a project language, with the project's own texts replacing defaults."""
    base = (language or "").replace("_", "-").split("-")[0].strip().lower()
    base = _ALIASES.get(base, base)
    conventions = list(DEFAULT_CONVENTIONS.get(base, DEFAULT_CONVENTIONS["en"]))
    for key, text in (custom or {}).items():
        if not text:
            continue
        for i, convention in enumerate(conventions):
            if convention.key == key:
                conventions[i] = Convention(key, text, convention.label)
                break
        else:  # a convention of the project's own: its key is its label
            conventions.append(Convention(key, text, key))
    return tuple(conventions)
