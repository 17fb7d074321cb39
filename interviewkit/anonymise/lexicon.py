"""Word lists: which words are ordinary words of the language, and which are proper nouns.

The name detectors ask two questions of a capitalised word: is its lower-case form an ordinary
word (``bjørn`` the animal, ``ski``, ``liv``), and is the capitalised form a known proper noun
(``Bjørn``, ``Levanger``, ``Hansen``)?  Both facts are kept: many names are also common words.

Sources (read at run time when present, never shipped with interviewkit):

* ``/usr/share/dict/bokmaal`` and ``/usr/share/dict/nynorsk``: the Norwegian lists of the Debian
  package ``wnorwegian`` (GPL).  Latin-1 encoded, about 935 000 and 628 000 full forms.
* ``/usr/share/dict/american-english`` (Debian ``wamerican``), or ``british-english``
  (``wbritish``) when the American list is missing.

Install them on Debian/Ubuntu with ``apt-get install wnorwegian wamerican``.  Another folder can
be named with the environment variable ``INTERVIEWKIT_DICT_DIR`` (or the ``dict_dir``
argument).  An entry written all in lower case is a common word; any other entry (``Kari``,
``Levanger``, ``TV-kanal``, ``iPhone``) is a proper noun.

Reading 935 000 lines takes about a second, so each list is compiled once into a compact cache
file in ``$XDG_CACHE_HOME/interviewkit/lexicon/`` (default ``~/.cache``): the sorted 64-bit
BLAKE2b hashes of the common words plus the proper nouns as text.  Word lists are public, so
the cache holds nothing sensitive.  It is written atomically and rebuilt when the source file's
size or modification time changes.

When the system lists are missing a small built-in list of the most frequent Norwegian and
English function and interview words stands in: the detectors still work, with more false
alarms.  ``Lexicon.available`` tells the caller which case it is.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import threading
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from interviewkit.vault.atomic import make_private_dir

DEFAULT_DICT_DIR = Path("/usr/share/dict")
DICT_DIR_ENV = "INTERVIEWKIT_DICT_DIR"

# The file names tried for each language, first found wins.
SOURCES: dict[str, tuple[str, ...]] = {
    "nb": ("bokmaal", "bokmål"),
    "nn": ("nynorsk",),
    "en": ("american-english", "british-english"),
}

# What each language argument loads, and which of the loaded lists are its own ("primary").
# Norwegian interviews mix bokmål, nynorsk (and dialect spelt as either) and English.
_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "no": (("nb", "nn", "en"), ("nb", "nn")),
    "en": (("en",), ("en",)),
}
_ALIASES = {
    "no": "no", "nb": "no", "nn": "no", "nob": "no", "nno": "no", "nor": "no",
    "norwegian": "no", "norsk": "no", "bokmål": "no", "bokmaal": "no", "nynorsk": "no",
    "en": "en", "eng": "en", "english": "en", "engelsk": "en",
}

_MAGIC = b"IKLEX1\n"  # bump when the cache layout or the hash changes

# -- built-in fallback -------------------------------------------------------------------

# The most frequent function words and interview words.  Used when the system lists are
# missing (then they are all the detectors know) and always merged in.
BUILTIN_COMMON: dict[str, frozenset[str]] = {
    "no": frozenset(["og", "i", "jeg", "eg", "det", "som", "er", "var", "en", "ei", "et", "ein", "eit", "på", "til", "av", "for", "med", "at", "ikke", "ikkje", "ikkje", "han", "hun", "ho", "de", "dei", "dere", "dykk", "vi", "me", "du", "meg", "deg", "seg", "oss", "dem", "sin", "si", "sitt", "sine", "min", "mi", "mitt", "mine", "din", "di", "ditt", "dine", "vår", "vårt", "våre", "hans", "hennes", "hennar", "deres", "dykkar", "dette", "denne", "disse", "desse", "den", "dette", "ja", "nei", "jo", "altså", "liksom", "sånn", "slik", "slikt", "egentlig", "eigentleg", "veldig", "litt", "mye", "mykje", "kanskje", "har", "hadde", "ha", "være", "vere", "bli", "blir", "ble", "vart", "blitt", "kan", "kunne", "skal", "skulle", "vil", "ville", "må", "måtte", "bare", "berre", "også", "så", "men", "eller", "når", "da", "då", "der", "her", "hva", "kva", "hvem", "kven", "hvor", "kvar", "hvorfor", "kvifor", "hvordan", "korleis", "fordi", "om", "etter", "før", "under", "over", "mellom", "uten", "utan", "hos", "mot", "fra", "frå", "inn", "ut", "opp", "ned", "nå", "no", "alle", "noen", "nokon", "noe", "noko", "ingen", "inga", "mange", "mer", "meir", "mest", "andre", "annen", "anna", "hver", "kvar", "sammen", "saman", "samme", "same", "gjør", "gjer", "gjorde", "gjort", "sier", "seier", "sa", "sagt", "tror", "trur", "tenker", "tenkjer", "synes", "synst", "vet", "veit", "kommer", "kjem", "kom", "går", "gjekk", "gikk", "får", "fekk", "fikk", "tar", "tok", "jobb", "jobben", "arbeid", "skole", "skolen", "barnehage", "kommune", "kommunen", "fylke", "mamma", "pappa", "mor", "far", "bror", "søster", "barn", "familie", "hjemme", "heime", "ting", "tid", "år", "dag", "dager", "uke", "veke", "måned", "gang", "intervjuer", "informant", "deltaker", "takk", "hei", "ok", "okei", "greit", "nettopp", "stemmer", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag", "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"]),
    "en": frozenset(["the", "a", "an", "and", "or", "but", "if", "of", "in", "on", "at", "to", "from", "for", "with", "by", "about", "as", "into", "out", "up", "down", "over", "after", "before", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did", "not", "no", "yes", "yeah", "okay", "ok", "so", "well", "like", "just", "really", "very", "quite", "i", "me", "my", "mine", "you", "your", "yours", "he", "him", "his", "she", "her", "hers", "it", "its", "we", "us", "our", "ours", "they", "them", "their", "theirs", "this", "that", "these", "those", "there", "here", "what", "who", "whom", "which", "where", "when", "why", "how", "will", "would", "can", "could", "shall", "should", "may", "might", "must", "also", "then", "than", "now", "because", "all", "some", "any", "many", "much", "more", "most", "other", "such", "only", "own", "same", "too", "one", "two", "three", "think", "know", "mean", "said", "say", "says", "tell", "told", "work", "job", "school", "family", "mother", "father", "mum", "mom", "dad", "parents", "children", "kids", "home", "thing", "things", "time", "year", "years", "day", "week", "interviewer", "participant", "um", "uh", "mm", "hmm", "right", "sure", "thanks", "thank"]),
}


# -- one compiled word list -------------------------------------------------------------

def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class WordList:
    """One system word list, compiled: its common words (as hashes) and its proper nouns."""

    language: str                  # "nb", "nn" or "en"
    path: Path | None              # the source file (None for an empty stand-in)
    hashes: array = field(repr=False)  # sorted unsigned 64-bit hashes of the lower-case entries
    proper_nouns: frozenset[str] = field(repr=False)
    from_cache: bool = False

    def has_common(self, word_lower: str) -> bool:
        h = _hash(word_lower)
        i = bisect_left(self.hashes, h)
        return i < len(self.hashes) and self.hashes[i] == h

    @property
    def common_count(self) -> int:
        return len(self.hashes)


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/interviewkit/lexicon`` (``~/.cache`` when unset or not absolute)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        base = str(Path.home() / ".cache")
    return Path(base) / "interviewkit" / "lexicon"


def dict_dir() -> Path:
    """Where the system word lists are looked for (``$INTERVIEWKIT_DICT_DIR`` or /usr/share/dict)."""
    override = os.environ.get(DICT_DIR_ENV)
    return Path(override) if override else DEFAULT_DICT_DIR


def find_source(language: str, directory: Path | None = None) -> Path | None:
    """The system list for ``language`` ("nb", "nn" or "en") in ``directory``, if present."""
    folder = directory if directory is not None else dict_dir()
    for name in SOURCES[language]:
        path = folder / name
        if path.is_file():
            return path
    return None


def _read_entries(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # the wnorwegian lists are ISO-8859-1
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.split("\n")


def _compile(path: Path) -> tuple[array, frozenset[str]]:
    digests: list[bytes] = []
    proper: set[str] = set()
    blake2b = hashlib.blake2b
    for line in _read_entries(path):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if word == word.lower():
            digests.append(blake2b(word.encode("utf-8"), digest_size=8).digest())
        else:
            proper.add(word)
    return _sorted_hashes(b"".join(digests)), frozenset(proper)


def _sorted_hashes(little_endian: bytes) -> array:
    """The unique 64-bit values of a buffer of little-endian digests, sorted ascending."""
    try:
        import numpy as np  # a dependency of interviewkit anyway; only the cold build needs it
    except ImportError:  # pragma: no cover - numpy is installed with interviewkit
        values = sorted({int.from_bytes(little_endian[i:i + 8], "little")
                         for i in range(0, len(little_endian), 8)})
        return array("Q", values)
    unique = np.unique(np.frombuffer(little_endian, dtype="<u8"))
    result = array("Q")
    result.frombytes(unique.astype("=u8").tobytes())
    return result


def _cache_file(source: Path, directory: Path) -> Path:
    key = hashlib.sha1(str(source.resolve()).encode("utf-8")).hexdigest()[:12]
    return directory / f"{source.name}-{key}.lex"


def _stamp(source: Path) -> dict[str, int | str]:
    info = source.stat()
    return {"source": str(source.resolve()), "size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _read_cache(path: Path, stamp: dict[str, int | str]) -> tuple[array, frozenset[str]] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC):
        return None
    header_end = data.find(b"\n", len(_MAGIC))
    if header_end < 0:
        return None
    try:
        header = json.loads(data[len(_MAGIC):header_end])
    except ValueError:
        return None
    if not isinstance(header, dict) or any(header.get(k) != v for k, v in stamp.items()):
        return None
    count, proper_len = header.get("count"), header.get("proper_bytes")
    if not isinstance(count, int) or not isinstance(proper_len, int):
        return None
    start = header_end + 1
    end = start + 8 * count
    if len(data) != end + proper_len:
        return None
    try:
        blob = data[end:].decode("utf-8")
    except UnicodeDecodeError:
        return None
    hashes = array("Q")
    hashes.frombytes(data[start:end])
    if sys.byteorder != "little":
        hashes.byteswap()
    return hashes, frozenset(blob.split("\n")) if blob else frozenset()


def _write_cache(path: Path, stamp: dict[str, int | str], hashes: array, proper: frozenset[str]) -> None:
    """Write atomically: a temporary file in the same folder, fsync, rename."""
    make_private_dir(path.parent)
    body = array("Q", hashes)
    if sys.byteorder != "little":
        body.byteswap()
    blob = "\n".join(sorted(proper)).encode("utf-8")
    header = dict(stamp, count=len(hashes), proper_bytes=len(blob))
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC)
            handle.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
            handle.write(body.tobytes())
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename durable too (best effort; not possible on every platform)
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def load_word_list(path: Path, language: str, *, cache: Path | None = None) -> WordList:
    """Compile the word list at ``path``, through the cache folder ``cache`` (default:
    :func:`cache_dir`).  An unusable cache folder only costs speed: the list is then compiled
    in memory each time."""
    path = Path(path)
    stamp = _stamp(path)
    folder = cache if cache is not None else cache_dir()
    target = _cache_file(path, folder)
    cached = _read_cache(target, stamp)
    if cached is not None:
        return WordList(language, path, cached[0], cached[1], from_cache=True)
    hashes, proper = _compile(path)
    try:
        _write_cache(target, stamp, hashes, proper)
    except OSError:
        pass
    return WordList(language, path, hashes, proper)


# -- the lexicon the detectors use -------------------------------------------------------

class Lexicon:
    """Common words and proper nouns of one language group ("no" or "en").

    ``is_common_word(w)`` asks every loaded list (English too for "no").  With ``strict=True``
    it asks whether ``w`` is an ordinary word of the group's own language: common in every one
    of its lists (bokmål *and* nynorsk for "no"), or in one of them as part of an inflected
    family (*rød* with *røde* and *rødt*; *røde* with *rød*).  The Norwegian full-form lists carry lower-case
    copies of many proper nouns in one list only (*oslo* in nynorsk, *drammen* in bokmål),
    and English words such as *moss* should not make the town *Moss* ambiguous in a Norwegian
    transcript; the strict test filters both.
    """

    _MEMO_LIMIT = 200_000
    # endings of inflected forms (nouns, adjectives, verbs) for the strict test
    _INFLECTIONS = ("e", "t", "a", "en", "et", "er", "ene", "ar", "ane")

    def __init__(self, language: str, lists: Iterable[WordList], primary: Iterable[str],
                 missing: Iterable[str] = ()) -> None:
        self.language = language
        self.lists: tuple[WordList, ...] = tuple(lists)
        self.primary: tuple[str, ...] = tuple(primary)
        self.missing: tuple[str, ...] = tuple(missing)  # languages whose system list was not found
        self._primary_lists = tuple(w for w in self.lists if w.language in self.primary)
        self._other_lists = tuple(w for w in self.lists if w.language not in self.primary)
        group = "no" if set(self.primary) & {"nb", "nn"} else "en"
        self._builtin_primary = BUILTIN_COMMON[group]
        self._builtin_other = BUILTIN_COMMON["en"] if group == "no" else frozenset()
        proper: set[str] = set()
        for word_list in self.lists:
            proper |= word_list.proper_nouns
        self._proper = frozenset(proper)
        # word -> 0 not common, 1 common in another loaded language only, 2 common in one of
        # the group's own lists, 3 common in the strict sense
        self._memo: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """True when the group's own system lists were found (bokmål and nynorsk for "no",
        English for "en"); False when the small built-in list stands in for a missing one.
        ``missing`` names every list not found, English for "no" included."""
        return not set(self.missing) & set(self.primary)

    def _level(self, word_lower: str) -> int:
        level = self._memo.get(word_lower)
        if level is not None:
            return level
        if word_lower in self._builtin_primary:
            level = 3
        else:
            found = [w for w in self._primary_lists if w.has_common(word_lower)]
            if found and len(found) == len(self._primary_lists):
                level = 3
            elif found:
                level = 3 if any(self._inflects(word_lower, w) for w in found) else 2
            elif word_lower in self._builtin_other or any(w.has_common(word_lower) for w in self._other_lists):
                level = 1
            else:
                level = 0
        with self._lock:
            if len(self._memo) >= self._MEMO_LIMIT:
                self._memo.clear()
            self._memo[word_lower] = level
        return level

    def _inflects(self, word_lower: str, word_list: WordList) -> bool:
        """Is the word part of an inflected family in ``word_list``: two inflected forms of it
        (rød: røde, rødt), or itself an inflected form of a word there (røde: rød)?"""
        forms = 0
        for ending in self._INFLECTIONS:
            if word_list.has_common(word_lower + ending):
                forms += 1
                if forms >= 2:
                    return True
        for ending in self._INFLECTIONS:
            stem = word_lower[:-len(ending)]
            if word_lower.endswith(ending) and len(stem) >= 2 and word_list.has_common(stem):
                return True
        return False

    def is_common_word(self, word_lower: str, *, strict: bool = False) -> bool:
        """Is ``word_lower`` (already lower-cased) an ordinary word?  See the class docstring
        for ``strict``; the built-in list always counts."""
        level = self._level(word_lower)
        return level == 3 if strict else level > 0

    def is_function_word(self, word_lower: str) -> bool:
        """Is ``word_lower`` one of the built-in most frequent words (``og``, ``ho``, ``the``)?"""
        return word_lower in self._builtin_primary or word_lower in self._builtin_other

    def is_proper_noun(self, word: str) -> bool:
        """Is ``word``, exactly as written (``Levanger``, ``Kari``), a capitalised entry of a list?"""
        return word in self._proper

    @property
    def proper_nouns(self) -> frozenset[str]:
        return self._proper

    def __repr__(self) -> str:
        names = ", ".join(f"{w.language}:{w.path}" for w in self.lists)
        return f"Lexicon({self.language!r}, [{names}], available={self.available})"


def normalise_language(language: str) -> str:
    """Map ``no``/``nb``/``nn``/``en`` (and a few spellings) to the lexicon group, "no" or "en"."""
    group = _ALIASES.get(language.strip().lower())
    if group is None:
        raise ValueError(f"no lexicon for language {language!r} (use no, nb, nn or en)")
    return group


def load_lexicon(language: str = "no", *, dict_dir: Path | str | None = None,
                 cache: Path | str | None = None) -> Lexicon:
    """The lexicon for ``language`` ("no", "nb", "nn" or "en"), built once per process.

    Norwegian (any of no/nb/nn) loads bokmål, nynorsk and English; English loads English.
    ``dict_dir`` and ``cache`` override where the system lists and the cache live (tests)."""
    group = normalise_language(language)
    directory = str(dict_dir) if dict_dir is not None else None
    folder = str(cache) if cache is not None else None
    return _load_lexicon(group, directory, folder, os.environ.get(DICT_DIR_ENV, ""),
                         os.environ.get("XDG_CACHE_HOME", ""))


@lru_cache(maxsize=16)
def _load_lexicon(group: str, directory: str | None, folder: str | None, _env_dict: str, _env_cache: str) -> Lexicon:
    languages, primary = _GROUPS[group]
    source_dir = Path(directory) if directory is not None else dict_dir()
    cache = Path(folder) if folder is not None else None
    lists: list[WordList] = []
    missing: list[str] = []
    for lang in languages:
        path = find_source(lang, source_dir)
        if path is None:
            missing.append(lang)
            continue
        try:
            lists.append(load_word_list(path, lang, cache=cache))
        except OSError:
            missing.append(lang)
    return Lexicon(group, lists, primary, missing)


def clear_lexicon_cache() -> None:
    """Forget the lexicons loaded in this process (tests; a changed word list is seen anyway
    the next time a process starts)."""
    _load_lexicon.cache_clear()
