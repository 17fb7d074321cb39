"""Unknown names: capitalised words that no list knows, typed by the words around them.

In Norwegian only proper nouns are capitalised inside a sentence, and in English mostly so; a
capitalised word that is not sentence-initial, whose lower-case form is not a common word (the
lexicon's strict test) and that is not a known non-identifying proper noun (``NAV``, ``Norge``,
``Teams``: the stop list below) is most likely a name the gazetteers miss.  Context cues choose
the type (strongest first):

=========================================================  ==============  ==========
cue                                                        type            confidence
=========================================================  ==============  ==========
followed by an institution word (``skole``, ``sykehus``,   workplace       0.8
``barnehage``, ``AS``, ``Ltd``, ``school``, ``hospital``,
``videregående skole``, ``Primary School``)
after a capitalised institution word (``Sykehuset X``,     workplace       0.8
``NAV X``, ``Høgskulen i X``)
followed by ``kommune``, ``fylke``, ``county``             municipality    0.9
followed by ``sa``/``sier``/``said``                       person          0.9
after ``heter``/``het``/``kalt``/``kalles``/``navnet``/    person          0.9
``named``/``called``/``my name is``/``call her``, a title
(``fru``, ``herr``, ``frk.``, ``dr.``, ``Mr``, ``Mrs``,
``Ms``), ``sa``/``sier`` (Norwegian inversion: *«Nei», sa
Kari*), ``sa til``/``said to``
after ``jobber på``, ``arbeider ved``, ``works at`` …      workplace       0.8
after ``fra``, ``frå``, ``i``, ``på``, ``til``, ``from``,  place           0.7
``in`` (and ``at`` in English: Norwegian *at* is "that")
none (not sentence-initial, not a common word)             person          0.6
=========================================================  ==============  ==========

Rules of evidence:

* Consecutive capitalised words separated by spaces form one hit (``Ole Kristian
  Bakkevik``); cues are read around the whole group.
* A sentence-initial word counts only with a strong cue (institution or ``kommune`` after
  it, ``sa`` after it); otherwise it is left out of the group, and so is a sentence-initial
  common word before a name (``Then Gnirkesen said``).  "Sentence-initial" as for the
  gazetteer detector: not after ``Dr.``/``St.``, but after a note such as ``(ler)`` that opens
  a sentence.
* A capitalised common word (``Nordlys skole``), a word the gazetteers know (``Levanger``,
  ``Kari``: the gazetteer detector reports those) and an acronym of 2–5 capitals (``UNN``)
  count only with a cue: known words with the strong cues and person cues, common words with
  institution, ``kommune``, person-before and ``jobber på`` cues (not ``sa`` after: *Jeg
  sa*), acronyms with institution, ``jobber på`` and place cues.
* A workplace hit covers the name and the institution words (``Nordlys skole``, ``Levanger
  videregående skole``, ``Hansen Bil AS``, ``St. Olavs hospital``, ``Sykehuset Tuvstad``); a
  municipality hit covers only the name (``Bakkevik`` in ``Bakkevik kommune``), like the
  gazetteer detector's.  A name's genitive before a lower-case institution word is a
  possession, not a name (``Karis barnehage``, ``Hansens skole``).
* A one-word name found inside a sentence is reported at the start of a sentence too
  (``Tuvstad var stengt. … ringte Tuvstad``), at 0.6.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from interviewkit.anonymise.gazetteer import Gazetteer, load_gazetteer
from interviewkit.anonymise.hits import Hit
from interviewkit.anonymise.lexicon import Lexicon, load_lexicon
from interviewkit.anonymise.text import Document, Token

# -- word lists shared with the gazetteer detector ----------------------------------------

# Proper nouns that do not identify anyone: countries and continents, languages and
# nationalities (capitalised in English), religion, holidays, public bodies, parties,
# platforms and brands that come up in interviews.  Lower-case; matched on the word, its
# genitive and the part before a hyphen (``Covid-19``, ``NAV-kontoret``).
NON_IDENTIFYING: frozenset[str] = frozenset(["norge", "noreg", "norway", "norsk", "norwegian", "norwegians", "sverige", "sweden", "swedish", "danmark", "denmark", "danish", "finland", "finnish", "island", "iceland", "icelandic", "europa", "europe", "european", "eu", "eøs", "afrika", "africa", "african", "asia", "asian", "amerika", "america", "american", "americans", "usa", "us", "uk", "britain", "british", "england", "english", "scotland", "scottish", "wales", "welsh", "ireland", "irish", "storbritannia", "tyskland", "germany", "german", "frankrike", "france", "french", "spania", "spain", "spanish", "italia", "italy", "italian", "polen", "poland", "polish", "litauen", "lithuania", "russland", "russia", "russian", "ukraina", "ukraine", "ukrainian", "kina", "china", "chinese", "japan", "japanese", "india", "indian", "pakistan", "pakistani", "somalia", "somali", "syria", "syrian", "irak", "iraq", "iran", "afghanistan", "eritrea", "etiopia", "ethiopia", "tyrkia", "turkey", "turkish", "hellas", "greece", "greek", "nederland", "netherlands", "dutch", "belgia", "belgium", "sveits", "switzerland", "østerrike", "austria", "canada", "australia", "brasil", "brazil", "mexico", "thailand", "filippinene", "philippines", "vietnam", "kenya", "nigeria", "marokko", "morocco", "egypt", "palestina", "palestine", "israel", "bosnia", "serbia", "kroatia", "croatia", "kosovo", "romania", "bulgaria", "ungarn", "hungary", "estland", "estonia", "latvia", "skandinavia", "scandinavia", "scandinavian", "nordic", "norden", "arabic", "arabisk", "latin", "latinamerika", "nord-norge", "sør-norge", "midt-norge", "vestlandet", "østlandet", "sørlandet", "gud", "god", "jesus", "kristus", "christ", "allah", "bibelen", "bible", "koranen", "quran", "koran", "muslim", "muslims", "christian", "christians", "catholic", "katolsk", "protestant", "jewish", "jew", "hindu", "buddhist", "islam", "christmas", "easter", "halloween", "ramadan", "eid", "advent", "pinse", "nav", "stortinget", "storting", "regjeringen", "government", "parliament", "udi", "imdi", "udir", "bufetat", "helsedirektoratet", "fhi", "nhs", "sikt", "nsd", "rek", "forskningsrådet", "statsforvalteren", "fylkesmannen", "bufdir", "nokut", "husbanken", "skatteetaten", "lånekassen", "statped", "helfo", "kripos", "ks", "lo", "nho", "unio", "fellesforbundet", "arbeiderpartiet", "ap", "høyre", "frp", "senterpartiet", "sp", "sv", "krf", "venstre", "rødt", "mdg", "labour", "tory", "tories", "conservative", "democrats", "republicans", "facebook", "instagram", "snapchat", "tiktok", "twitter", "youtube", "google", "microsoft", "apple", "android", "iphone", "ipad", "windows", "teams", "zoom", "skype", "whatsapp", "messenger", "linkedin", "netflix", "spotify", "vipps", "bankid", "chatgpt", "internet", "web", "wifi", "covid", "covid-19", "korona", "corona", "koronaen", "ok", "okay", "tv", "pc", "dna", "adhd", "phd", "mum", "mom", "dad", "mummy", "daddy", "grandma", "granny", "grandpa"])

# English months and weekdays are capitalised; some are also first names (April, May, June,
# August).  They identify nobody: such a word is a name only inside a full name or with a
# person cue.
CALENDAR: frozenset[str] = frozenset(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])

# Titles before a name (lower-case, without the full stop).
TITLES: frozenset[str] = frozenset(["fru", "herr", "frk", "frøken", "dr", "doktor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lady", "lord", "mister", "madam"])
# Abbreviations whose full stop does not end a sentence (``Dr. Hansen``, ``St. Hanshaugen``).
ABBREVIATIONS: frozenset[str] = TITLES | frozenset({"st", "sankt", "ca", "bl", "jf", "mt"})

PERSON_BEFORE: frozenset[str] = frozenset(["heter", "het", "hette", "heiter", "heitte", "kalt", "kalla", "kalles", "kallast", "navnet", "namnet", "named", "called", "sa", "sier", "seier", "spurte", "svarte"])
PERSON_BEFORE_PAIRS: frozenset[tuple[str, str]] = frozenset({
    ("name", "is"), ("name", "was"), ("navn", "er"), ("navnet", "er"), ("namn", "er"),
    ("namnet", "er"), ("navnet", "var"), ("namnet", "var"),
}) | frozenset(
    (verb, pronoun)  # "I'll call her May", "vi kaller ham Tuvstad"
    for verb in ("call", "calls", "called", "calling", "kaller", "kalte", "kallar", "kalla")
    for pronoun in ("her", "him", "them", "me", "henne", "ham", "han", "ho", "dei", "meg", "seg")
)
PERSON_AFTER: frozenset[str] = frozenset(["sa", "sier", "seier", "sagt", "said", "says", "told", "asked", "spurte", "svarte", "forteller", "fortalte", "fortalde"])
SPEECH_VERBS: frozenset[str] = frozenset(["sa", "sier", "seier", "sagt", "skrev", "skriv", "ringte", "ringer", "sendte", "sender", "snakket", "snakka", "snakkar", "fortalte", "fortalde", "said", "says", "wrote", "write", "talked", "spoke", "speak"])
MUNICIPALITY_AFTER: frozenset[str] = frozenset(["kommune", "kommunes", "fylke", "fylkeskommune", "county", "council", "borough"])
# Institution words after a name make a workplace (matched in lower case) …
INSTITUTIONS: frozenset[str] = frozenset(["skole", "skolen", "skule", "skulen", "barneskole", "barneskolen", "barneskule", "ungdomsskole", "ungdomsskolen", "ungdomsskule", "barnehage", "barnehagen", "barnehagane", "sykehus", "sykehuset", "sjukehus", "sjukehuset", "sykehjem", "sykehjemmet", "sjukeheim", "sjukeheimen", "helsesenter", "helsesenteret", "helsestasjon", "helsestasjonen", "legekontor", "legekontoret", "legesenter", "legesenteret", "omsorgssenter", "omsorgssenteret", "universitet", "universitetet", "høgskole", "høgskolen", "høgskule", "høgskulen", "senter", "senteret", "kirke", "kirka", "kyrkje", "kyrkja", "bibliotek", "biblioteket", "school", "hospital", "clinic", "academy", "college", "university", "centre", "center", "church", "library", "nursery", "hub"])
# … and so do these, matched as written (``as`` and ``inc`` are English words; "Bellfield
# Primary" is a school, "primary care" is not).
INSTITUTIONS_CASED: frozenset[str] = frozenset({"AS", "ASA", "Ltd", "LTD", "Inc", "LLC", "plc", "PLC", "Primary"})
# Capitalised institution words before a name: "Sykehuset Levanger", "NAV Namsos",
# "Høgskulen i Volda", "Universitetet i Tromsø" (lower-case: matched on the word's lower case;
# the word itself must be capitalised in the text).
INSTITUTION_PREFIXES: frozenset[str] = frozenset(["sykehuset", "sjukehuset", "høgskolen", "høgskulen", "universitetet", "nav", "sykehjemmet", "sjukeheimen", "kulturskolen", "frivilligsentralen", "helsehuset", "legesenteret", "legekontoret"])
# Saints before an institution's name: "St. Olavs hospital", "St Anne's Community Hub".
SAINTS: frozenset[str] = frozenset({"st", "sankt", "saint"})
# Words that may stand between the name and the institution word.
INSTITUTION_MODIFIERS: frozenset[str] = frozenset(["videregående", "vidaregåande", "private", "primary", "secondary", "high", "grammar", "community", "general", "infant", "junior"])
WORKPLACE_BEFORE_PAIRS: frozenset[tuple[str, str]] = frozenset(
    (verb, prep)
    for verb in ("jobber", "jobbet", "jobba", "jobbar", "jobbe", "arbeider", "arbeidet", "arbeidar",
                 "arbeidde", "arbeide", "ansatt", "tilsett", "works", "worked", "working", "work",
                 "employed")
    for prep in ("på", "ved", "hos", "at", "for")
)
# Place prepositions by lexicon group: Norwegian "at" is "that", English "I" is no preposition.
PLACE_BEFORE: dict[str, frozenset[str]] = {
    "no": frozenset({"fra", "frå", "i", "på", "til", "from", "in"}),
    "en": frozenset({"from", "in", "at", "fra", "frå", "på"}),
}

CONFIDENCE = {
    "person": 0.9,        # a person cue
    "municipality": 0.9,  # followed by kommune/fylke/county
    "workplace": 0.8,
    "place": 0.7,
    "default": 0.6,       # unexplained capitalised unknown word
}
# cue -> (entity type, confidence); None is no cue
CUE_TYPES: dict[str | None, tuple[str, float]] = {
    "workplace_after": ("workplace", CONFIDENCE["workplace"]),
    "workplace_prefix": ("workplace", CONFIDENCE["workplace"]),
    "municipality": ("municipality", CONFIDENCE["municipality"]),
    "person_after": ("person", CONFIDENCE["person"]),
    "person_before": ("person", CONFIDENCE["person"]),
    "workplace_before": ("workplace", CONFIDENCE["workplace"]),
    "place": ("place", CONFIDENCE["place"]),
    None: ("person", CONFIDENCE["default"]),
}
ALL_CUES = frozenset(c for c in CUE_TYPES if c is not None)
# the cues that admit a sentence-initial word
STRONG_CUES = frozenset({"workplace_after", "municipality", "person_after", "person_before"})
# strongest first when several apply
CUE_ORDER = ("workplace_after", "workplace_prefix", "municipality", "person_after", "person_before",
             "workplace_before", "place")
# which cues count for a group without an unknown word, by the kind of its words ("Jeg sa"
# is no name: a common word takes no "sa" after it)
CUES_FOR: dict[str, frozenset[str]] = {
    "known": frozenset({"workplace_after", "workplace_prefix", "municipality", "person_after", "person_before"}),
    "calendar": frozenset({"person_after", "person_before"}),
    "common": frozenset({"workplace_after", "workplace_prefix", "municipality", "person_before",
                         "workplace_before"}),
    "acronym": frozenset({"workplace_after", "workplace_prefix", "municipality", "workplace_before", "place"}),
}


# -- token helpers shared with the gazetteer detector -------------------------------------

def is_name_shaped(word: str) -> bool:
    """A capitalised word of letters (hyphens and apostrophes allowed), two letters or more."""
    if len(word) < 2 or not word[0].isupper():
        return False
    return word.replace("-", "").replace("'", "").replace("’", "").isalpha()


def is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 5 and word.isalpha() and word.isupper()


def lookup_forms(word: str) -> list[tuple[str, int]]:
    """The forms of ``word`` worth looking up, with the length each covers: the word itself,
    its genitive stem (``Karis``, ``Kari's``), and the part before a hyphen when the rest is
    lower case (``Levanger-området``, ``Hansen-familien``)."""
    forms = [(word, len(word))]
    if word.endswith(("'s", "’s")) and len(word) > 3:
        forms.append((word[:-2], len(word) - 2))
    elif word.endswith("s") and len(word) > 3 and not word.endswith("ss"):
        forms.append((word[:-1], len(word) - 1))
    if "-" in word:
        head, _, rest = word.partition("-")
        if len(head) >= 2 and rest[:1].islower():
            forms.append((head, len(head)))
    return forms


def is_calendar(word: str) -> bool:
    """An English month or weekday, also in the plural or genitive (``on Thursdays``)."""
    return any(form.lower() in CALENDAR for form, _ in lookup_forms(word))


def is_non_identifying(word: str) -> bool:
    return any(form.lower() in NON_IDENTIFYING for form, _ in lookup_forms(word))


def effectively_initial(tokens: Sequence[Token], text: str, i: int) -> bool:
    """Does token ``i`` start a sentence?  As ``Token.sentence_initial``, except after a title
    or abbreviation with a full stop (``Dr. Hansen``, ``St. Hanshaugen``: not initial) and
    after a bracketed note that starts a sentence (``(ler) Ute var det``: initial)."""
    token = tokens[i]
    if i == 0:
        return token.sentence_initial
    previous = tokens[i - 1]
    gap = text[previous.end:token.start].strip(" ")
    if not token.sentence_initial:
        # after a one-word note that opens a sentence: "… hjelpe. (ler) Ute var det regn"
        if gap not in (")", "]") or not effectively_initial(tokens, text, i - 1):
            return False
        k = previous.start - 1
        while k >= 0 and text[k] == " ":
            k -= 1
        return k >= 0 and text[k] in "(["
    return not (previous.text.lower() in ABBREVIATIONS and gap == ".")


def adjacent(text: str, left: Token, right: Token) -> bool:
    """Only spaces (at least one) between two tokens: no punctuation, no line break."""
    gap = text[left.end:right.start]
    return bool(gap) and not gap.strip(" ")


def is_institution(word: str) -> bool:
    return word in INSTITUTIONS_CASED or word.lower() in INSTITUTIONS


def institution_after(tokens: Sequence[Token], text: str, j: int) -> int | None:
    """The last token of an institution word right after token ``j`` (``skole``,
    ``videregående skole``, ``AS``), or None."""
    n = len(tokens)
    found = None
    while j + 1 < n and adjacent(text, tokens[j], tokens[j + 1]):  # longest: "Primary School"
        nxt = tokens[j + 1]
        if is_institution(nxt.text):
            j += 1
        elif nxt.text.lower() in INSTITUTION_MODIFIERS and j + 2 < n and adjacent(text, nxt, tokens[j + 2]) \
                and is_institution(tokens[j + 2].text):
            j += 2
        else:
            break
        found = j
    return found


def possessive(tokens: Sequence[Token], text: str, first: int, last: int, institution: int,
               is_name: Callable[[str], bool]) -> bool:
    """``Karis barnehage`` is Kari's kindergarten, not a kindergarten's name: the genitive of
    a name (``is_name`` of the stem) before a lower-case institution word, unless a saint's
    title comes first (``St. Olavs hospital``).  ``Nordlys skole`` is no genitive."""
    word = tokens[last].text
    if len(word) < 3 or not word.endswith("s") or with_saint(tokens, text, first) != first:
        return False
    stem = word[:-2] if word.endswith(("'s", "’s")) else word[:-1]
    if not is_name(stem):
        return False
    return any(tokens[k].text[:1].islower() for k in range(last + 1, institution + 1))


def institution_before(tokens: Sequence[Token], text: str, i: int) -> int | None:
    """The first token of a capitalised institution word right before token ``i``
    (``Sykehuset`` Levanger, ``NAV`` Namsos, ``Høgskulen i`` Volda), or None."""
    if i == 0 or tokens[i].sentence_initial:
        return None
    k = i - 1
    if tokens[k].text in ("i", "på") and k > 0 and adjacent(text, tokens[k - 1], tokens[k]) \
            and adjacent(text, tokens[k], tokens[i]):
        k -= 1
    elif not adjacent(text, tokens[k], tokens[i]):
        return None
    word = tokens[k].text
    if word[:1].isupper() and word.lower() in INSTITUTION_PREFIXES:
        return k
    return None


def with_saint(tokens: Sequence[Token], text: str, i: int) -> int:
    """``i``, or the token before it when that is a saint's title (``St. Olavs``)."""
    if i > 0 and tokens[i - 1].text.lower() in SAINTS and tokens[i - 1].text[:1].isupper() \
            and text[tokens[i - 1].end:tokens[i].start].strip(" ") in ("", ".") \
            and "\n" not in text[tokens[i - 1].end:tokens[i].start]:
        return i - 1
    return i


# -- the detector --------------------------------------------------------------------------

class ProperNounDetector:
    """Capitalised words that no list knows, typed by context (see the module docstring)."""

    name = "proper_nouns"

    def __init__(self, language: str = "no", *, lexicon: Lexicon | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon(language)
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self._memo: dict[str, str] = {}

    # what a capitalised word is, independent of context:
    #   "stop" not a candidate, "unknown", "known" (gazetteer), "common", "acronym", "calendar"
    def _kind(self, word: str) -> str:
        kind = self._memo.get(word)
        if kind is not None:
            return kind
        if not is_name_shaped(word) or word.startswith(("I'", "I’")) or is_non_identifying(word) \
                or word.lower() in ABBREVIATIONS:
            kind = "stop"
        elif word in INSTITUTIONS_CASED or word.lower() in INSTITUTIONS:
            kind = "stop"  # terminates a group; read as a cue
        elif is_acronym(word):
            kind = "acronym"
        elif is_calendar(word):
            kind = "calendar"
        elif any(self.gazetteer.is_known(form.lower()) for form, _ in lookup_forms(word)) or (
                "-" in word and all(self.gazetteer.is_known(part.lower()) for part in word.split("-") if part)):
            kind = "known"
        elif self._common(word):
            kind = "common"
        else:
            kind = "unknown"
        if len(self._memo) > 100_000:
            self._memo.clear()
        self._memo[word] = kind
        return kind

    def _is_name(self, word: str) -> bool:
        """Could ``word`` be the stem of a genitive (a known name, a proper noun or a word)?"""
        return self.gazetteer.is_known(word.lower()) or self.lexicon.is_proper_noun(word) \
            or self.lexicon.is_common_word(word.lower(), strict=True)

    def _common(self, word: str) -> bool:
        lower = word.lower()
        if self.lexicon.is_common_word(lower, strict=True):
            return True
        if "-" in lower:
            parts = [p for p in lower.split("-") if p]
            return bool(parts) and all(self.lexicon.is_common_word(p, strict=True) for p in parts)
        return False

    def detect(self, doc: Document) -> Iterator[Hit]:
        hits = list(self._detect(doc))
        yield from hits
        yield from self._repeated_names(doc, hits)

    def _detect(self, doc: Document) -> Iterator[Hit]:
        text = doc.text
        tokens = doc.tokens
        n = len(tokens)
        i = 0
        while i < n:
            if not tokens[i].text[:1].isupper():
                i += 1
                continue
            phrase = self.gazetteer.match_phrase(doc, i)
            if phrase is not None:
                # a known name of several tokens (Indre Østfold, St. Hanshaugen): the gazetteer
                # detector reports it; only an institution around it makes a workplace here
                last = phrase[1]
                hit, last = self._workplace_around(doc, i, last)
                if hit is not None:
                    yield hit
                i = last + 1
                continue
            if self._kind(tokens[i].text) == "stop":
                i += 1
                continue
            j = i
            while j + 1 < n and adjacent(text, tokens[j], tokens[j + 1]) \
                    and tokens[j + 1].text[:1].isupper() and self._kind(tokens[j + 1].text) != "stop" \
                    and self.gazetteer.match_phrase(doc, j + 1) is None:
                j += 1
            hit, resume = self._group(doc, i, j)
            if hit is not None:
                yield hit
            i = max(resume, i + 1)

    def _workplace_around(self, doc: Document, i: int, j: int) -> tuple[Hit | None, int]:
        tokens, text = doc.tokens, doc.text
        after = institution_after(tokens, text, j)
        if after is not None and possessive(tokens, text, i, j, after, self._is_name):
            after = None
        before = institution_before(tokens, text, i) if not effectively_initial(tokens, text, i) else None
        if after is None and before is None:
            return None, j
        first = before if before is not None else with_saint(tokens, text, i)
        last = after if after is not None else j
        start, end = tokens[first].start, tokens[last].end
        return Hit(start, end, "workplace", CONFIDENCE["workplace"], self.name, text[start:end]), last

    def _group(self, doc: Document, i: int, j: int) -> tuple[Hit | None, int]:
        """Judge the group of tokens i..j; return its hit (if any) and where to go on."""
        text, tokens = doc.text, doc.tokens
        initial = effectively_initial(tokens, text, i)
        if initial and i < j and (self._kind(tokens[i].text) in ("common", "calendar")
                                  or self.lexicon.is_common_word(tokens[i].text.lower())):
            return self._group(doc, i + 1, j)  # "Then Gnirkesen said": the name starts after
        kinds = {self._kind(tokens[k].text) for k in range(i + 1, j + 1)}
        first_kind = self._kind(tokens[i].text)
        if initial and first_kind == "unknown" and self.lexicon.is_common_word(tokens[i].text.lower()):
            first_kind = "common"  # an English word at the start of a sentence: "The school …"
        kinds.add(first_kind)
        allowed = ALL_CUES
        if "unknown" not in kinds:
            for kind in kinds:
                allowed = allowed & CUES_FOR[kind]
        cues = sorted(self._cues(doc, i, j, initial), key=lambda cue: CUE_ORDER.index(cue[0]))
        cue, end_token = next(((c, e) for c, e in cues if c in allowed), (None, j))
        if initial and cue == "workplace_after" and kinds <= {"common", "calendar"} \
                and any(tokens[k].text[:1].islower() for k in range(j + 1, end_token + 1)):
            cue = None  # "The school nurse …", "Den skolen …": a common word starts the sentence
        if initial and cue not in STRONG_CUES:
            # a sentence-initial word needs a strong cue: judge the rest without it
            return (None, i + 1) if i == j else self._group(doc, i + 1, j)
        if cue is None and "unknown" not in kinds:
            return None, j + 1
        entity, confidence = CUE_TYPES[cue]
        first, last = i, j
        if cue == "workplace_after":
            first, last = with_saint(tokens, text, i), end_token
        elif cue == "workplace_prefix":
            first = institution_before(tokens, text, i) or i
        start, end = tokens[first].start, tokens[last].end
        return Hit(start, end, entity, confidence, self.name, text[start:end]), last + 1

    def _repeated_names(self, doc: Document, hits: list[Hit]) -> Iterator[Hit]:
        """A one-word name found inside a sentence is a name at the start of one too
        (``Tuvstad var stengt.`` after ``… sa Tuvstad``)."""
        names = {h.text for h in hits if h.type == "person" and " " not in h.text}
        if not names:
            return
        covered = {(h.start, h.end) for h in hits}
        tokens, text = doc.tokens, doc.text
        for i, token in enumerate(tokens):
            if token.text in names and (token.start, token.end) not in covered \
                    and effectively_initial(tokens, text, i) and self._kind(token.text) == "unknown":
                yield Hit(token.start, token.end, "person", CONFIDENCE["default"], self.name, token.text)

    def _cues(self, doc: Document, i: int, j: int, initial: bool) -> list[tuple[str, int]]:
        """The cues around tokens i..j, strongest first, with (for a workplace after the
        name) the token that ends the institution."""
        text, tokens = doc.text, doc.tokens
        n = len(tokens)
        found: list[tuple[str, int]] = []
        # after the group: an institution (optionally after a modifier), kommune, sa …
        if j + 1 < n and not tokens[j + 1].sentence_initial:
            nxt = tokens[j + 1]
            gap = text[tokens[j].end:nxt.start]
            institution = institution_after(tokens, text, j)
            if institution is not None and not possessive(tokens, text, i, j, institution, self._is_name):
                found.append(("workplace_after", institution))
            if not gap.strip(" ") and nxt.text.lower() in MUNICIPALITY_AFTER:
                found.append(("municipality", j))
            if nxt.text.lower() in PERSON_AFTER and not gap.strip(" "):
                found.append(("person_after", j))
        if initial or i == 0:
            return found
        if institution_before(tokens, text, i) is not None:
            found.append(("workplace_prefix", j))
        prev1 = tokens[i - 1]
        p1 = prev1.text.lower()
        p2 = tokens[i - 2].text.lower() if i >= 2 and not prev1.sentence_initial else ""
        if p1 in TITLES or p1 in PERSON_BEFORE or (p2, p1) in PERSON_BEFORE_PAIRS \
                or (p1 in ("til", "to") and p2 in SPEECH_VERBS):
            found.append(("person_before", j))
        if (p2, p1) in WORKPLACE_BEFORE_PAIRS:
            found.append(("workplace_before", j))
        # Norwegian "i" is lower case, except at the start of a sentence (English "I" is no cue)
        if p1 in PLACE_BEFORE[self.lexicon.language] and (p1 != "i" or prev1.text == "i" or prev1.sentence_initial):
            found.append(("place", j))
        return found

