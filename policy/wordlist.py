"""English words for the hashtag detector, as a sorted array of 64-bit hashes.

The word lists of `english-words` (web2 and gcide) hold about 260,000 words; as a Python set
they cost about 45 MB and half a second to build. Only the hashes of the words the detector can
ask about (six letters or more) are kept, in `policy/data/english-words.npy` (regenerate with
`python -m policy.wordlist`; a test checks the file against the package).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np

WORDS_FILE = Path(__file__).parent / "data" / "english-words.npy"
SHORTEST = 6  # the detector's hashtags have at least six letters


def word_key(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def is_english_word(word: str) -> bool:
    keys, key = _keys(), word_key(word.lower())
    at = int(np.searchsorted(keys, np.uint64(key)))
    return at < len(keys) and int(keys[at]) == key


@cache
def _keys() -> np.ndarray:
    return np.load(WORDS_FILE, allow_pickle=False)


def build_keys() -> np.ndarray:
    """The hashes, from the `english-words` package (needed only to regenerate the file)."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    return np.unique(np.array([word_key(w) for w in words if len(w) >= SHORTEST], dtype=np.uint64))


if __name__ == "__main__":
    np.save(WORDS_FILE, build_keys(), allow_pickle=False)
    print(f"wrote {WORDS_FILE}")
