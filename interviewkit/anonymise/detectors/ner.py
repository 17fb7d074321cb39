"""An optional named-entity back-end: a spaCy pipeline, when installed (off by default).

Norwegian: ``nb_core_news_sm``/``_md``/``_lg``; English: ``en_core_web_sm``/``_md``/``_lg``
(``python -m spacy download nb_core_news_md`` with network).  The tool works offline without
it: the other detectors do not need it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from interviewkit.anonymise.hits import Hit
from interviewkit.anonymise.text import Document
from interviewkit.errors import InvalidInput

MODELS = {"no": ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm"),
          "en": ("en_core_web_lg", "en_core_web_md", "en_core_web_sm")}
# spaCy labels (Norwegian NorNE-style and English OntoNotes) → our types
LABELS = {"PER": "person", "PERSON": "person", "LOC": "place", "GPE": "place", "GPE_LOC": "place",
          "GPE_ORG": "workplace", "ORG": "workplace", "FAC": "place"}
CONFIDENCE = 0.7


@lru_cache(maxsize=2)
def _pipeline(language: str) -> Any:
    if importlib.util.find_spec("spacy") is None:
        raise InvalidInput("--ner", "spaCy is not installed",
                           "pip install spacy and a model such as nb_core_news_md, or leave NER off",
                           code="anonymise.no_spacy")
    import spacy

    family = "en" if language == "en" else "no"
    for name in MODELS[family]:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name)
    raise InvalidInput("--ner", f"no spaCy model for '{language}' is installed",
                       f"python -m spacy download {MODELS[family][-1]}, or leave NER off",
                       code="anonymise.no_spacy_model", params={"language": language, "model": MODELS[family][-1]})


class NerDetector:
    name = "ner"

    def __init__(self, language: str) -> None:
        self._nlp = _pipeline(language)

    def detect(self, doc: Document) -> Iterator[Hit]:
        for ent in self._nlp(doc.text).ents:
            kind = LABELS.get(ent.label_)
            if kind and ent.end_char > ent.start_char:
                yield Hit(ent.start_char, ent.end_char, kind, CONFIDENCE, self.name, ent.text)
