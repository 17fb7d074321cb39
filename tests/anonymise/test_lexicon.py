"""The lexicon: common words and proper nouns from the system word lists, compiled once into
a cache that is rebuilt when a list changes, and a built-in fallback when the lists are missing."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from interviewkit.anonymise import lexicon as lexicon_module
from interviewkit.anonymise.lexicon import (
    BUILTIN_COMMON,
    Lexicon,
    cache_dir,
    clear_lexicon_cache,
    load_lexicon,
    load_word_list,
    normalise_language,
)

SYSTEM_BOKMAAL = Path("/usr/share/dict/bokmaal")

BOKMAAL = ["bjørn", "bjørnen", "Bjørn", "Bjørns", "ski", "skien", "Ski", "liv", "Liv", "per", "Per",
           "Levanger", "Hansen", "Kari", "rød", "røde", "rødt", "drammen", "Drammen", "hus", "huset"]
NYNORSK = ["bjørn", "Bjørn", "ski", "liv", "per", "oslo", "Oslo", "hus", "huset", "raud"]
ENGLISH = ["moss", "Moss", "will", "Will", "house", "the", "bear"]


def write_list(path: Path, words: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(words) + "\n").encode(encoding))
    return path


@pytest.fixture
def dict_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "dict"
    folder.mkdir()
    write_list(folder / "bokmaal", BOKMAAL, "latin-1")  # the wnorwegian lists are ISO-8859-1
    write_list(folder / "nynorsk", NYNORSK, "latin-1")
    write_list(folder / "american-english", ENGLISH)
    return folder


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def _fresh_lexicons():
    clear_lexicon_cache()
    yield
    clear_lexicon_cache()


def test_lower_case_entries_are_common_words_and_capitalised_ones_proper_nouns(dict_dir, cache):
    lex = load_lexicon("no", dict_dir=dict_dir, cache=cache)
    assert lex.available and lex.missing == ()
    # both facts are kept: Bjørn the name and bjørn the animal
    assert lex.is_common_word("bjørn") and lex.is_proper_noun("Bjørn")
    assert lex.is_common_word("ski") and lex.is_proper_noun("Ski")
    assert lex.is_common_word("liv") and lex.is_proper_noun("Liv")
    assert not lex.is_common_word("levanger") and lex.is_proper_noun("Levanger")
    assert not lex.is_common_word("kari") and lex.is_proper_noun("Kari")
    assert not lex.is_proper_noun("levanger")  # exact form only
    assert not lex.is_common_word("ukjentord")


def test_function_words(dict_dir, cache):
    lex = load_lexicon("no", dict_dir=dict_dir, cache=cache)
    assert lex.is_function_word("ho") and lex.is_function_word("the") and not lex.is_function_word("bjørn")


def test_latin1_lists_are_decoded(dict_dir, cache):
    lex = load_lexicon("nb", dict_dir=dict_dir, cache=cache)
    assert lex.is_common_word("rød") and lex.is_common_word("bjørnen")


def test_strict_means_a_word_of_the_language_itself(dict_dir, cache):
    lex = load_lexicon("no", dict_dir=dict_dir, cache=cache)
    # in both Norwegian lists
    assert lex.is_common_word("bjørn", strict=True)
    # in one list only, with inflected forms: an adjective
    assert lex.is_common_word("rød", strict=True)
    # in one list only, without inflected forms: a lower-cased proper noun (noise of the lists)
    assert lex.is_common_word("oslo") and not lex.is_common_word("oslo", strict=True)
    assert lex.is_common_word("drammen") and not lex.is_common_word("drammen", strict=True)
    # English words are common words of a Norwegian lexicon, but not strictly
    assert lex.is_common_word("moss") and not lex.is_common_word("moss", strict=True)
    # the built-in words always count
    assert lex.is_common_word("og", strict=True) and lex.is_common_word("the")


def test_english_lexicon_loads_english_only(dict_dir, cache):
    lex = load_lexicon("en", dict_dir=dict_dir, cache=cache)
    assert [w.language for w in lex.lists] == ["en"]
    assert lex.is_common_word("moss", strict=True) and lex.is_proper_noun("Will")
    assert not lex.is_common_word("bjørn")


def test_languages_and_the_per_process_cache(dict_dir, cache):
    assert {normalise_language(x) for x in ("no", "nb", "nn", "NB", "bokmål")} == {"no"}
    assert normalise_language("en") == "en"
    with pytest.raises(ValueError):
        normalise_language("de")
    first = load_lexicon("nb", dict_dir=dict_dir, cache=cache)
    assert load_lexicon("nn", dict_dir=dict_dir, cache=cache) is first
    assert load_lexicon("no", dict_dir=dict_dir, cache=cache) is first


def test_missing_lists_fall_back_to_the_builtin_words(tmp_path, cache):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    lex = load_lexicon("no", dict_dir=empty, cache=cache)
    assert not lex.available
    assert set(lex.missing) == {"nb", "nn", "en"}
    assert lex.is_common_word("og") and lex.is_common_word("ikkje") and lex.is_common_word("the")
    assert lex.is_common_word("og", strict=True) and not lex.is_common_word("the", strict=True)
    assert not lex.is_common_word("bjørn") and not lex.is_proper_noun("Kari")
    assert 150 <= sum(len(words) for words in BUILTIN_COMMON.values()) <= 400


def test_missing_english_list_leaves_a_norwegian_lexicon_available(dict_dir, cache):
    (dict_dir / "american-english").unlink()
    lex = load_lexicon("no", dict_dir=dict_dir, cache=cache)
    assert lex.available and lex.missing == ("en",)
    assert not load_lexicon("en", dict_dir=dict_dir, cache=cache).available


def test_the_environment_names_the_dict_folder_and_the_cache(dict_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEWKIT_DICT_DIR", str(dict_dir))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "interviewkit" / "lexicon"
    lex = load_lexicon("no")
    assert lex.is_proper_noun("Levanger")
    assert sorted(p.name.split("-")[0] for p in cache_dir().iterdir()) == ["american", "bokmaal", "nynorsk"]
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, like models.cache_dir
    assert cache_dir() == Path.home() / ".cache" / "interviewkit" / "lexicon"


# -- the compiled cache ------------------------------------------------------------------

def test_a_list_is_compiled_once_then_read_from_the_cache(dict_dir, cache, monkeypatch):
    source = dict_dir / "bokmaal"
    first = load_word_list(source, "nb", cache=cache)
    assert not first.from_cache
    files = list(cache.iterdir())
    assert len(files) == 1 and files[0].suffix == ".lex"

    def no_compiling(path):
        raise AssertionError("compiled again although the cache is fresh")

    monkeypatch.setattr(lexicon_module, "_compile", no_compiling)
    second = load_word_list(source, "nb", cache=cache)
    assert second.from_cache
    assert list(second.hashes) == list(first.hashes)
    assert second.proper_nouns == first.proper_nouns
    assert second.has_common("bjørn") and "Bjørn" in second.proper_nouns


def test_the_cache_is_rebuilt_when_the_source_grows(dict_dir, cache):
    source = dict_dir / "bokmaal"
    assert not load_word_list(source, "nb", cache=cache).has_common("nyord")
    write_list(source, BOKMAAL + ["nyord", "Nystad"], "latin-1")
    again = load_word_list(source, "nb", cache=cache)
    assert not again.from_cache
    assert again.has_common("nyord") and "Nystad" in again.proper_nouns
    assert load_word_list(source, "nb", cache=cache).from_cache
    assert len(list(cache.iterdir())) == 1  # replaced, not added; no temporary files left


def test_the_cache_is_rebuilt_when_only_the_modification_time_changes(dict_dir, cache):
    source = dict_dir / "bokmaal"
    load_word_list(source, "nb", cache=cache)
    # same size, other content, other mtime
    words = [w if w != "hus" else "båt" for w in BOKMAAL]
    assert len("\n".join(words).encode("latin-1")) == len("\n".join(BOKMAAL).encode("latin-1"))
    write_list(source, words, "latin-1")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    again = load_word_list(source, "nb", cache=cache)
    assert not again.from_cache
    assert again.has_common("båt") and not again.has_common("hus")


def test_a_damaged_cache_is_rebuilt(dict_dir, cache):
    source = dict_dir / "bokmaal"
    load_word_list(source, "nb", cache=cache)
    (target,) = cache.iterdir()
    for damage in (b"", b"IKLEX1\n{not json\n", target.read_bytes()[:-3], b"garbage"):
        target.write_bytes(damage)
        again = load_word_list(source, "nb", cache=cache)
        assert not again.from_cache and again.has_common("bjørn") and "Kari" in again.proper_nouns


def test_an_unwritable_cache_only_costs_speed(dict_dir, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    word_list = load_word_list(dict_dir / "bokmaal", "nb", cache=blocker / "cache")
    assert word_list.has_common("ski") and not word_list.from_cache


def test_lexicon_of_handmade_lists(dict_dir, cache):
    lists = [load_word_list(dict_dir / "bokmaal", "nb", cache=cache)]
    lex = Lexicon("no", lists, ("nb", "nn"), missing=("nn",))
    assert lex.is_common_word("bjørn", strict=True)  # every list found counts as all
    assert not lex.available


# -- the real system lists -----------------------------------------------------------------

@pytest.mark.skipif(not SYSTEM_BOKMAAL.is_file(), reason="the wnorwegian word lists are not installed")
def test_system_lists(tmp_path_factory):
    shared = tmp_path_factory.getbasetemp() / "lexicon-cache"  # shared with the detector tests
    started = time.perf_counter()
    lex = load_lexicon("no", cache=shared)
    first = time.perf_counter() - started
    assert lex.available, lex
    assert {w.language for w in lex.lists} >= {"nb", "nn"}
    assert sum(w.common_count for w in lex.lists) > 1_000_000
    assert lex.is_common_word("bjørn", strict=True) and lex.is_proper_noun("Bjørn")
    assert lex.is_common_word("ski", strict=True) and lex.is_proper_noun("Ski")
    assert lex.is_proper_noun("Levanger") and not lex.is_common_word("levanger")
    assert lex.is_proper_noun("Hansen") and lex.is_proper_noun("Kari")
    assert not lex.is_common_word("oslo", strict=True)
    # warm: from the cache just written, in a "new process"
    clear_lexicon_cache()
    started = time.perf_counter()
    warm = load_lexicon("no", cache=shared)
    elapsed = time.perf_counter() - started
    assert all(w.from_cache for w in warm.lists)
    print(f"\nsystem lexicon: first load {first:.3f} s, warm load {elapsed:.3f} s")
    assert elapsed < 1.0  # about 0.04 s on a developer machine; generous for slow CI
