"""Dictionary words for the hashtag detector, as a sorted array of 64-bit hashes.

A hashtag that is one word ("#recycling", "#bibliothèque", "#vacunación") reads fine without
capitals; one made of several ("#roadsafety") does not. The words come from `english-words`
(web2 and gcide: about 260,000 base forms) and from pyspellchecker's English, French and Spanish
frequency lists, which add the inflected forms ("wildfires", "elections") and the two other
languages of the pack. As a Python set they would cost about 60 MB and a second to build, so only
the hashes of accent-folded words of six letters or more (the detector's hashtags have at least
six) are kept, in `policy/data/hashtag-words.npy` (regenerate with `python -m policy.wordlist`;
a test checks the file against the packages).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np

from policy.normalize import fold_char

WORDS_FILE = Path(__file__).parent / "data" / "hashtag-words.npy"
SHORTEST = 6  # the detector's hashtags have at least six letters
LANGUAGES = ("en", "fr", "es")  # pyspellchecker's lists


def word_key(folded_word: str) -> int:
    return int.from_bytes(hashlib.blake2b(folded_word.encode("utf-8"), digest_size=8).digest(), "little")


def folded(word: str) -> str:
    """Folded as drafts are (lower case, no accents): a hashtag is often written without them."""
    return "".join(map(fold_char, word))


def is_dictionary_word(word: str) -> bool:
    """The word, or its singular: the Spanish list lacks many plurals ("incendios", "vacunas")."""
    word = folded(word)
    singulars = [word[:-1]] if word.endswith(("s", "x")) else []
    if word.endswith("es"):
        singulars.append(word[:-2])
    return any(_listed(w) for w in [word, *singulars] if len(w) >= SHORTEST)


def _listed(word: str) -> bool:
    keys, key = _keys(), word_key(word)
    at = int(np.searchsorted(keys, np.uint64(key)))
    return at < len(keys) and int(keys[at]) == key


@cache
def _keys() -> np.ndarray:
    return np.load(WORDS_FILE, allow_pickle=False)


def source_words() -> set[str]:
    """The folded words the file is built from (needs the test extra's packages)."""
    from english_words import get_english_words_set
    from spellchecker import SpellChecker

    words = set(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))
    for language in LANGUAGES:
        words.update(w for w in SpellChecker(language=language).word_frequency.words() if w.isalpha())
    return {folded(w) for w in words if len(w) >= SHORTEST}


def build_keys() -> np.ndarray:
    return np.unique(np.array([word_key(w) for w in source_words()], dtype=np.uint64))


if __name__ == "__main__":
    np.save(WORDS_FILE, build_keys(), allow_pickle=False)
    print(f"wrote {WORDS_FILE}")
