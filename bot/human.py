"""Settings in human words: read working hours, snoozes, time zones and switches as people type
them, and say them back the same way. A value that cannot be read raises ValueError with a
message fit to show the user."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from zoneinfo import available_timezones

DAY = 24 * 60
SNOOZE_MAX_DAYS = 90
FOREVER_DAYS = 365 * 100
_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_HOURS = re.compile(rf"^\s*{_TIME}\s*(?:-|–|to|until|till|a|à)\s*{_TIME}\s*$", re.IGNORECASE)
_SNOOZE = re.compile(r"^\s*(\d{1,3})\s*(d|day|days|w|wk|week|weeks)?\s*$", re.IGNORECASE)
HOURS_HELP = "working hours look like 9-17, 9am-5pm, 8:30-17:00 or 22-6 for a night shift"


def _minute(hour: str, minute: str | None, half: str | None) -> int:
    value, minutes = int(hour), int(minute or 0)
    if half:
        if not 1 <= value <= 12:
            raise ValueError(HOURS_HELP)
        value = value % 12 + (12 if half.lower().startswith("p") else 0)
    if not 0 <= value <= 24 or not 0 <= minutes < 60 or (value == 24 and minutes):
        raise ValueError(HOURS_HELP)
    return value * 60 + minutes


def parse_hours(text: str) -> tuple[int, int]:
    """Working hours as minutes after midnight (start, end); end before start is a night shift."""
    match = _HOURS.match(str(text))
    if not match:
        raise ValueError(HOURS_HELP)
    start = _minute(match.group(1), match.group(2), match.group(3))
    end = _minute(match.group(4), match.group(5), match.group(6))
    if start % DAY == end % DAY:
        raise ValueError("working hours must not start and end at the same time")
    return start % DAY, end if end == DAY else end % DAY


def format_hours(hours: tuple[int, int]) -> str:
    start, end = hours
    text = f"{start // 60}:{start % 60:02d}–{end // 60}:{end % 60:02d}"
    return text + " (night shift)" if end <= start else text


def parse_snooze(text: str) -> int:
    """Days to snooze quiz nudges: 3, 3 days, 1 week or forever."""
    cleaned = str(text).strip().lower()
    if cleaned in ("forever", "always", "for ever", "indefinitely"):
        return FOREVER_DAYS
    match = _SNOOZE.match(cleaned)
    if not match:
        raise ValueError("snooze takes a number of days or weeks (3, 3 days, 1 week) or forever")
    days = int(match.group(1)) * (7 if (match.group(2) or "d").startswith("w") else 1)
    if not 1 <= days <= SNOOZE_MAX_DAYS:
        raise ValueError(f"snooze for 1 to {SNOOZE_MAX_DAYS} days, or forever")
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
    if not close:  # "London" -> Europe/London
        close = [z for z in zones if z.rsplit("/", 1)[-1] == cleaned.lower()][:1]
    hint = f"; did you mean {zones[close[0]]}?" if close else " (use a name such as Europe/London)"
    raise ValueError(f"I don't know the time zone {text.strip()!r}{hint}")


def parse_switch(text: str) -> bool:
    cleaned = str(text).strip().lower()
    if cleaned in ("on", "yes", "true", "1", "enable", "start"):
        return True
    if cleaned in ("off", "no", "false", "0", "disable", "stop"):
        return False
    raise ValueError("say on or off")
