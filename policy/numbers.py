"""Detector kinds for numbers: phone numbers (`phonenumbers`' own matcher), national ids and
payment cards (`python-stdnum` checksums). Patterns are RE2: linear time on any input."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator

import phonenumbers
import re2
from stdnum import luhn
from stdnum.au import tfn
from stdnum.be import nn as belgian_register
from stdnum.ca import sin
from stdnum.ch import ssn as swiss_avs
from stdnum.cl import rut
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.us import ssn

from policy.detectorbase import DetectorSettings, Span, near_words
from policy.normalize import Shadow
from policy.phone_shapes import (
    counting_list,
    glued_to_code,
    is_amount,
    named_by_id_word,
    not_a_phone_shape,
    range_of_counts,
    tail_of_longer_number,
    without_old_mobile_one,
)

# An organisation's line, not a person's: free, premium and universal-access numbers (0800 in
# France and Britain, 900 in Spain, 1-800 in North America). Not shared-cost ones: Mexico's
# metadata puts Colombia's mobiles (300...) there.
SERVICE_LINES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.UAN,
    }
)


def _digits(piece: str) -> str:
    return "".join(c for c in piece if c.isdigit())


_PHONE_INTRO_BEFORE = 45
MAX_PHONE_MATCHES = 100  # distinct matches per region before copies are found by plain search


def phone(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """Phone numbers in any country's format, minus public short codes and introduced public lines."""
    text = without_old_mobile_one(_digits_for_letters(draft.text))
    found: list[Span] = []  # sorted, never overlapping
    for region in settings.regions:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            if len(found) >= MAX_PHONE_MATCHES:  # a flood: the rest are copies of these, found below
                break
            span = (match.start, match.end)
            place = bisect.bisect_left(found, span)
            if any(s < span[1] and span[0] < e for s, e in found[max(place - 1, 0) : place + 1]):
                continue
            digits = _digits(match.raw_string)
            if digits in settings.allowed_numbers or len(digits) < 7:
                continue
            if named_by_id_word(text, match.start):
                continue  # "tracking number 1Z 999 AA1 01 2345 6784": "number" here is not a phone's
            labelled = near_words(text, match.start, match.end, settings)
            if not labelled and (
                glued_to_code(text, match.start, match.end)  # "CV-2024-0918", "#4471-2290", "n° 2021-1109"
                or not_a_phone_shape(match.raw_string)  # "2019-2023", "05.12.2026", "2635.702"
                or tail_of_longer_number(text, match.start)  # "permit 2024 556 7781"
                or range_of_counts(text, match.start, match.raw_string)  # "between 1200-1500"
                or is_amount(text, match.start, match.end)  # "1 250 000 euros"
                or counting_list(draft.original[slice(*draft.span(match.start, match.end))])  # "4 8 15 16 23 42"
            ):
                continue
            if near_words(text, match.start, match.start, settings, before=_PHONE_INTRO_BEFORE, after=0, public=True):
                continue  # "our public help line", "línea de atención"
            if not _phone_shaped(match.raw_string) and not labelled and not _bare_mobile(match):
                continue  # a bare run of digits or a ZIP+4 is a phone number only when labelled as one
            if _service_line(match.raw_string, settings.regions):
                continue  # last: it parses the number once per region
            bisect.insort(found, span)
    if len(found) >= MAX_PHONE_MATCHES:
        found = _every_copy(text, found)
    yield from found


_NUMBER_TOKEN = re2.compile(r"(?:^|[^\w])([0-9oli]*[0-9][0-9oli]*)(?:$|[^\w])")
_AS_DIGITS = str.maketrans("oli", "011")


@functools.lru_cache(maxsize=8)
def _digits_for_letters(text: str) -> str:
    """ "3O5-555-O1O9" -> "305-555-0109": in a token of digits, an o, l or i (a folded 1) stands
    for 0 or 1. Same length, so spans stay valid. Cached: the phone, id and card kinds all read
    the same draft."""
    if not any(c in text for c in "oli"):
        return text
    pieces, last = [], 0
    for match in _NUMBER_TOKEN.finditer(text):
        token = match.group(1)
        if not token.isdigit() and len(token) >= 3 and not token.startswith("l"):  # "L1225-35" is an article
            start, end = match.span(1)
            pieces += [text[last:start], token.translate(_AS_DIGITS)]
            last = end
    return "".join(pieces) + text[last:] if pieces else text


def _every_copy(text: str, found: list[Span]) -> list[Span]:
    """Every occurrence of the numbers already found, in linear time, so a fix replaces them all."""
    spans = set(found)
    for raw in {text[s:e] for s, e in found}:
        start = text.find(raw)
        while start != -1:
            spans.add((start, start + len(raw)))
            start = text.find(raw, start + len(raw))
    kept: list[Span] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _service_line(raw: str, regions: tuple[str, ...]) -> bool:
    """Written as a free or premium line of a region where it is valid, and as no
    other kind of number in another ("0 800 06 66 66" in France, which the US region's matcher
    also finds but cannot place; not "300 555 4821", which Britain would write 0300...)."""
    kinds = set()
    digits = _digits(raw)
    for region in regions:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        written = {
            _digits(phonenumbers.format_number(number, style))
            for style in (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.E164)
        }
        if digits in written and phonenumbers.is_valid_number(number):
            kinds.add(phonenumbers.number_type(number))
    return bool(kinds) and kinds <= SERVICE_LINES


_ZIP4 = re2.compile(r"^\d{5}-\d{4}$")


def _bare_mobile(match: phonenumbers.PhoneNumberMatch) -> bool:
    """An unbroken mobile number with its trunk zero, as France and Britain write one: "0612345678".
    The matcher has already parsed it in its region."""
    raw = match.raw_string
    if not raw.startswith("0") or not raw.isdigit():
        return False
    return phonenumbers.is_valid_number(match.number) and phonenumbers.number_type(match.number) == _MOBILE


_MOBILE = phonenumbers.PhoneNumberType.MOBILE


def _phone_shaped(raw: str) -> bool:
    if raw.startswith("+") or "(" in raw:
        return True
    return any(not c.isdigit() for c in raw) and not _ZIP4.match(raw)


_NUMBER_RUN = re2.compile(r"(?:^|[^\w])(\d[\d .,\-]{5,22}[\dk])(?:$|[^\w])")
_SSN_SHAPE = re2.compile(r"^\d{3}[-., ]\d{2}[-., ]\d{4}$")  # commas: "five one two, four eight, ..."
_RUT_SHAPE = re2.compile(r"^\d{1,2}\.?\d{3}\.?\d{3}-[\dk]$")  # 12.345.678-5: the check digit after the dash
_DNI_WORD = re2.compile(r"\b(?:dni|nie|nif|documento|cedula|d\.n\.i)\b")
_DOTTED_DNI = re2.compile(r"^\d{1,2}\.\d{3}\.\d{3}$")  # Argentina writes its DNI "31.456.789"
_AVS_SHAPE = re2.compile(r"^756[. ]?\d{4}[. ]?\d{4}[. ]?\d{2}$")
_BELGIAN_SHAPE = re2.compile(r"^\d{2}[. ]?\d{2}[. ]?\d{2}[- ]?\d{3}[. ]?\d{2}$")
_NINO = re2.compile(r"(?i)(?:^|[^\w])([a-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[a-d])(?:$|[^\w])")
_NINO_BAD_PREFIX = frozenset({"bg", "gb", "nk", "kn", "tn", "nt", "zz"})
_DNI = re2.compile(r"(?i)(?:^|[^\w])([xyz]?[\- ]?\d{7,8}[\- ]?[a-z])(?:$|[^\w])")
_CURP = re2.compile(r"(?i)(?:^|[^\w])([a-z]{4}\d{6}[hm][a-z]{5}[0-9a-z]\d)(?:$|[^\w])")


def _is_national_number(piece: str, digits: str, labelled: bool, before: str) -> bool:
    """SSN (checksum rules, and its 3-2-4 shape or a label), SIN or Australian TFN (check digit and a
    label), NIR (key, or a label), Swiss AVS and Belgian national register numbers (check digits, and
    their shape or a label), an Argentine DNI ("DNI 31.456.789") and a Chilean RUT (check digit)."""
    if len(digits) == 9 and ssn.is_valid(digits) and (_SSN_SHAPE.match(piece) or labelled):
        return True
    if len(digits) == 13 and swiss_avs.is_valid(digits) and (_AVS_SHAPE.match(piece) or labelled):
        return True
    if len(digits) == 11 and belgian_register.is_valid(digits) and (_BELGIAN_SHAPE.match(piece) or labelled):
        return True
    if len(digits) == 9 and (sin.is_valid(digits) or tfn.is_valid(digits)) and labelled:
        return True
    if len(digits) in (13, 15) and (nir.is_valid(digits) or labelled):
        return True
    if len(digits) in (7, 8) and _DNI_WORD.search(before if _DOTTED_DNI.match(piece) else before[-30:]):
        return True
    return len(digits) in (8, 9) and _RUT_SHAPE.match(piece) is not None and rut.is_valid(piece)


def national_id(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """SSN, SIN and NIR numbers (checksummed), NINO, DNI/NIE and CURP."""
    text = _digits_for_letters(draft.text)
    for match in _NUMBER_RUN.finditer(text):
        piece, span = match.group(1), match.span(1)
        digits = _digits(piece)
        labelled = near_words(text, *span, settings)
        if _is_national_number(piece, digits, labelled, text[max(0, span[0] - 60) : span[0]]):
            yield span
    for match in _NINO.finditer(text):
        body = match.group(1).replace(" ", "").lower()
        issued = body[:2] not in _NINO_BAD_PREFIX and body[0] not in "dfiquv" and body[1] not in "dfiqouv"
        if issued or near_words(text, *match.span(1), settings):  # a mistyped one still reads as a NINO
            yield match.span(1)
    for match in _DNI.finditer(text):
        body = match.group(1).replace("-", "").replace(" ", "").upper()
        labelled = _DNI_WORD.search(text[max(0, match.start(1) - 30) : match.start(1)])
        if dni.is_valid(body) or nie.is_valid(body) or labelled:
            yield match.span(1)
    for match in _CURP.finditer(text):
        yield match.span(1)


_CARD = re2.compile(r"(?:^|[^\w])((?:\d(?:[ \-]|, ?)?){12,18}\d)(?:$|[^\w])")


_CARD_GROUPS = re2.compile(r"^(\d{4}(?: \d{4}){3}|\d{4}(?:-\d{4}){3}|\d{4} \d{6} \d{5}|\d{4}-\d{6}-\d{5})")
_CARD_PREFIX = re2.compile(r"^(?:[3-6]|2[2-7])")  # Amex, Diners, Visa, Mastercard (51-55 and 2221-2720), Discover
_FOUR_BY_FOUR = re2.compile(r"^\d{4}(?: \d{4}){3}$|^\d{4}(?:-\d{4}){3}$")


def payment_card(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """A card number that passes the Luhn check, or one written 4-4-4-4 beside a card word (a
    number typed from memory or made up for a post still reads as a card to everyone else)."""
    text = _digits_for_letters(draft.text)
    for match in _CARD.finditer(text):
        if "+" in text[max(0, match.start(1) - 2) : match.start(1)]:
            continue  # "+52 1 55 1234 5678": a country code starts a phone number, never a card
        grouped = _CARD_GROUPS.match(match.group(1))
        if grouped and grouped.group(1) != match.group(1) and luhn.is_valid(_digits(grouped.group(1))):
            yield match.start(1), match.start(1) + len(grouped.group(1))  # "4242 4242 4242 4242 09/27"
            continue
        digits = _digits(match.group(1))
        checksum = 13 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) is not None and luhn.is_valid(digits)
        labelled = _FOUR_BY_FOUR.match(match.group(1)) and near_words(
            text, *match.span(1), settings, before=40, after=0
        )
        if checksum or labelled:
            yield match.span(1)
