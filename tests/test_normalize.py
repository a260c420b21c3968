"""The shadow text folds hidden forms, and its offsets point at the original text."""

from __future__ import annotations

import pytest

from policy.normalize import Shadow

HIDDEN_FORMS = [
    # (draft, what the shadow must read, the original text that maps to it)
    (
        "P\u200ba\u200bs\u200bs\u200bw\u200bo\u200br\u200bd for the van",
        "password",
        "P\u200ba\u200bs\u200bs\u200bw\u200bo\u200br\u200bd",
    ),
    ("the іntеrnаl mеmо says we close in May", "internal memo", "іntеrnаl mеmо"),
    ("d0n4te to the c4mp4ign today", "donate to the campaign", "d0n4te to the c4mp4ign"),
    ("D O N A T E to Ray Hunt", "donate", "D O N A T E"),
    (
        "his social: five three six, two two, eight zero seven nine",
        "536-22-8079",
        "five three six, two two, eight zero seven nine",
    ),
    ("His cell is (６０８) ５５５-０１９２", "(608) 555-0192", "(６０８) ５５５-０１９２"),
    ("that b0ss better w4tch his b4ck", "watch his back", "w4tch his b4ck"),
]


@pytest.mark.parametrize(("draft", "folded", "original"), HIDDEN_FORMS)
def test_hidden_forms_fold_and_map_back_to_the_original(draft, folded, original):
    shadow = Shadow.of(draft)
    start = shadow.text.index(folded)
    mapped = shadow.span(start, start + len(folded))
    assert draft[mapped[0] : mapped[1]] == original


def test_shadow_maps_every_position_back_into_the_original():
    original = "Ｐａｓｓ\u200bword ïs Ｈarbor"
    shadow = Shadow.of(original)
    assert shadow.text == "password is harbor"
    start = shadow.text.index("harbor")
    assert original[slice(*shadow.span(start, start + 6))] == "Ｈarbor"


def test_ascii_text_keeps_its_offsets():
    shadow = Shadow.of("Hello World")
    assert shadow.text == "hello world" and shadow.span(6, 11) == (6, 11)


def test_leetspeak_leaves_plain_numbers_alone():
    assert Shadow.of("Spring2024 and 3rd Brigade at 0400").text == "spring2024 and 3rd brigade at 0400"


def test_number_words_become_digits_only_in_runs():
    assert Shadow.of("one blazer").text == "one blazer"
    assert Shadow.of("two one seven, five five five").text == "217-555"
