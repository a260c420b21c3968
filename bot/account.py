"""Help, `stop`, and the user's settings, read and said back in human words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.catalog import LANGUAGE_NAMES, LANGUAGE_WORDS, answer_in, texts
from bot.human import FOREVER_DAYS, format_hours, parse_hours, parse_snooze, parse_switch, parse_timezone, say_date
from bot.messages import Choices, Fields, Reply, Text
from bot.payloads import SettingChoice
from bot.turn import Turn, choice

SETTING_ALIASES = {
    "tz": "timezone",
    "zone": "timezone",
    "hour": "hours",
    "nudge": "nudges",
    "reminder": "reminders",
    "lang": "language",
    # French and Spanish names
    "fuseau": "timezone",
    "zona": "timezone",
    "heures": "hours",
    "horario": "hours",
    "relances": "nudges",
    "avisos": "nudges",
    "pause": "snooze",
    "pausa": "snooze",
    "rappels": "reminders",
    "recordatorios": "reminders",
    "compte": "account",
    "cuenta": "account",
    "service": "duty",
    "servicio": "duty",
    "langue": "language",
    "idioma": "language",
}


async def help_reply(turn: Turn) -> Reply:
    agency = turn.services.policy.meta.get("agency") or "your agency"
    return Reply([Text.of(texts.HELP, agency=agency, quiz_length=turn.services.settings.quiz_length)])


async def stop(turn: Turn) -> Reply:
    """Leave the quiz (what the next message answers is already cleared by any command)."""
    session = await turn.services.store.get_quiz_session(turn.user.id)
    if session is None:
        return Reply([Text.of(texts.NOTHING_TO_STOP)])
    await turn.services.store.end_quiz_session(turn.user.id, session.session_id)
    return Reply([Text.of(texts.STOPPED)])


def zone_of(turn: Turn) -> str:
    return turn.user.timezone or turn.services.settings.timezone


def hours_of(turn: Turn) -> tuple[int, int]:
    user = turn.user
    return (user.work_start, user.work_end) if user.work_start is not None else turn.services.settings.work_hours


def nudges_state(turn: Turn) -> str:
    user = turn.user
    if not user.nudges:
        return texts.OFF
    if user.snooze_until and user.snooze_until > turn.services.clock():
        until = datetime.fromtimestamp(user.snooze_until, ZoneInfo(zone_of(turn)))
        return texts.SNOOZED_UNTIL.format(until=say_date(until))
    return texts.ON


def nudges_line(turn: Turn) -> str:
    return texts.NUDGES_LINE.format(state=nudges_state(turn))


def checked_as(account: str | None, on_duty: str | None) -> str:
    """The user's default context in words, saying plainly what the bot asks each time."""
    account_words, duty_words = texts.ACCOUNT_WORDS.get(account or ""), texts.DUTY_WORDS.get(on_duty or "")
    if account_words and duty_words:
        return f"{account_words}, {duty_words}"
    if account_words:
        return f"{account_words}; {texts.ASK_DUTY}"
    if duty_words:
        return f"{texts.ASK_ACCOUNT}; {duty_words}"
    return texts.ASK_BOTH


def settings_reply(turn: Turn, saved: str = "") -> Reply:
    user = turn.user
    names = texts.SETTING_FIELDS
    lines = (
        (names["context"], checked_as(user.account, user.on_duty)),
        (names["zone"], zone_of(turn)),
        (names["hours"], texts.HOURS_LINE.format(hours=format_hours(hours_of(turn)))),
        (names["nudges"], nudges_state(turn)),
        (names["reminders"], texts.ON if user.reminders else texts.OFF),
        (names["language"], LANGUAGE_NAMES.get(user.language or "", texts.LANGUAGE_AUTO)),
    )
    reply = Reply([Text.of(texts.SETTINGS_SAVED, what=saved)] if saved else [])
    reply.add(Fields(lines, title=texts.SETTINGS_TITLE))
    offered = [
        ("account", "personal"),
        ("account", "official"),
        ("duty", "on"),
        ("duty", "off"),
        ("account", "ask"),
        ("nudges", "off" if user.nudges else "on"),
        ("snooze", "1 week"),
        ("reminders", "off" if user.reminders else "on"),
    ]
    buttons = [choice(texts.SETTING_BUTTONS[o], "settings.set", SettingChoice(*o)) for o in offered]
    reply.add(Choices(tuple(buttons)))
    return reply.add(Text.of(texts.SETTINGS_HINT))


async def settings(turn: Turn) -> Reply:
    name, _, value = turn.incoming.argument.strip().partition(" ")
    if not name:
        return settings_reply(turn)
    return await change(turn, name.lower(), value.strip())


async def set_from_button(turn: Turn) -> Reply:
    picked = turn.payload(SettingChoice)
    return await change(turn, picked.name, picked.value)


async def change(turn: Turn, name: str, value: str) -> Reply:
    name = SETTING_ALIASES.get(name, name)
    setter = SETTERS.get(name)
    if setter is None:
        return Reply([Text.of(texts.SETTINGS_UNKNOWN, name=name, known=", ".join(SETTERS))])
    try:
        saved = setter(turn, value)
    except ValueError as error:
        template = texts.SETTINGS_BAD
        if str(error).endswith("?"):  # "did you mean Europe/London?" takes no full stop
            template = template.replace("{reason}.", "{reason}")
        return Reply([Text.of(template, reason=error)])
    if name in ("timezone", "hours", "nudges", "snooze"):
        turn.user.next_nudge_at = None  # the scheduler plans the next nudge afresh
    await turn.save_user()
    return settings_reply(turn, saved=saved)


def _set_timezone(turn: Turn, value: str) -> str:
    turn.user.timezone = parse_timezone(value)
    return texts.SAVED_TIMEZONE.format(zone=turn.user.timezone)


def _set_hours(turn: Turn, value: str) -> str:
    turn.user.work_start, turn.user.work_end = parse_hours(value)
    return texts.SAVED_HOURS.format(hours=format_hours(hours_of(turn)))


def _set_nudges(turn: Turn, value: str) -> str:
    turn.user.nudges = parse_switch(value)
    turn.user.snooze_until = None
    return nudges_line(turn)


def _set_snooze(turn: Turn, value: str) -> str:
    days = parse_snooze(value)
    if days >= FOREVER_DAYS:
        turn.user.nudges, turn.user.snooze_until = False, None
    else:
        turn.user.nudges, turn.user.snooze_until = True, turn.services.clock() + days * 86400
    return nudges_line(turn)


def _set_reminders(turn: Turn, value: str) -> str:
    turn.user.reminders = parse_switch(value)
    return texts.REMINDERS_ON if turn.user.reminders else texts.REMINDERS_OFF


def _set_account(turn: Turn, value: str) -> str:
    turn.user.account = _choose(value, ("personal", "official"))
    if turn.user.account is None:
        turn.user.on_duty = None
    return texts.SAVED_CONTEXT


def _set_duty(turn: Turn, value: str) -> str:
    turn.user.on_duty = _choose(value, ("on", "off"))
    return texts.SAVED_CONTEXT


def _choose(value: str, options: tuple[str, ...]) -> str | None:
    cleaned = CHOICE_WORDS.get(value.lower().strip(), value.lower().strip())
    if cleaned == "ask":
        return None
    if cleaned not in options:
        raise ValueError(texts.CHOOSE_ONE.format(options=", ".join(options)))
    return cleaned


def _set_language(turn: Turn, value: str) -> str:
    cleaned = value.lower().strip()
    if cleaned not in (*LANGUAGE_WORDS, "auto"):
        raise ValueError(texts.CHOOSE_LANGUAGE)
    turn.user.language = LANGUAGE_WORDS.get(cleaned)
    if turn.user.language:
        answer_in(turn.user.language)  # the confirmation already in the new language
    return texts.SAVED_LANGUAGE.format(language=LANGUAGE_NAMES.get(turn.user.language or "", texts.LANGUAGE_AUTO))


# the values of `settings account` and `settings duty` in French and Spanish
CHOICE_WORDS = {
    **dict.fromkeys(("personnel", "personnelle", "privé", "personales", "privada"), "personal"),
    **dict.fromkeys(("officiel", "oficial"), "official"),
    **dict.fromkeys(("en service", "de servicio"), "on"),
    **dict.fromkeys(("hors service", "fuera de servicio"), "off"),
    **dict.fromkeys(("demander", "preguntar"), "ask"),
}

SETTERS: dict[str, Callable[[Turn, str], str]] = {
    "timezone": _set_timezone,
    "hours": _set_hours,
    "nudges": _set_nudges,
    "snooze": _set_snooze,
    "reminders": _set_reminders,
    "account": _set_account,
    "duty": _set_duty,
    "language": _set_language,
}


async def reminder_ok(turn: Turn) -> Reply:
    return Reply([Text.of(texts.REMINDER_THANKS)])


SETTING_WORDS = (*SETTERS, *SETTING_ALIASES)  # what may follow `settings` (bot/intent.py)
ACTIONS = {"settings.set": set_from_button, "reminder.ok": reminder_ok}
