"""Checks on structured hits (SSN, card and phone numbers, hashtags): a hit that fails is no hit."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import phonenumbers

_NON_DIGIT = re.compile(r"\D")
TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})


def ssn(shadow_hit: str, original_hit: str, allowed: frozenset[str]) -> bool:
    """Area not 000, 666 or 900-999; group not 00; serial not 0000 (SSA numbering rules)."""
    digits = _NON_DIGIT.sub("", shadow_hit)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def luhn(shadow_hit: str, original_hit: str, allowed: frozenset[str]) -> bool:
    digits = _NON_DIGIT.sub("", shadow_hit)
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def phone(shadow_hit: str, original_hit: str, allowed: frozenset[str]) -> bool:
    """A number the phonenumbers library finds possible (US by default), not allow-listed."""
    digits = _NON_DIGIT.sub("", shadow_hit)
    if digits in allowed or digits.lstrip("1") in allowed:
        return False
    text = shadow_hit.strip()
    try:
        number = phonenumbers.parse(text if text.startswith("+") else digits, "US")
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_possible_number(number):
        return False
    national = str(number.national_number)
    if number.country_code == 1 and national[:3] in TOLL_FREE:
        return False  # an organisation's line, not a person's
    if number.country_code == 1:  # NANP: area code and exchange start with 2-9
        return len(national) == 10 and national[0] in "23456789" and national[3] in "23456789"
    return True


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


def camelcase(shadow_hit: str, original_hit: str, allowed: frozenset[str]) -> bool:
    """A multi-word hashtag that a screen reader cannot split: all lower case, not one word."""
    body = original_hit.lstrip("#")
    if any(c.isupper() for c in body) or len(body) < 6:
        return False
    letters = "".join(c for c in body if c.isalpha())
    return letters.lower() not in _dictionary() or letters != body


VALIDATORS: dict[str, Callable[[str, str, frozenset[str]], bool]] = {
    "ssn": ssn,
    "luhn": luhn,
    "phone": phone,
    "camelcase": camelcase,
}


_NOT_PARTIES = frozenset(
    "birthday pizza block search dinner tea house costume slumber retirement holiday office "
    "christmas surprise launch watch third the a baby bachelor bachelorette garden pool welcome "
    "farewell graduation halloween dance cocktail potluck lunch team work going away release "
    "wedding engagement shower rescue working signing boat beach bridal ice cream".split()
)


def party_name(shadow_hit: str, original_hit: str, allowed: frozenset[str]) -> bool:
    """ "Harbor Party" is a party; "birthday party" and "Pizza Party" are not."""
    first = original_hit.split()[0]
    return first[:1].isupper() and first.lower() not in _NOT_PARTIES


VALIDATORS["party_name"] = party_name

_SMALL_WORDS = frozenset("from in of at the a an".split())


def proper_pair(shadow_hit: str, original_hit: str, allowed: frozenset[str]) -> bool:
    """ "Maria from Elmwood": every word but the small ones is capitalised in the original."""
    words = [w for w in original_hit.split() if w.lower() not in _SMALL_WORDS]
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


VALIDATORS["proper_pair"] = proper_pair


def secret_value(shadow_hit: str, original_hit: str, allowed: frozenset[str]) -> bool:
    """The word after "password" looks like a secret: 6+ characters mixing letters, digits or symbols."""
    value = original_hit.split()[-1].strip("'\"`.?!:")
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )
    return len(value) >= 6 and classes >= 2 and any(c.isdigit() or not c.isalnum() for c in value)


def capitalized(shadow_hit: str, original_hit: str, allowed: frozenset[str]) -> bool:
    """The hit starts with a capitalised word (a name), not a sentence's first common word."""
    first = original_hit.split()[0]
    return first[:1].isupper() and first.lower() not in _SMALL_WORDS | {"someone", "somebody", "everyone", "anyone"}


VALIDATORS["secret_value"] = secret_value
VALIDATORS["capitalized"] = capitalized
