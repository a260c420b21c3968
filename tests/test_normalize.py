"""Hidden forms of stop-level cues are still caught, and offsets point at the original text."""

from __future__ import annotations

import pytest

from policy.normalize import Shadow

HIDDEN_STOP_CUES = [
    # (draft, rule that must fire, the original words the finding must cover)
    (
        "P\u200ba\u200bs\u200bs\u200bw\u200bo\u200br\u200bd for the van is Kite#4471",
        "sec.credentials",
        "P\u200ba",
    ),
    ("the іntеrnаl mеmо says we close in May", "conf.nonpublic", "іntеrnаl mеmо"),
    ("d0n4te to the c4mp4ign today, every $5 counts", "pol.solicit", "d0n4te"),
    ("D O N A T E to Ray Hunt for Senate tonight", "pol.solicit", "D O N A T E"),
    ("her social is three two one, six five, four nine eight seven", "pii.ssn", "social"),
    ("His cell is (６０８) ５５５-０１９２, blow it up", "pii.contact", "(６０８) ５５５-０１９２"),
    ("that b0ss better w4tch his b4ck tonight", "conduct.threat", "w4tch his b4ck"),
    ("s-s-n 5 1 2 - 4 4 - 7 7 7 7 for my client", "pii.ssn", "s-s-n"),
    ("t h e  a l a r m  c o d e  i s  9 9 1 2", "sec.credentials", "9 9 1 2"),
]


@pytest.mark.parametrize(("draft", "rule", "covered"), HIDDEN_STOP_CUES)
def test_hidden_forms_are_caught_with_original_offsets(policy, draft, rule, covered):
    assessment = policy.check(draft, account="personal", on_duty=False)
    assert assessment.verdict.label == "stop"
    finding = next(f for f in assessment.findings if f.rule == rule)
    highlighted = [draft[s:e] for s, e in finding.spans]
    assert any(covered in h or h in covered for h in highlighted), highlighted


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
    assert Shadow.of("two one seven, five five five").text == "217,555"
