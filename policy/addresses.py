"""Street addresses: a house number with a street word or name, in the forms of the pack's
countries (US and UK, France, Belgium and Switzerland, Spain and Latin America). RE2 patterns
over the shadow text; capitals in the original tell a street's name from ordinary words."""

from __future__ import annotations

from collections.abc import Iterator

import re2

from policy.detectorbase import DetectorSettings, Span
from policy.normalize import Shadow

_STREET_EN = re2.compile(
    r"(?:^|[^\w:.])(\d{1,6}[a-z]? ((?:[a-z]\. |[a-z][a-z'\-]* ){1,4})"
    r"(?:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|dr|drive|ct|court|way|pl|place|ter|terrace|cir|circle|pkwy|parkway|hwy|highway|trl|trail"
    r"|crescent|close|gardens|grove|mews|square|sq|rise))(?:$|[^\w])"
)
_STREET_EN_HIGHWAY = re2.compile(
    r"(?:^|[^\w:.])(\d{2,6} (?:hwy|highway|route|us|sr|fm|county road) \d{1,4})(?:$|[^\w])"
)
_STREET_FR = re2.compile(
    r"(?:^|[^\w])(\d{1,4}(?: ?bis| ?ter)?,? (?:rue|avenue|av|boulevard|bd|chemin|allee|impasse|place|quai|route)"
    r" (?:[a-z'\-]+ ?){1,5})"
)
_STREET_FR_NUMBER_AFTER = re2.compile(  # Belgian and Swiss order: "rue de la Station 14"
    r"(?:^|[^\w])((?:rue|avenue|boulevard|chemin|allee|impasse|quai) ((?:[a-z'\-]+ ){1,4})\d{1,4})(?:$|[^\w])"
)
_STREET_ES = re2.compile(
    r"(?:^|[^\w])((?:calle|c/|avenida|avda|av|paseo|plaza|carrera|camino|ronda|jiron|rua)\.? ((?:[a-z'\-]+ ){1,4})"
    r"(?:n[o°º]\.? ?|# ?)?\d{1,5})(?:$|[^\w])"
)
# Colombia's grid: "Carrera 43A #18-25", "Calle 10 No. 5-51", "Cra. 7 # 32-16".
_STREET_GRID = re2.compile(
    r"(?:^|[^\w])((?:calle|cl|cll|carrera|cra|kr|avenida|av|diagonal|dg|transversal|tv)\.? \d{1,3} ?[a-z]?(?: bis)? ?"
    r"(?:#|no\.?|n[°º]) ?\d{1,3} ?[a-z]? ?- ?\d{1,3})(?:$|[^\w])"
)
# A name and a number followed by a flat: "Los Leones 1580, depto 402", "Rivadavia 5400 piso 3".
_STREET_WITH_UNIT = re2.compile(
    r"(?:^|[^\w])(((?:[a-z'\-]+ ){1,4})\d{1,5},? (?:depto|dpto|departamento|depa|piso|apto|apartamento|int|interior)"
    r"\.? ?\d{1,4}[a-z]?)(?:$|[^\w])"
)
# "11 AM on Main Street", "22 years in that place": a quantity, not a house number.
_NOT_STREET_NAMES = frozenset(
    "am pm a.m. p.m. h hr hrs hour hours min mins minute minutes year years yrs day days week weeks month months"
    " mile miles mi km percent people times and or to on in at of for from by with via"
    " is are was were has have had will would can could".split()
)


def street_address(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    text = draft.text
    for match in _STREET_EN.finditer(text):
        if match.group(2).split()[0] not in _NOT_STREET_NAMES and _named(draft, match.span(2)):
            yield match.span(1)
    for match in _STREET_EN_HIGHWAY.finditer(text):
        yield match.span(1)
    for match in _STREET_GRID.finditer(text):
        yield match.span(1)
    for pattern in (_STREET_FR_NUMBER_AFTER, _STREET_ES):  # the name before the number
        for match in pattern.finditer(text):
            if _named(draft, match.span(2)):
                yield match.span(1)
    for match in _STREET_WITH_UNIT.finditer(text):
        start = _first_capital(draft, *match.span(2))
        if start is not None:
            yield start, match.end(1)
    for match in _STREET_FR.finditer(text):
        yield match.span(1)


def _first_capital(draft: Shadow, start: int, end: int) -> int | None:
    """Where a street name with no street word begins: its first capitalised word ("cartas a Los
    Aromos 1580" is "Los Aromos 1580"); anywhere when the author writes no capitals."""
    if not any(c.isupper() for c in draft.original):
        return start
    at = start
    for word in draft.text[start:end].split(" "):
        if word and draft.original[draft.span(at, at + 1)[0]].isupper():
            return at
        at += len(word) + 1
    return None


def _named(draft: Shadow, name: Span) -> bool:
    """Where the author uses capitals at all, a street's name carries one (or a digit) on its last
    word: "Main St", "5th Ave", "Av. Rivadavia 7200", not "each way" or "la rue sera fermée 15"."""
    if not any(c.isupper() for c in draft.original):
        return True
    words = draft.original[slice(*draft.span(*name))].split()
    return bool(words) and (words[-1][0].isupper() or words[-1][0].isdigit())
