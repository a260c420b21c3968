"""Detectors: structured things in a draft, found deterministically with spans and validated.

Each detector kind is a function over the shadow text (see `normalize`) that yields shadow
spans. Patterns are RE2 (linear time, no backtracking); checksums come from `python-stdnum`
and phone numbers from `phonenumbers`' own matcher. A pack's `detectors.yaml` picks the
kinds, names them and gives each its words (label words are data, in several languages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import phonenumbers
import re2
from stdnum import luhn
from stdnum.ca import sin
from stdnum.cl import rut
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.us import ssn

from policy.normalize import Shadow

Span = tuple[int, int]
TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})


@dataclass(frozen=True)
class DetectorSettings:
    """What a kind needs from the pack: its words and the pack-wide allow lists."""

    words: tuple[str, ...] = ()
    public_words: tuple[str, ...] = ()
    regions: tuple[str, ...] = ("US",)
    allowed_numbers: frozenset[str] = frozenset()
    public_email_domains: tuple[str, ...] = ()
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def words_regex(self, case_sensitive: bool = False):
        """All of the kind's words as one whole-word RE2 alternation, compiled once."""
        if case_sensitive not in self.cache:
            if not self.words:
                self.cache[case_sensitive] = None
            else:
                alternation = "|".join(_word_pattern(w, case_sensitive) for w in self.words)
                flags = "" if case_sensitive else "(?i)"
                self.cache[case_sensitive] = re2.compile(f"{flags}({alternation})")
        return self.cache[case_sensitive]

    def public_regex(self):
        if "public" not in self.cache:
            words = "|".join(_word_pattern(w, False) for w in self.public_words)
            self.cache["public"] = re2.compile(f"(?i)({words})") if self.public_words else None
        return self.cache["public"]


def _word_pattern(word: str, case_sensitive: bool) -> str:
    """A whole-word pattern: word boundaries on the sides where the word starts or ends with a letter."""
    if word.startswith("re:"):
        return word[3:]
    body = re2.escape(word if case_sensitive else word.lower())
    return ("\\b" if word[0].isalnum() else "") + body + ("\\b" if word[-1].isalnum() else "")


def _near_words(
    text: str, start: int, end: int, settings: DetectorSettings, before: int = 40, after: int = 10, public: bool = False
) -> bool:
    regex = settings.public_regex() if public else settings.words_regex()
    if regex is None:
        return False
    return regex.search(text[max(0, start - before) : end + after]) is not None


def _digits(piece: str) -> str:
    return "".join(c for c in piece if c.isdigit())


_PHONE_INTRO_BEFORE = 45


def phone(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """Phone numbers in any country's format, minus public short codes and introduced public lines."""
    text = draft.text
    found: list[Span] = []
    for region in settings.regions:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            span = (match.start, match.end)
            if any(s < span[1] and span[0] < e for s, e in found):
                continue
            digits = _digits(match.raw_string)
            if digits in settings.allowed_numbers or len(digits) < 7:
                continue
            national = str(match.number.national_number)
            if match.number.country_code == 1 and national[:3] in TOLL_FREE:
                continue  # an organisation's line, not a person's
            if _near_words(text, match.start, match.start, settings, before=_PHONE_INTRO_BEFORE, after=0, public=True):
                continue  # "our public help line", "línea de atención"
            if not _phone_shaped(match.raw_string) and not _near_words(text, match.start, match.end, settings):
                continue  # a bare run of digits or a ZIP+4 is a phone number only when labelled as one
            found.append(span)
    yield from found


_ZIP4 = re2.compile(r"^\d{5}-\d{4}$")


def _phone_shaped(raw: str) -> bool:
    if raw.startswith("+") or "(" in raw:
        return True
    return any(not c.isdigit() for c in raw) and not _ZIP4.match(raw)


_NUMBER_RUN = re2.compile(r"(?:^|[^\w])(\d[\d .,\-]{5,22}[\dk])(?:$|[^\w])")
_SSN_SHAPE = re2.compile(r"^\d{3}[-. ]\d{2}[-. ]\d{4}$")
_DNI_WORD = re2.compile(r"\b(?:dni|nie|nif|documento|cedula|d\.n\.i)\b")
_NINO = re2.compile(r"(?i)(?:^|[^\w])([a-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[a-d])(?:$|[^\w])")
_NINO_BAD_PREFIX = frozenset({"bg", "gb", "nk", "kn", "tn", "nt", "zz"})
_DNI = re2.compile(r"(?i)(?:^|[^\w])([xyz]?[\- ]?\d{7,8}[\- ]?[a-z])(?:$|[^\w])")
_CURP = re2.compile(r"(?i)(?:^|[^\w])([a-z]{4}\d{6}[hm][a-z]{5}[0-9a-z]\d)(?:$|[^\w])")


def _is_national_number(piece: str, digits: str, labelled: bool, before: str) -> bool:
    """SSN (checksum rules, and its 3-2-4 shape or a label), SIN (Luhn and a label), NIR (key, or a
    label), an Argentine DNI ("DNI 31.456.789") and a Chilean RUT (check digit)."""
    if len(digits) == 9 and ssn.is_valid(digits) and (_SSN_SHAPE.match(piece) or labelled):
        return True
    if len(digits) == 9 and sin.is_valid(digits) and labelled:
        return True
    if len(digits) in (13, 15) and (nir.is_valid(digits) or labelled):
        return True
    if len(digits) in (7, 8) and labelled and _DNI_WORD.search(before):
        return True
    return len(digits) in (8, 9) and "-" in piece and rut.is_valid(piece)


def national_id(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """SSN, SIN and NIR numbers (checksummed), NINO, DNI/NIE and CURP."""
    text = draft.text
    for match in _NUMBER_RUN.finditer(text):
        piece, span = match.group(1), match.span(1)
        digits = _digits(piece)
        labelled = _near_words(text, *span, settings)
        if _is_national_number(piece, digits, labelled, text[max(0, span[0] - 30) : span[0]]):
            yield span
    for match in _NINO.finditer(text):
        body = match.group(1).replace(" ", "").lower()
        if body[:2] not in _NINO_BAD_PREFIX and body[0] not in "dfiquv" and body[1] not in "dfiqouv":
            yield match.span(1)
    for match in _DNI.finditer(text):
        body = match.group(1).replace("-", "").replace(" ", "").upper()
        labelled = _DNI_WORD.search(text[max(0, match.start(1) - 30) : match.start(1)])
        if dni.is_valid(body) or nie.is_valid(body) or labelled:
            yield match.span(1)
    for match in _CURP.finditer(text):
        yield match.span(1)


_CARD = re2.compile(r"(?:^|[^\w])((?:\d[ \-]?){12,18}\d)(?:$|[^\w])")


def payment_card(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    text = draft.text
    for match in _CARD.finditer(text):
        digits = _digits(match.group(1))
        if 13 <= len(digits) <= 19 and digits[0] in "3456" and luhn.is_valid(digits):
            yield match.span(1)


_EMAIL = re2.compile(r"([a-z0-9][a-z0-9._%+\-]{0,63}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63}){1,8})")


def email(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """E-mail addresses, except those on the pack's public domains (an agency's own addresses)."""
    text = draft.text
    for match in _EMAIL.finditer(text):
        domain = match.group(1).rsplit("@", 1)[1].rstrip(".")
        if any(domain == d or domain.endswith("." + d) for d in settings.public_email_domains):
            continue
        yield match.span(1)


_STREET_EN = re2.compile(
    r"(?:^|[^\w])(\d{1,6}[a-z]? (?:[a-z][a-z'\-]* ){1,4}(?:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane"
    r"|dr|drive|ct|court|way|pl|place|ter|terrace|cir|circle|pkwy|parkway|hwy|highway|trl|trail))(?:$|[^\w])"
)
_STREET_FR = re2.compile(
    r"(?:^|[^\w])(\d{1,4}(?: ?bis| ?ter)?,? (?:rue|avenue|av|boulevard|bd|chemin|allee|impasse|place|quai|route)"
    r" (?:[a-z'\-]+ ?){1,5})"
)
_STREET_ES = re2.compile(
    r"(?:^|[^\w])((?:calle|c/|avenida|avda|av|paseo|plaza|carrera|camino|ronda|jiron|rua) (?:[a-z'\-]+ ){1,4}"
    r"(?:n[o°º]\.? ?|#)?\d{1,5})(?:$|[^\w])"
)


def street_address(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    text = draft.text
    for pattern in (_STREET_EN, _STREET_FR, _STREET_ES):
        for match in pattern.finditer(text):
            yield match.span(1)


_DATE = re2.compile(
    r"(?:^|[^\w])(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}(?:st|nd|rd|th|er)? (?:de )?[a-z]{3,10}\.? (?:de )?\d{4}|[a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})"
    r"(?:$|[^\w])"
)


def date_of_birth(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """A date with a birth label before it: "DOB 04/12/1987", "née le 3 mars 1990"."""
    text = draft.text
    for match in _DATE.finditer(text):
        if _near_words(text, *match.span(1), settings, before=30, after=0):
            yield match.span(1)


_TOKEN_SHAPES = re2.compile(
    r"((?:sk|pk|rk)_(?:live|test)_[a-z0-9]{8,}|akia[0-9a-z]{16}|gh[pousr]_[a-z0-9]{20,}|xox[abpr]-[a-z0-9\-]{10,}"
    r"|bearer [a-z0-9._\-]{16,})"
)
_VALUE_TOKENS = re2.compile(r"[^\s\"'`,;]{3,64}")
_VALUE_WINDOW = 60  # characters after a key word in which its value may follow
_VALUE_STOP = frozenset(
    "the to my your his her our their for of on in is was will and not que de la le el mi mon".split()
)


def credential(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """A password, PIN, door or Wi-Fi code or login followed (within a few words) by a value shaped
    like a secret; API key and token shapes.

    The key word is found in the shadow; each candidate value is also read as the author wrote
    it, since folding leetspeak turns "Tr0ub4dor" into a word."""
    text = draft.text
    yield from (m.span(1) for m in _TOKEN_SHAPES.finditer(text))
    regex = settings.words_regex()
    if regex is None:
        return
    for match in regex.finditer(text):
        window_start = match.end(1)
        for token in _VALUE_TOKENS.finditer(text[window_start : window_start + _VALUE_WINDOW]):
            start, end = window_start + token.start(), window_start + token.end()
            original = draft.original[slice(*draft.span(start, end))]
            if _secret_shaped(token.group()) or _secret_shaped(original):
                yield match.start(1), end
                break


_NOT_SECRETS = re2.compile(r"^(?:\d{1,2}[:h]\d{2}(?:am|pm)?|\d+(?:st|nd|rd|th|er|e|o|a)|\$[\d.,]+|\d{1,2}(?:am|pm))$")


def _secret_shaped(value: str) -> bool:
    value = value.strip(".!?)(:")
    if value.lower() in _VALUE_STOP or len(value) < 3 or _NOT_SECRETS.match(value.lower()):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    return has_digit or (has_symbol and len(value) >= 6)


def words_present(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """The kind's own words in the capitals the pack writes them in: "SECRET" is a marking in a
    sentence in lower case, not in a post written in capitals."""
    text = draft.original
    regex = settings.words_regex(case_sensitive=True)
    if regex is None:
        return
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return
    yield from (m.span(1) for m in regex.finditer(text))


def words_any_case(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    text = draft.text
    regex = settings.words_regex()
    if regex is not None:
        yield from (m.span(1) for m in regex.finditer(text))


_CASE_TOKEN = re2.compile(r"[#(]?([a-z]{0,4}[\-/]?\d[\da-z\-/]{2,18})")
_YEAR = re2.compile(r"^(?:19|20)\d\d$")
_CASE_WINDOW = 40  # characters after a label in which its number may follow


def case_number(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """A case, claim, docket or file label followed, within a few words, by a number with three or
    more digits that is not just a year."""
    text = draft.text
    regex = settings.words_regex()
    if regex is None:
        return
    for match in regex.finditer(text):
        window_start = match.end(1)
        for token in _CASE_TOKEN.finditer(text[window_start : window_start + _CASE_WINDOW]):
            value = token.group(1)
            if sum(c.isdigit() for c in value) >= 3 and not _YEAR.match(value.strip("-/")):
                yield match.start(1), window_start + token.end(1)
                break


_HASHTAG = re2.compile(r"(?:^|[^\w])(#[A-Za-z][A-Za-z0-9]{5,})")


def lowercase_hashtag(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """A multi-word hashtag a screen reader cannot split: no capitals and not one dictionary word.

    Runs on the original text: case matters here."""
    text = draft.original
    for match in _HASHTAG.finditer(text):
        body = match.group(1)[1:]
        if any(c.isupper() for c in body):
            continue
        if body.lower() not in _dictionary():
            yield match.span(1)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


KINDS: dict[str, Callable[[Shadow, DetectorSettings], Iterator[Span]]] = {
    "phone": phone,
    "national_id": national_id,
    "payment_card": payment_card,
    "email": email,
    "street_address": street_address,
    "date_of_birth": date_of_birth,
    "credential": credential,
    "marking": words_present,
    "labelled_words": words_any_case,
    "case_number": case_number,
    "lowercase_hashtag": lowercase_hashtag,
}
ON_ORIGINAL = frozenset({"marking", "lowercase_hashtag"})  # kinds whose spans are in the original already
# Phone numbers give way to these: an SSN or a card number is not also a phone number.
OUTRANK_PHONE = frozenset({"national_id", "payment_card", "case_number", "date_of_birth", "credential"})
