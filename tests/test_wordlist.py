"""The hashtag detector's dictionary words: the shipped hashes match the word lists they come from."""

from __future__ import annotations

import numpy as np

from policy.wordlist import _keys, build_keys, is_dictionary_word, source_words, word_key


def test_the_shipped_hashes_are_those_of_the_word_lists():
    assert np.array_equal(_keys(), build_keys())


def test_words_are_found_in_any_case_with_or_without_accents():
    assert is_dictionary_word("accessibility") and is_dictionary_word("Government")
    assert is_dictionary_word("wildfires") and is_dictionary_word("recycling")  # inflected forms
    assert is_dictionary_word("bibliothèque") and is_dictionary_word("bibliotheque")
    assert is_dictionary_word("vacunación") and is_dictionary_word("vacunacion")


def test_words_run_together_are_not_words():
    for joined in ("publichealthweek", "votevotevote", "roadsafety", "seguridadvial", "securiteroutiere"):
        assert not is_dictionary_word(joined), joined


def test_the_hashes_do_not_collide_on_the_lists():
    words = source_words()
    assert len({word_key(w) for w in words}) == len(words) == len(_keys())
