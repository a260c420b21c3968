"""The date-of-birth detector kind: a date with a birth label before it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import re2

from policy.detectorbase import DetectorSettings, Span, near_words
from policy.normalize import Shadow

_DATE = re2.compile(
    r"(?:^|[^\w])(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th|er)?[ \-](?:de |of )?[a-z]{3,10}\.?,?[ \-](?:de )?\d{4}"
    r"|[a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})"
    r"(?:$|[^\w])"
)
# A record's label: the date belongs to a file or a form, whatever its year.
_RECORD_LABEL = re2.compile(
    r"\b(?:dob|d\.o\.b|date of birth|birth ?date|fecha de nacimiento|f\. nac|date de naissance)\b"
)
_FOUR_DIGIT_YEAR = re2.compile(r"(?:^|\D)((?:1[5-9]|20)\d\d)(?:$|\D)")
LABEL_BEFORE = 45  # characters: "date de naissance de ma fille : 15/06/2014"
OLDEST_LIVING = 110  # years: a birth date further back is history ("Ada Lovelace, born 10 December 1815")
NEWBORN = 1  # years: a birth date this recent is an announcement ("welcome baby Lucas, born 03/03/2026")


def date_of_birth(draft: Shadow, settings: DetectorSettings) -> Iterator[Span]:
    """A date with a birth label before it: "DOB 04/12/1987", "née le 3 mars 1990". Told as a
    story ("born", "né le"), a date of a person long dead or of a newborn is not personal data;
    under a record's label ("DOB", "date de naissance") it always is."""
    text = draft.text
    for match in _DATE.finditer(text):
        start, end = match.span(1)
        if not near_words(text, start, end, settings, before=LABEL_BEFORE, after=0):
            continue
        if _RECORD_LABEL.search(text[max(0, start - LABEL_BEFORE) : start]) or not _history_or_newborn(match.group(1)):
            yield start, end


def _history_or_newborn(date: str) -> bool:
    year = _FOUR_DIGIT_YEAR.search(date)
    if year is None:
        return False
    age = datetime.date.today().year - int(year.group(1))
    return age > OLDEST_LIVING or age <= NEWBORN
