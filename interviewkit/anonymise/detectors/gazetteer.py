"""Known names: first names, surnames, municipalities and places from the gazetteers.

Only capitalised words count (``på ski`` and ``en bjørn`` give no hit).  At each position the
detector tries, in order:

1. a place name of several tokens (``Indre Østfold``, ``Mo i Rana``, ``St. Hanshaugen``):
   ``municipality`` or ``place``, 0.95;
2. a full name: two or more adjacent capitalised tokens (spaces only between them), one of
   them a known first name or surname, the others names too or capitalised words that are not
   common words, or any capitalised word after a known first name (``Kari Nordmann``, ``Ole
   Moen``, ``Kari Bakkevik``).  ``person``, 0.95; without a known first name and with every
   token also a common word, the single-name confidences below;
3. one token: a first name, a municipality or place, a surname, or else a proper noun of the
   system word lists.

Confidence of a single token (``initial`` = first word of a sentence or line, also after a
bracketed note that opens a sentence, ``(ler) Ute var det``; not after ``Dr.`` or ``St.``)::

                                   not initial   initial, not a common word   initial, common word
    first name / surname (Faker)       0.85                 0.75                      0.3
    municipality / place               0.90                 0.85                      0.3
    proper noun of the word lists      0.65                 0.50                      -
      … that is also a common word     0.60                  -                        -

``common word`` uses the lexicon's strict test (``Bjørn``/``bjørn``, ``Ski``/``ski``,
``Liv``/``liv``, ``Per``/``per``); proper nouns of the word lists count any loaded list
(English ``Will``/``will``).  English months and weekdays that are also first names (``May``,
``June``, ``April``, ``August``) give a hit only inside a full name.  Proper nouns of the word
lists carry no type: after a place preposition or with an ending such as ``-elva``,
``-fjorden``, ``-vågen`` they are a ``place``, otherwise a ``person``.

More rules:

* A first name that is also a place (``Lena``) is a person unless a place preposition comes
  before it (``fra``, ``frå``, ``i``, ``på``, ``til``, ``from``, ``in``; ``at`` in English,
  where Norwegian *at* is "that"); a surname that is also a place (``Lund``) is a place alone.
* Counties (``Trøndelag``, ``Møre og Romsdal``, also former ones such as ``Hordaland``) are
  too large to identify anyone: 0.45, below the pipeline's default threshold of 0.5.
* A known name inside an institution's name makes a ``workplace`` hit over the whole of it,
  0.85: a name followed by an institution word (``Levanger sykehus``, ``Ole Vig videregående
  skole``, ``St. Olavs hospital``) or a place after a capitalised institution word (``Sykehuset
  Levanger``, ``NAV Namsos``, ``Høgskulen i Volda``).  A name's genitive before a lower-case
  institution word is a possession, not a name: ``Karis barnehage`` gives ``Kari``.
* A doubtful hit (below 0.7) whose text the same document shows with confidence (0.75 or
  more; for persons also as part of a full name) is raised to 0.7: ``Bjørn kom.`` after ``med
  Bjørn``, ``Mark in finance`` after ``Mark Bellamy``.

Inflection: the genitive (``Karis``, ``Levangers``, ``Kari's``) and a compound with a hyphen
(``Levanger-området``, ``Hansen-familien``) are matched through their stem, and the hit covers
only the stem, so that ``Karis`` and ``Kari`` are the same name to the pipeline and a
pseudonym inherits the ``s``; a word that is an ordinary word of its own in both Norwegian
lists is not taken for a genitive (``Hals`` is not ``Hal``'s).  A municipality hit covers the
name only, also in ``Levanger kommune`` (``kommune`` raises the confidence to 0.95).  A name
with a hyphen whose parts are all first names (``Kari-Anne``) is one first name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from interviewkit.anonymise.detectors.proper_nouns import (
    ABBREVIATIONS,
    CALENDAR,
    MUNICIPALITY_AFTER,
    PLACE_BEFORE,
    SPEECH_VERBS,
    adjacent,
    effectively_initial,
    institution_after,
    institution_before,
    is_acronym,
    is_calendar,
    is_name_shaped,
    is_non_identifying,
    lookup_forms,
    possessive,
    with_saint,
)
from interviewkit.anonymise.gazetteer import Gazetteer, load_gazetteer, looks_like_place
from interviewkit.anonymise.hits import Hit
from interviewkit.anonymise.lexicon import Lexicon, load_lexicon
from interviewkit.anonymise.text import Document, Token

PHRASE_CONFIDENCE = 0.95
FULL_NAME_CONFIDENCE = 0.95
# (not initial, initial and not a common word, initial and a common word)
PERSON_CONFIDENCE = (0.85, 0.75, 0.3)
PLACE_CONFIDENCE = (0.9, 0.85, 0.3)
LEXICON_CONFIDENCE = (0.65, 0.5, None)
LEXICON_COMMON_CONFIDENCE = 0.6   # a proper noun of the lists that is also a common word (Sol, Hals)
MUNICIPALITY_WITH_KOMMUNE = 0.95
WORKPLACE_CONFIDENCE = 0.85       # a known name with an institution word: Levanger sykehus, NAV Namsos
REPEATED_CONFIDENCE = 0.7         # a doubtful hit whose name is found with confidence elsewhere
COUNTY_CONFIDENCE = 0.45          # a county (Trøndelag, Møre og Romsdal): reported, below the default 0.5


@dataclass(frozen=True, slots=True)
class _Word:
    """What the gazetteers say about one capitalised token (context-free, memoised)."""

    length: int          # how much of the token the matched form covers (stem for a genitive)
    first: bool          # a known first name
    surname: bool        # a known surname
    place: str | None    # "municipality" or "place"
    lexname: bool        # a proper noun of the system word lists, none of the above
    common: bool         # the matched form is also a common word (strict)
    calendar: bool       # an English month or weekday name
    whole: bool          # the form is the whole token (no genitive or hyphen stripped)

    @property
    def known_name(self) -> bool:
        return self.first or self.surname


class GazetteerDetector:
    """Names and places from the shipped gazetteers and Faker's name lists."""

    name = "gazetteer"

    def __init__(self, language: str = "no", *, lexicon: Lexicon | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon(language)
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self._place_words = PLACE_BEFORE[self.lexicon.language]
        self._memo: dict[str, _Word | None] = {}

    # -- one token, out of context --------------------------------------------------------

    def _word(self, text: str) -> _Word | None:
        if text in self._memo:
            return self._memo[text]
        word = self._classify(text)
        if len(self._memo) > 100_000:
            self._memo.clear()
        self._memo[text] = word
        return word

    def _classify(self, text: str) -> _Word | None:
        if not is_name_shaped(text) or is_acronym(text) or is_non_identifying(text) \
                or text.lower() in ABBREVIATIONS or text.startswith(("I'", "I’")):
            return None
        g, lex = self.gazetteer, self.lexicon
        forms = lookup_forms(text)
        for form, length in forms:
            lower = form.lower()
            first, surname, place = g.is_first_name(lower), g.is_surname(lower), g.place_type(lower)
            if first or surname or place:
                return _Word(length, first, surname, place, False, lex.is_common_word(lower, strict=True),
                             lower in CALENDAR, length == len(text))
        # the word lists hold genitives too (Kjerstis): prefer the stem, unless the word is a
        # word of its own in both Norwegian lists (Hals, not the genitive of Hal)
        whole_word = lex.is_common_word(text.lower(), strict=True)
        for form, length in (forms[:1] if whole_word else forms[1:] + forms[:1]):
            if lex.is_proper_noun(form) and not is_acronym(form) and "-" not in form and form[:1].isupper():
                lower = form.lower()
                if is_non_identifying(form) or is_calendar(form):
                    return None
                # any loaded list here (English "Will" in a Norwegian lexicon): these names are weak
                return _Word(length, False, False, None, True, lex.is_common_word(lower), False,
                             length == len(text))
        if "-" in text:  # Kari-Anne, Jan-Erik: every part a first name
            parts = text.split("-")
            if len(parts) > 1 and all(p[:1].isupper() and g.is_first_name(p.lower()) for p in parts):
                return _Word(len(text), True, False, None, False, False, False, True)
        return None

    def _extends_name(self, token: Token, after_first_name: bool) -> _Word | None | bool:
        """Can ``token`` continue a full name?  Its _Word, True for another capitalised word
        (one that is not a common word, or any after a known first name: ``Kari Nordmann``,
        ``Ole Moen``), or None."""
        text = token.text
        word = self._word(text)
        if word is not None:
            if word.calendar and not word.known_name:
                return None
            return word if (word.known_name or word.lexname or word.place) else None
        if is_name_shaped(text) and not is_acronym(text) and not is_non_identifying(text) \
                and text.lower() not in ABBREVIATIONS \
                and (after_first_name or not self.lexicon.is_common_word(text.lower(), strict=True)):
            return True
        return None

    def _genitive_stem(self, text: str) -> _Word | None:
        """The genitive stem of a word that is no known name (Nordmanns: Nordmann), when the
        stem is a word or a proper noun and the whole is not a word of its own (Hals)."""
        if self.lexicon.is_common_word(text.lower(), strict=True):
            return None
        for form, length in lookup_forms(text)[1:2]:
            if length == len(text) or form.endswith("-") or "-" in text[length:]:
                continue
            lower = form.lower()
            common = self.lexicon.is_common_word(lower, strict=True)
            if common or self.lexicon.is_proper_noun(form):
                return _Word(length, False, False, None, False, common, False, False)
        return None

    # -- the document ------------------------------------------------------------------------

    def detect(self, doc: Document) -> Iterator[Hit]:
        hits = list(self._detect(doc))
        # a doubtful hit (sentence-initial Bjørn) whose name the document shows with
        # confidence elsewhere (med Bjørn) is raised
        sure = {(h.text, h.type) for h in hits if h.confidence >= PERSON_CONFIDENCE[1]}
        sure |= {(part, "person") for h in hits if h.type == "person" and h.confidence >= PERSON_CONFIDENCE[1]
                 for part in h.text.split(" ")}  # Mark Bellamy: Mark
        for hit in hits:
            if hit.confidence < REPEATED_CONFIDENCE and (hit.text, hit.type) in sure:
                hit = Hit(hit.start, hit.end, hit.type, REPEATED_CONFIDENCE, hit.detector, hit.text)
            yield hit

    def _detect(self, doc: Document) -> Iterator[Hit]:
        tokens = doc.tokens
        n = len(tokens)
        i = 0
        while i < n:
            token = tokens[i]
            if not token.text[:1].isupper():
                i += 1
                continue
            found = self._phrase_at(doc, i)
            if found is None:
                word = self._word(token.text)
                if word is None:
                    i += 1
                    continue
                found = self._full_name(doc, i, word)
                if found is None:
                    hit = self._single(doc, i, word)
                    found = (hit, i + 1) if hit is not None else None
            if found is None:
                i += 1
                continue
            hit, resume = found
            workplace = self._workplace(doc, i, resume - 1, hit)
            if workplace is not None:
                hit, resume = workplace
            yield hit
            i = resume

    def _workplace(self, doc: Document, i: int, last: int, hit: Hit) -> tuple[Hit, int] | None:
        """A known name inside an institution's name is the institution: ``Levanger sykehus``,
        ``Ole Vig videregående skole``, ``St. Olavs hospital``, ``Sykehuset Levanger``,
        ``NAV Namsos``, ``Høgskulen i Volda``."""
        tokens, text = doc.tokens, doc.text
        genitive = hit.end != tokens[last].end
        if genitive and not tokens[last].text.endswith("s"):
            return None  # a compound: Levanger-området
        after = institution_after(tokens, text, last)
        if after is not None and possessive(tokens, text, i, last, after, lambda stem: genitive):
            return None  # Karis barnehage: Kari's kindergarten
        if after is not None and hit.confidence < 0.5 \
                and any(tokens[k].text[:1].islower() for k in range(last + 1, after + 1)):
            return None  # "Ski skole er …" at the start of a sentence: too doubtful
        before = None
        if after is None and hit.type in ("municipality", "place") and not effectively_initial(tokens, text, i):
            before = institution_before(tokens, text, i)
        if after is None and before is None:
            return None
        first = before if before is not None else with_saint(tokens, text, i)
        end_token = after if after is not None else last
        start, end = tokens[first].start, tokens[end_token].end
        return Hit(start, end, "workplace", WORKPLACE_CONFIDENCE, self.name, text[start:end]), end_token + 1

    def _phrase_at(self, doc: Document, i: int) -> tuple[Hit, int] | None:
        match = self.gazetteer.match_phrase(doc, i)
        if match is None:
            return None
        phrase, last, end = match
        start = doc.tokens[i].start
        confidence = COUNTY_CONFIDENCE if phrase.weak else PHRASE_CONFIDENCE
        return Hit(start, end, phrase.type, confidence, self.name, doc.text[start:end]), last + 1

    def _full_name(self, doc: Document, i: int, word: _Word) -> tuple[Hit, int] | None:
        tokens, text = doc.tokens, doc.text
        if not (word.known_name or word.lexname) or not word.whole or (word.place and not word.known_name):
            return None
        # (the token's _Word or None for a word no list knows, is it a common word)
        members: list[tuple[_Word | None, bool]] = [(word, word.common)]
        j = i
        while j + 1 < len(tokens) and adjacent(text, tokens[j], tokens[j + 1]) and tokens[j + 1].text[:1].isupper():
            if self.gazetteer.phrases_from(tokens[j + 1].text.lower()) and self.gazetteer.match_phrase(doc, j + 1):
                break  # "Kari Indre Østfold": the place stays a place
            previous = members[-1][0]
            nxt = self._extends_name(tokens[j + 1], previous is not None and previous.first)
            if nxt is None:
                break
            j += 1
            if isinstance(nxt, _Word) and nxt.lexname and nxt.whole:
                genitive = self._genitive_stem(tokens[j].text)
                if genitive is not None:  # Kari Nordmanns bil
                    members.append((genitive, genitive.common))
                    break
            if isinstance(nxt, _Word):
                members.append((nxt, nxt.common))
                if not nxt.whole:
                    break  # a genitive ends the name: "Kari Hansens bil"
                continue
            # a word no list knows as a name: its genitive is stripped when the stem is a
            # known word (Nordmanns), kept when not (Bakkevikstads may be a name in -s)
            genitive = self._genitive_stem(tokens[j].text)
            if genitive is not None:
                members.append((genitive, genitive.common))
                break
            members.append((None, self.lexicon.is_common_word(tokens[j].text.lower(), strict=True)))
        if j == i:
            return None
        known = [m for m, _ in members if m is not None and m.known_name]
        lexnames = [m for m, _ in members if m is not None and m.lexname]
        if not known and len(lexnames) < 2:
            return None
        start = tokens[i].start
        last = members[-1][0]
        end = tokens[j].start + last.length if last is not None else tokens[j].end
        if word.first or not all(common for _, common in members):
            confidence = FULL_NAME_CONFIDENCE  # Kari Nordmann, Per Moen, Liv Hegge
        elif effectively_initial(tokens, text, i):
            confidence = PERSON_CONFIDENCE[2]
        else:
            confidence = PERSON_CONFIDENCE[0]
        return Hit(start, end, "person", confidence, self.name, text[start:end]), j + 1

    def _single(self, doc: Document, i: int, word: _Word) -> Hit | None:
        tokens, text = doc.tokens, doc.text
        token = tokens[i]
        if word.calendar:
            return None  # May, June: a month unless inside a full name
        initial = effectively_initial(tokens, text, i)
        if initial and self.lexicon.is_function_word(token.text.lower()):
            return None  # Ho (she), May: a sentence-initial function word
        after_place_word = False
        previous = tokens[i - 1] if i > 0 else token
        if not initial and i > 0:
            lower = previous.text.lower()
            after_place_word = lower in self._place_words and (
                lower != "i" or previous.text == "i" or previous.sentence_initial)
        if after_place_word and previous.text.lower() in ("til", "to") and i >= 2 \
                and tokens[i - 2].text.lower() in SPEECH_VERBS:
            after_place_word = False  # "sa til Kari"
        if word.first and not (word.place and after_place_word):
            entity, table = "person", PERSON_CONFIDENCE
        elif word.place:
            entity, table = word.place, PLACE_CONFIDENCE
        elif word.surname:
            entity, table = "person", PERSON_CONFIDENCE
        else:
            place = after_place_word or looks_like_place(token.text[:word.length])
            entity = "place" if place else "person"
            table = (LEXICON_COMMON_CONFIDENCE, None, None) if word.common else LEXICON_CONFIDENCE
        if not initial:
            confidence = table[0]
        elif not word.common:
            confidence = table[1]
        else:
            confidence = table[2]
        if confidence is None:
            return None
        if word.place and entity == word.place and self.gazetteer.is_weak(token.text[:word.length].lower()):
            confidence = min(confidence, COUNTY_CONFIDENCE)
        if entity == "municipality" and i + 1 < len(tokens) and tokens[i + 1].text.lower() in MUNICIPALITY_AFTER \
                and adjacent(text, token, tokens[i + 1]):
            confidence = max(confidence, MUNICIPALITY_WITH_KOMMUNE)
        start, end = token.start, token.start + word.length
        return Hit(start, end, entity, confidence, self.name, text[start:end])
