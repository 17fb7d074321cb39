"""The keys of the guide format and the words for them, shared by the loader, the writer
and the tests that hold the JSON Schema (``guides/guide.schema.json``) to the same keys."""

from __future__ import annotations

import difflib

from interviewkit.guides.model import AUDIENCES, GUIDE_AUDIENCES, PRIORITIES

LANGUAGES = ("nb", "nn", "en")

TOP_KEYS = ("title", "language", "version", "audience", "author", "date", "introduction", "consent_script",
            "base", "sections", "closing")
SECTION_KEYS = ("id", "title", "budget", "note", "questions")
QUESTION_KEYS = ("id", "text", "probes", "priority", "condition", "note")
WORDING_KEYS = AUDIENCES  # {individual: "...", group: "..."}

CHOICES = {"language": LANGUAGES, "audience": GUIDE_AUDIENCES, "priority": PRIORITIES}

# Words people write for a key, in Norwegian or English, mapped to the key meant.  Used only
# to suggest the right key; the file must use the English key.
ALIASES = {
    "tittel": "title", "overskrift": "title", "name": "title", "navn": "title",
    "språk": "language", "sprak": "language", "lang": "language", "målform": "language",
    "versjon": "version",
    "målgruppe": "audience", "type": "audience", "intervjutype": "audience",
    "forfatter": "author", "intervjuer": "author",
    "dato": "date",
    "innledning": "introduction", "intro": "introduction", "introduksjon": "introduction",
    "samtykke": "consent_script", "consent": "consent_script", "samtykketekst": "consent_script",
    "extends": "base", "utvider": "base", "mal": "base",
    "tema": "sections", "temaer": "sections", "hovedtema": "sections", "themes": "sections", "deler": "sections",
    "avslutning": "closing", "avrunding": "closing",
    "spørsmål": "questions", "sporsmal": "questions", "hovedspørsmål": "questions",
    "tid": "budget", "minutter": "budget", "minutes": "budget", "tidsbruk": "budget", "time": "budget",
    "notat": "note", "merknad": "note", "notes": "note", "kommentar": "note",
    "tekst": "text", "question": "text", "spørsmålstekst": "text",
    "oppfølging": "probes", "oppfølgingsspørsmål": "probes", "detaljspørsmål": "probes", "probe": "probes",
    "follow_up": "probes", "followups": "probes",
    "prioritet": "priority", "viktighet": "priority",
    "betingelse": "condition", "vilkår": "condition", "if": "condition", "hvis": "condition",
    "individuelt": "individual", "individuell": "individual", "default": "individual",
    "gruppe": "group", "gruppeintervju": "group",
}

VALUE_ALIASES = {
    "no": "nb", "nob": "nb", "bokmål": "nb", "norsk": "nb", "nno": "nn", "nynorsk": "nn", "eng": "en",
    "english": "en", "engelsk": "en", "en-gb": "en", "en-us": "en",
    "individuelt": "individual", "individuell": "individual", "single": "individual",
    "gruppe": "group", "focus group": "group", "fokusgruppe": "group", "begge": "both",
    "high": "must", "høy": "must", "ma": "must", "må": "must", "required": "must",
    "medium": "should", "bør": "should", "normal": "should",
    "low": "optional", "lav": "optional", "kan": "optional", "valgfri": "optional", "valgfritt": "optional",
}


def closest(word: str, known: tuple[str, ...], aliases: dict[str, str] = ALIASES) -> str | None:
    """The known word the user most likely meant, or None."""
    lowered = word.strip().lower()
    if lowered in known:
        return lowered
    alias = aliases.get(lowered)
    if alias in known:
        return alias
    match = difflib.get_close_matches(lowered, known, n=1, cutoff=0.6)
    return match[0] if match else None


def one_of(words: tuple[str, ...]) -> str:
    quoted = [f"'{w}'" for w in words]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]
