"""The project vocabulary: names and places the project knows (participants from the consent
records, third parties the user entered, the municipality, workplaces, local project names).

A known term is found however the transcript writes it: any case, Norwegian genitive (*Karis*,
*Levangers*), definite forms of the common-noun part of a multi-word term (*Nordlys barnehagen*),
and small misspellings by the recogniser (*Kjersti* heard as *Kjersi*: one edit in a short name,
two in a long one).  Each part of a person's name identifies on its own (*Kari*, *Nordmann*);
for other terms the distinctive (capitalised, uncommon) word alone is found with a lower
confidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from interviewkit.anonymise.hits import ENTITY_TYPES, Hit
from interviewkit.anonymise.text import WORD, Document, Token, normalise

# Endings a Norwegian noun or name may carry in running speech.
GENITIVE = ("s", "'s", "’s", "'", "’")
DEFINITE = ("en", "et", "a", "ene", "ane", "ne", "n")
MIN_FUZZY_LENGTH = 5  # shorter words are too easily another word
# Words that say what kind of place a term is ("Nordlys barnehage"): never a name on their own.
KIND_WORDS = frozenset(["barnehage", "barnehagen", "skole", "skolen", "skule", "skulen", "sykehus", "sykehuset", "sjukehus", "sjukehuset", "sykehjem", "sykehjemmet", "kommune", "kommunen", "fylke", "fylket", "prosjekt", "prosjektet", "senter", "senteret", "senter", "sentret", "bedrift", "firma", "as", "asa", "sa", "ba", "legekontor", "helsestasjon", "helsestasjonen", "ungdomsskole", "barneskole", "videregående", "universitet", "universitetet", "høgskole", "høgskolen", "høgskule", "høgskulen", "kirke", "kirken", "kyrkje", "kyrkja", "klubb", "klubben", "lag", "laget", "forening", "foreningen", "school", "college", "university", "hospital", "clinic", "centre", "center", "project", "programme", "program", "kindergarten", "nursery", "council", "county", "borough", "church", "club", "ltd", "inc", "plc", "company", "the", "and", "for", "of", "og", "i", "på", "for", "til", "av"])


@dataclass(frozen=True)
class Term:
    """A known identifier: its type, its text, and the replacement it asks for (a participant's
    speaker code, or ``None`` to let the pseudonym map number it)."""

    type: str
    text: str
    code: str | None = None

    def __post_init__(self) -> None:
        if self.type not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {self.type!r}")


@dataclass(frozen=True)
class _Pattern:
    term: Term
    words: tuple[str, ...]  # lower-case words of the term (or of one part of it)
    confidence: float
    part: bool = False  # one word of a longer term that is not a person's name


def _words(text: str) -> tuple[str, ...]:
    return tuple(m.group().lower() for m in WORD.finditer(normalise(text)[0]))


def _allowed_distance(word: str) -> int:
    if len(word) < MIN_FUZZY_LENGTH:
        return 0
    return 1 if len(word) < 9 else 2


class VocabularyDetector:
    name = "vocabulary"

    def __init__(self, terms: Iterable[Term], is_common_word: Callable[[str], bool] = lambda w: False) -> None:
        self._is_common = is_common_word
        patterns: list[_Pattern] = []
        for term in terms:
            words = _words(term.text)
            if not words:
                continue
            patterns.append(_Pattern(term, words, 0.99))
            if len(words) > 1:
                for word in words:
                    if len(word) < 2:
                        continue
                    if term.type == "person":  # each part of a name names the person
                        patterns.append(_Pattern(term, (word,), 0.95))
                    elif word[:1].isalpha() and len(word) > 2 and word not in KIND_WORDS:
                        # "Løft" of "Prosjekt Løft": found when capitalised (an ordinary word
                        # only where no sentence begins)
                        patterns.append(_Pattern(term, (word,), 0.7 if is_common_word(word) else 0.8, part=True))
        # longest first, so that "Kari Nordmann" wins over "Kari"
        patterns.sort(key=lambda p: -len(p.words))
        self._by_first: dict[str, list[_Pattern]] = {}
        for pattern in patterns:
            self._by_first.setdefault(pattern.words[0], []).append(pattern)
        self._fuzzy_keys = [w for w in self._by_first if len(w) >= MIN_FUZZY_LENGTH]

    # -- matching one token against one word of a term ------------------------------------
    def _exact(self, token: str, word: str, last: bool) -> bool:
        if token == word:
            return True
        if not token.startswith(word):
            return False
        rest = token[len(word):]
        return rest in GENITIVE or (last and rest in DEFINITE)

    def _fuzzy(self, token: Token, word: str) -> bool:
        lower = token.text.lower()
        limit = _allowed_distance(word)
        if not limit or not token.capitalised or self._is_common(lower):
            return False
        if lower[:1] != word[:1]:
            return False
        for form in (lower, lower[:-1] if lower.endswith("s") else None):
            if form and Levenshtein.distance(form, word, score_cutoff=limit) <= limit:
                return True
        return False

    def _candidates(self, token: Token) -> list[_Pattern]:
        lower = token.text.lower()
        found = list(self._by_first.get(lower, ()))
        for cut in (1, 2, 3):  # genitive / definite endings on a one-word term
            found += self._by_first.get(lower[:-cut], ()) if len(lower) > cut + 1 else ()
        if not found and token.capitalised and len(lower) >= MIN_FUZZY_LENGTH - 1:
            for key in self._fuzzy_keys:
                if abs(len(key) - len(lower)) <= 2 and self._fuzzy(token, key):
                    found += self._by_first[key]
        return found

    def _match_at(self, tokens: list[Token], i: int) -> tuple[_Pattern, int, bool] | None:
        for pattern in self._candidates(tokens[i]):
            n = len(pattern.words)
            if i + n > len(tokens):
                continue
            exact = True
            for k, word in enumerate(pattern.words):
                token = tokens[i + k]
                if k and (token.sentence_initial or token.start - tokens[i + k - 1].end > 1):
                    break  # a name does not run across a full stop, a comma or a line
                if self._exact(token.text.lower(), word, k == n - 1):
                    continue
                if self._fuzzy(token, word):
                    exact = False
                    continue
                break
            else:
                return pattern, n, exact
        return None

    def detect(self, doc: Document) -> Iterator[Hit]:
        tokens = doc.tokens
        i = 0
        while i < len(tokens):
            match = self._match_at(tokens, i)
            if match is None:
                i += 1
                continue
            pattern, n, exact = match
            start, end = tokens[i].start, tokens[i + n - 1].end
            confidence = pattern.confidence if exact else pattern.confidence * 0.85
            # a lone common word ("sol", "ski") is the name only when capitalised, and is
            # doubtful at the start of a sentence ("Sol skinte")
            lone_common = n == 1 and self._is_common(tokens[i].text.lower())
            if lone_common and tokens[i].sentence_initial:
                confidence = min(confidence, 0.5)
                if pattern.part:
                    confidence = 0.0
            # "Nordlys" alone points at "Nordlys barnehage"; "centre" alone does not
            lower_case = not tokens[i].capitalised
            if confidence and not ((lone_common or pattern.part) and lower_case):
                yield Hit(start, end, pattern.term.type, round(confidence, 3), self.name,
                          doc.text[start:end], pattern.term.text)
            i += n
