"""Settings in human words: read working hours, snoozes, time zones and switches as people type
them, and say them back the same way. A value that cannot be read raises ValueError with a
message fit to show the user, in the turn's language. French and Spanish words are read too."""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from functools import lru_cache
from zoneinfo import available_timezones

from bot.catalog import texts

DAY = 24 * 60
SNOOZE_MAX_DAYS = 90
FOREVER_DAYS = 365 * 100
_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_HOURS = re.compile(rf"^\s*{_TIME}\s*(?:-|–|to|until|till|a|à)\s*{_TIME}\s*$", re.IGNORECASE)
_SNOOZE = re.compile(r"^\s*(\d{1,3})\s*(d|days?|w|wk|weeks?|j|jours?|semaines?|d[ií]as?|semanas?)?\s*$", re.IGNORECASE)
_FRENCH_HOURS = re.compile(r"(\d{1,2})\s*h\s*(\d{2})?\b", re.IGNORECASE)  # 9 h 30, 17h
_FROM = re.compile(r"^\s*(?:from|de|du)\s+", re.IGNORECASE)
_WEEK_UNITS = ("w", "semaine", "semana")
FOREVER_WORDS = frozenset("forever|always|for ever|indefinitely|toujours|pour toujours|siempre|para siempre".split("|"))
SWITCH_WORDS = {
    **dict.fromkeys("on yes true 1 enable start oui activé activer sí si activar activado".split(), True),
    **dict.fromkeys("off no false 0 disable stop non désactivé désactiver desactivar desactivado".split(), False),
}


def _colon(match: re.Match[str]) -> str:
    return match.group(1) + (":" + match.group(2) if match.group(2) else "")


def _minute(hour: str, minute: str | None, half: str | None) -> int:
    value, minutes = int(hour), int(minute or 0)
    if half:
        if not 1 <= value <= 12:
            raise ValueError(texts.HOURS_HELP)
        value = value % 12 + (12 if half.lower().startswith("p") else 0)
    if not 0 <= value <= 24 or not 0 <= minutes < 60 or (value == 24 and minutes):
        raise ValueError(texts.HOURS_HELP)
    return value * 60 + minutes


def parse_hours(text: str) -> tuple[int, int]:
    """Working hours as minutes after midnight (start, end); end before start is a night shift."""
    match = _HOURS.match(_FRENCH_HOURS.sub(_colon, _FROM.sub("", str(text))))
    if not match:
        raise ValueError(texts.HOURS_HELP)
    start = _minute(match.group(1), match.group(2), match.group(3))
    end = _minute(match.group(4), match.group(5), match.group(6))
    if start % DAY == end % DAY:
        raise ValueError(texts.HOURS_SAME)
    return start % DAY, end if end == DAY else end % DAY


def format_hours(hours: tuple[int, int]) -> str:
    start, end = hours
    text = f"{start // 60}:{start % 60:02d}–{end // 60}:{end % 60:02d}"
    return f"{text} ({texts.NIGHT_SHIFT})" if end <= start else text


def parse_snooze(text: str) -> int:
    """Days to snooze quiz nudges: 3, 3 days, 1 week or forever."""
    cleaned = str(text).strip().lower()
    if cleaned in FOREVER_WORDS:
        return FOREVER_DAYS
    match = _SNOOZE.match(cleaned)
    if not match:
        raise ValueError(texts.SNOOZE_HELP)
    days = int(match.group(1)) * (7 if (match.group(2) or "d").lower().startswith(_WEEK_UNITS) else 1)
    if not 1 <= days <= SNOOZE_MAX_DAYS:
        raise ValueError(texts.SNOOZE_RANGE.format(most=SNOOZE_MAX_DAYS))
    return days


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def parse_timezone(text: str) -> str:
    """An IANA time zone name, in any case; a near miss gets a "did you mean"."""
    cleaned = str(text).strip().replace(" ", "_")
    zones = _zones()
    if cleaned.lower() in zones:
        return zones[cleaned.lower()]
    close = difflib.get_close_matches(cleaned.lower(), list(zones), n=1, cutoff=0.6)
    if not close:  # "London" -> Europe/London, "Pariss" -> Europe/Paris
        cities = {z.rsplit("/", 1)[-1]: z for z in sorted(zones)}
        close = [cities[c] for c in difflib.get_close_matches(cleaned.lower(), list(cities), n=1, cutoff=0.75)]
    hint = texts.ZONE_DID_YOU_MEAN.format(zone=zones[close[0]]) if close else texts.ZONE_EXAMPLE
    raise ValueError(texts.ZONE_UNKNOWN.format(zone=text.strip()) + hint)


def parse_switch(text: str) -> bool:
    cleaned = str(text).strip().lower()
    if cleaned in SWITCH_WORDS:
        return SWITCH_WORDS[cleaned]
    raise ValueError(texts.SWITCH_HELP)


def say_date(moment: datetime) -> str:
    """A day in words, in the turn's language: "Monday 21 December 2026", "lundi 21 décembre 2026"."""
    return texts.DATE_IN_WORDS.format(
        weekday=texts.WEEKDAYS[moment.weekday()], day=moment.day, month=texts.MONTHS[moment.month - 1], year=moment.year
    )
