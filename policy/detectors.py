"""Detectors: structured things in a draft, found deterministically with spans and validated.

Each detector kind is a function over the shadow text (see `normalize`) that yields shadow
spans. Patterns are RE2 (linear time, no backtracking); checksums come from `python-stdnum`
and phone numbers from `phonenumbers`' own matcher. A pack's `detectors.yaml` picks the
kinds, names them and gives each its words (label words are data, in several languages).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import re2

from policy.addresses import street_address
from policy.births import date_of_birth
from policy.detectorbase import DetectorSettings, Span
from policy.normalize import Shadow
from policy.numbers import national_id, payment_card, phone
from policy.phone_shapes import is_amount
from policy.wordlist import SHORTEST, is_dictionary_word

_EMAIL = re2.compile(r"([a-z0-9][a-z0-9._%+\-]{0,63}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63}){1,8})")


# Written out to dodge scrapers: "tina dot marsh 84 at gmail dot com", "pablo punto sanz arroba
# yahoo punto es", "lindsay.k[at]outlook[dot]com", "teresa . lopez @ gmail . com". A spaced dot
# counts only beside a real @ ("see you at noon. com..." is not an address), and a spelled "at"
# needs a spelled dot or brackets somewhere ("shop at amazon.com" is a shop).
_LOCAL = r"[a-z0-9][a-z0-9_%+\-]*(?:(?: ?[._\-] ?| (?:dot|punto|point) )[a-z0-9_%+\-]+| \d+){0,3}"


def _bracketed(words: str) -> str:
    return r"[\[({<](?:" + words + r")[\])}>]"


_TLD = r"(?:com|org|net|edu|gov|mil|info|io|co|us|ca|uk|fr|es|mx|ar|cl|pe|be|ch|de|it|eu|gouv|gob)"
_DOT_WORDS = "dot|punto|point"


def _spelled(at: str, dot: str):
    domain = rf"([a-z0-9\-]+(?:{dot}[a-z0-9\-]+){{0,3}}{dot}{_TLD})"
    return re2.compile(rf"(?:^|[^a-z0-9_%+\-])({_LOCAL}{at}{domain})(?:$|[^a-z0-9])")


_SPELLED_AT_SIGN = _spelled(r" ?@ ?", rf"(?: ?\. ?|{_bracketed(_DOT_WORDS)}| (?:{_DOT_WORDS}) )")
_SPELLED_AT_WORD = _spelled(
    rf"(?: ?{_bracketed('at|arroba|arobase')} ?| (?:at|arroba|arobase) )",
    rf"(?:\.| ?{_bracketed(_DOT_WORDS)} ?| (?:{_DOT_WORDS}) )",
)
_OBFUSCATED = re2.compile(rf"[\[({{<]|\b(?:{_DOT_WORDS})\b")
_DOMAIN_DOTS = re2.compile(rf" ?(?:\.|{_bracketed(_DOT_WORDS)}|\b(?:{_DOT_WORDS})\b) ?")


def email(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """E-mail addresses, plain or written out, except those on the pack's public domains (an
    agency's own addresses) and an organisation's role mailboxes ("press@", "info@")."""
    text = draft.text
    plain = [(m.span(1), m.group(1).rsplit("@", 1)[1].rstrip(".")) for m in _EMAIL.finditer(text)]
    matches = [*_SPELLED_AT_SIGN.finditer(text)]
    matches += [m for m in _SPELLED_AT_WORD.finditer(text) if _OBFUSCATED.search(m.group(1))]
    spelled = [(m.span(1), _DOMAIN_DOTS.sub(".", m.group(2))) for m in matches]
    for span, domain in plain + [(s, d) for s, d in spelled if not any(_overlap(s, p) for p, _ in plain)]:
        name = text[span[0] : span[1]].split("@", 1)[0]
        if name in settings.public_email_names:
            continue
        if not any(domain == d or domain.endswith("." + d) for d in settings.public_email_domains):
            yield span


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_TOKEN_SHAPES = re2.compile(
    r"((?:sk|pk|rk)_(?:live|test)_[a-z0-9]{8,}|akia[0-9a-z]{16}|gh[pousr]_[a-z0-9]{20,}|xox[abpr]-[a-z0-9\-]{10,}"
    r"|bearer [a-z0-9._\-]{16,})"
)
# A value is one token, or digit groups written with single spaces ("2634 118 9052").
_VALUE_TOKENS = re2.compile(r"(\d{2,}(?: \d{2,})+|[^\s\"'`,;]{3,64})")
_VALUE_WINDOW = 100  # characters after a key word in which its value may follow
_VALUE_STOP = frozenset(
    "the to my your his her our their for of on in is was will and not que de la le el mi mon".split()
)


def credential(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """A password, PIN, door or Wi-Fi code or login followed (within a few words) by a value shaped
    like a secret; API key and token shapes.

    The key word is found in the shadow; each candidate value is also read as the author wrote
    it, since folding leetspeak turns "Tr0ub4dor" into a word."""
    yield from (m.span(1) for m in _TOKEN_SHAPES.finditer(draft.text))

    def secret(value: str, start: int, end: int, gap: str) -> bool:
        if _YEAR.match(value.strip(".,!?)")) and _SINCE.search(draft.text[max(0, start - 12) : start]):
            return False  # "the door code hasn't changed since 2009"
        if _OFFER.search(draft.text[max(0, start - 80) : start]):
            return False  # a code that gives a discount is meant to be shared: "20% off with code JEFF20"
        if is_amount(draft.text, start, end) or _THOUSANDS_BEFORE.search(draft.text[max(0, start - 2) : start]):
            return False  # "le Code de la commande publique fixe le seuil à 40 000 €", "5,000 pins"
        if _LAW_REFERENCE.search(gap) or _NAMED_CODE.match(gap.strip(" :.-")):
            return False  # "Code du travail, article L3121-27", "code of conduct 2024 training"
        if gap.strip().startswith("of ") or _COUNTED.match(draft.text[end : end + 16]):
            return False  # "a combination of factors in 1998", "my login streak is 412 days"
        if _PIN_AS_VERB.search(draft.text[max(0, start - len(gap) - 4) : start]):
            return False  # "pin this post: the 2025 schedule"
        return _secret_shaped(value) or _secret_shaped(draft.original[slice(*draft.span(start, end))])

    yield from _labelled_values(draft.text, settings, _VALUE_TOKENS, _VALUE_WINDOW, secret)
    for match in _LOGIN_PAIR.finditer(draft.text):
        login = match.group(1)
        if "@" not in login and _WEB_ADDRESS.match(login):
            continue  # "cbc.ca / radio2" is a site and a page
        value = draft.original[slice(*draft.span(*match.span(2)))]
        if _secret_shaped(value) and any(c.isalpha() for c in value) and any(c.isdigit() for c in value):
            yield match.start(1), match.end(2)


_THOUSANDS_BEFORE = re2.compile(r"\d[,.]$")
_PIN_AS_VERB = re2.compile(r"\bpin (?:this|it|that|these|those|the|a|an|our|my|your|to)\b")
# a number that counts something is not a secret
_COUNTED = re2.compile(
    r"^ (?:days?|weeks?|months?|years?|hours?|minutes?|times|people|members|pages|points|miles|km|steps|"
    r"jours|semaines|mois|ans|heures|fois|personnes|dias|semanas|meses|anos|horas|veces|personas)\b"
)
# a code that is a body of rules, or a key that is a figure of speech, is not a secret: "code of conduct",
# "code de la route", "código de ética", "la clave del éxito"
_NAMED_CODE = re2.compile(
    r"(?:the |la |l'|el |del |de la |du |de |to )?(?:conduct|ethics|practice|honou?r|silence|regulations?|laws?|"
    r"ordinances?|route|conduite|deontologie|travail|conducta|etica|circulacion|trabajo|comercio|commerce|"
    r"procedure|procedimiento|education|sante|exito|succes|success|bonheur|felicidad|happiness)\b"
)
_LAW_REFERENCE = re2.compile(
    r"\b(?:article|art|articulo|section|sec|seccion|chapter|chapitre|capitulo|rule|regle|regla)\b"
)
_OFFER = re2.compile(
    r"\b(?:promo|promotional|discount|coupon|referral|voucher|rabais|reduction|parrainage|descuento|cupon|referido)"
    r"|\d ?% (?:off|de (?:descuento|reduction|rabais|remise))"
)


# A login and its password with no label word: "jo.lee@mail.com / Summer2024!", "p.lambert / Vacances25".
# The login has a dot, an underscore or an @; the password letters and digits.
_LOGIN_PAIR = re2.compile(
    r"(?:^|[\s:(])([a-z][a-z0-9%+\-]*[._@][a-z0-9._%+@\-]*[a-z0-9])(?: / | /|/ )([^\s/\"'`,;]{5,63}[^\s/\"'`,;.!?)])"
    r"(?:$|[\s.,;!?)])"
)
_WEB_ADDRESS = re2.compile(rf"^(?:www\.)?[a-z0-9\-.]+\.{_TLD}$")


def _labelled_values(text: str, settings: DetectorSettings, token, window: int, accept) -> Iterator[Span]:
    """Each label word of the kind, up to the first token after it (within `window` characters)
    that `accept(value, start, end, gap)` takes (`gap`: the text between label and value): the
    span covers label and value."""
    regex = settings.words_regex()
    if regex is None:
        return
    for match in regex.finditer(text):
        if text[match.end(1) : match.end(1) + 1] == "-":
            continue  # a code goes on: "RFP No. 2026-PW-017"
        window_start = match.end(1)
        following = text[window_start : window_start + window]
        sentence_end = _SENTENCE_END.search(following)  # "password manager. Turn on 2-step" has no value
        for found in token.finditer(following[: sentence_end.start() + 1] if sentence_end else following):
            start, end = window_start + found.start(1), window_start + found.end(1)
            if accept(found.group(1), start, end, text[window_start:start]):
                yield match.start(1), end
                break


_SINCE = re2.compile(r"\b(?:since|from|in|until|depuis|de|en|desde|hasta)(?: (?:a|an|the|le|la|el|un|une))?\s*$")
_SENTENCE_END = re2.compile(r"[.!?]\s+\D")  # "no. 2024-118" goes on: a digit follows
_WORD_JOINERS = re.compile(r"[-'’]")
_EDGE_PUNCTUATION = '.,;:!?()¿¡«»"“”‘’…'
_NOT_SECRETS = re2.compile(
    r"^(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}[:h]\d{2}(?:am|pm)?|\d{1,3}(?:st|nd|rd|th|er|e|o|a)|\$[\d.,]+|\d{1,2}(?:am|pm)"
    r"|\d{1,3}(?:\.\d{1,3}){1,3})$"  # a section or an IP address: "Code of Conduct, section 4.2"
)


def _secret_shaped(value: str) -> bool:
    value = value.strip(_EDGE_PUNCTUATION)
    if value.lower() in _VALUE_STOP or len(value) < 3 or _NOT_SECRETS.match(value.lower()):
        return False
    if _WEB_ADDRESS.match(value.lower()):
        return False  # "the full Code on GOV.UK"
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value) and not _is_joined_word(value)
    return has_digit or (has_symbol and len(value) >= 6)


def _is_joined_word(value: str) -> bool:
    """Words joined by hyphens or apostrophes, accented or not: "two-step", "changez-le", "sous-préfecture"."""
    parts = _WORD_JOINERS.split(value)
    return len(parts) > 1 and all(part.isalpha() for part in parts)


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

    def case_like(value: str, start: int, end: int, gap: str) -> bool:
        bare = value.strip("#()-/")
        if bare.isdigit() and len(bare) <= 4 and any(w not in _CASE_GAP_WORDS for w in _GAP_WORD.findall(gap)):
            return False  # a short bare number words away: "file your 1040", "inmate programs saw 1,200"
        return sum(c.isdigit() for c in value) >= 3 and not _YEAR.match(bare) and bare not in settings.allowed_numbers

    yield from _labelled_values(draft.text, settings, _CASE_TOKEN, _CASE_WINDOW, case_like)


# What may stand between a case label and a short bare number: "case no. 4471", "dossier n° 118".
_GAP_WORD = re2.compile(r"[^\W\d_]+")
_CASE_GAP_WORDS = frozenset(
    "no n nº num nr number numero nummer id ref is was es est fue de del du of the le la el este this ce".split()
)


_HASHTAG = re2.compile(r"(?:^|[^\w])(#\p{L}[\p{L}\d]{5,})")


def lowercase_hashtag(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """A multi-word hashtag a screen reader cannot split: no capitals and not one dictionary word
    (English, French or Spanish, with or without its accents).

    Runs on the original text: case matters here."""
    text = draft.original
    for match in _HASHTAG.finditer(text):
        body = match.group(1)[1:]
        if any(c.isupper() for c in body):
            continue
        letters = body.rstrip("0123456789")  # "#elections2026", "#covid19"
        if len(letters) >= SHORTEST and not is_dictionary_word(letters):
            yield match.span(1)


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
