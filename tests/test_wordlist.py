"""The hashtag detector's English words: the shipped hashes match the word lists they come from."""

from __future__ import annotations

import numpy as np

from policy.wordlist import SHORTEST, _keys, build_keys, is_english_word, word_key


def test_the_shipped_hashes_are_those_of_the_word_lists():
    assert np.array_equal(_keys(), build_keys())


def test_words_are_found_in_any_case_and_others_are_not():
    assert is_english_word("accessibility") and is_english_word("Government")
    assert not is_english_word("publichealthweek") and not is_english_word("votevotevote")


def test_the_hashes_do_not_collide_on_the_lists():
    from english_words import get_english_words_set

    words = {w for w in get_english_words_set(["web2", "gcide"], lower=True, alpha=True) if len(w) >= SHORTEST}
    assert len({word_key(w) for w in words}) == len(words) == len(_keys())
