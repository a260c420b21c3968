"""What looks like a phone number to `phonenumbers`' matcher but is not one: dates, years, ranges,
amounts, thousands, references and the end of a longer number. The phone detector asks these only
when no phone word is near. Patterns are RE2: linear time on any input."""

from __future__ import annotations

import datetime
import itertools

import re2

_OLD_MOBILE_ONE = re2.compile(r"\+ ?52[ .-]?(1)[ .-]?\d")


def without_old_mobile_one(text: str) -> str:
    """ "+52 1 55 1234 5678" -> "+52   55 1234 5678": Mexico dropped the 1 before mobiles in 2019,
    and `phonenumbers` no longer reads a number written with it. Same length, so spans stay valid."""
    if "52" not in text:
        return text
    pieces, last = [], 0
    for match in _OLD_MOBILE_ONE.finditer(text):
        pieces += [text[last : match.start(1)], " "]
        last = match.end(1)
    return "".join(pieces) + text[last:]


_CODE_BEFORE = re2.compile(r"(?i)(?:[a-z]|[a-z]-|#|#\s|\bn\.?[o°º]\.?\s?|\bnum\.?\s?)$")
_CODE_AFTER = re2.compile(r"[/\-][a-z]|[a-hjkmnp-z]")  # glued: not o, l or i ("6O2 33 41 8O" is leetspeak)
_DIGIT_GROUPS = re2.compile(r"\d+")


_RANGE_BEFORE = re2.compile(
    r"(?i)\b(?:between|from|about|around|approximately|some|entre|de|del|du|des|environ|unos|unas|aprox)\s$"
)


def range_of_counts(text: str, start: int, raw: str) -> bool:
    """ "between 1200-1500 attendees", "entre 800-950 personas": two ascending counts after a word of
    measure."""
    groups = _DIGIT_GROUPS.findall(raw)
    return (
        len(groups) == 2
        and len(groups[0]) == len(groups[1])
        and int(groups[0]) < int(groups[1])
        and _RANGE_BEFORE.search(text[max(0, start - 15) : start]) is not None
    )


def glued_to_code(text: str, start: int, end: int) -> bool:
    """Digits that continue letters ("CV-2024-0918", "L1225-35"), follow a number sign
    ("#4471-2290", "n° 2021-1109") or go on into letters ("24/01876/FUL") are a reference, an
    order or a law, not a phone number."""
    return _CODE_BEFORE.search(text[max(0, start - 6) : start]) is not None or _CODE_AFTER.match(text, end) is not None


# A decimal or a section ("2635.702"), a size ("1920x1080"), a number of a year ("Ley 203/2021"),
# thousands with commas ("1,234,567") or, as French and Spanish write them, with spaces after one
# or two digits ("2 345 678"): no country writes a phone number so.
_NUMBER_SHAPES = re2.compile(r"^(?:\d+[.,]\d+|\d+ ?x ?\d+|\d+/(?:19|20)\d\d|\d{1,3}(?:,\d{3})+|\d{1,2}(?: \d{3}){2,})$")
# A lone group of digits and a space right before the match: the match is the end of a longer
# number ("permit 2024 556 7781"), not a phone number. Not the end of another number's dashes
# ("555-123-4567 555-987-6543" is two).
_GROUP_BEFORE = re2.compile(r"(?:^|[^\d .\-/])\s?\d{1,4} $")
_CURRENCY_BEFORE = re2.compile(r"[$€£]\s?$")
_CURRENCY_AFTER = re2.compile(
    r"(?i)^\s?(?:[$€£]|k€|m€|(?:eur|euros?|dollars?|pesos?|usd|mxn|cad|gbp|millions?|millones|mil)\b)"
)


def tail_of_longer_number(text: str, start: int) -> bool:
    return _GROUP_BEFORE.search(text[max(0, start - 7) : start]) is not None


def is_amount(text: str, start: int, end: int) -> bool:
    """The digits at start:end are money: a currency sign or word beside them."""
    return bool(_CURRENCY_BEFORE.search(text[max(0, start - 2) : start]) or _CURRENCY_AFTER.match(text[end : end + 10]))


def _is_year(digits: str) -> bool:
    return 1900 <= int(digits) <= 2099


def counting_list(raw: str) -> bool:
    """ "4 8 15 16 23 42", "1 2 3 5 8 13": numbers that rise from a single digit, five or more,
    are a list; no country's numbers are written so (a French "06 12 34 56 78" starts with 0).
    Read in the draft as written: the shadow joins "4 8" into "48"."""
    groups = _DIGIT_GROUPS.findall(raw)
    return (
        len(groups) >= 5
        and len(groups[0]) == 1
        and groups[0] != "0"
        and not raw.startswith("+")
        and all(int(a) < int(b) for a, b in itertools.pairwise(groups))
    )


def not_a_phone_shape(raw: str) -> bool:
    """Two years ("2019-2023", "2012–2020"), a run of sections ("7321-7326"), a calendar date
    ("05.12.2026", "2026-12-05") or one of `_NUMBER_SHAPES`."""
    raw = raw.strip("()")
    if _NUMBER_SHAPES.match(raw):
        return True
    groups = _DIGIT_GROUPS.findall(raw)
    if len(groups) == 2 and all(len(g) == 4 and _is_year(g) for g in groups):
        return int(groups[0]) < int(groups[1])
    if len(groups) == 2 and len(groups[0]) == len(groups[1]) >= 3 and 0 < int(groups[1]) - int(groups[0]) < 100:
        return True  # a run of sections or pages: "5 U.S.C. 7321-7326"
    if len(groups) != 3 or 4 not in (len(groups[0]), len(groups[2])):
        return False
    year, *rest = groups if len(groups[0]) == 4 else groups[::-1]
    if not _is_year(year):
        return False
    for month, day in (rest, rest[::-1]) if len(groups[0]) != 4 else (rest,):
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            continue
        return True
    return False


# A number that an id word names ("tracking number 1Z 999 AA1 01 2345 6784", "order no. 4481 2290
# 1153", "numero de dossier 04 22 19 87"), with at most three pieces holding digits between them
# and the letters the match continues. Read in the shadow text, where accents are folded.
_ID_WORDS = (
    "tracking|order|case|claim|account|policy|serial|confirmation|reference|ref|invoice|ticket|flight|permit|"
    "licen[cs]e|booking|reservation|member|membership|student|employee|badge|seguimiento|pedido|expediente|"
    "socio|cuenta|reserva|factura|poliza|vuelo|commande|suivi|dossier|facture|vol|adherent"
)
_NAMED_BY_ID_WORD = re2.compile(
    rf"\b(?:{_ID_WORDS})(?:\s+(?:number|no\.?|num\.?|n°|#|numero|de (?:{_ID_WORDS})))?"
    r"\s*[:#]?\s*(?:[^\s]*\d[^\s]*\s){0,3}[^\s]*$"
)


def named_by_id_word(text: str, start: int) -> bool:
    return _NAMED_BY_ID_WORD.search(text[max(0, start - 60) : start]) is not None
