"""Help, policy lookup and the user's settings."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import texts
from bot.answers import answer_question
from bot.config import hours, timezone
from bot.core import Turn, choice
from bot.intent import POLICY_TOPIC_MAX_WORDS
from bot.messages import Choices, Fields, Reply, Text


async def help_reply(turn: Turn) -> Reply:
    agency = turn.bot.policy.meta.get("agency") or "your agency"
    return Reply([Text(texts.HELP.format(agency=agency, quiz_length=turn.bot.settings.quiz_length))])


async def lookup(turn: Turn) -> Reply:
    topic = turn.incoming.argument.strip()
    policy = turn.bot.policy
    if not topic:
        return Reply(
            [
                Text("Which topic? For example `policy disclaimer`. The sections:"),
                Choices(tuple(choice(s.title, "lookup.section", s.id) for s in policy.sections.values())),
            ]
        )
    if len(topic.split()) > POLICY_TOPIC_MAX_WORDS or topic.endswith("?"):
        return await answer_question(turn, topic)
    hits = policy.lookup(topic)
    if not hits:
        titles = "; ".join(s.title for s in policy.sections.values())
        return Reply([Text(texts.LOOKUP_NONE.format(topic=topic, titles=titles))])
    return section_reply(turn, hits[0].section.id, [h.section.id for h in hits[1:4]])


def section_reply(turn: Turn, section_id: str, others: list[str]) -> Reply:
    sections = turn.bot.policy.sections
    section = sections[section_id]
    reply = Reply([Text(f"*{section.title}*\n\n{section.body}")])
    if section.sources:
        reply.add(Text("_Sources: " + "; ".join(section.sources) + "_"))
    if others:
        reply.add(Choices(tuple(choice(sections[o].title, "lookup.section", o) for o in others), texts.LOOKUP_SEE_ALSO))
    return reply


async def show_section(turn: Turn) -> Reply:
    section_id = turn.incoming.value
    if section_id not in turn.bot.policy.sections:
        return Reply([Text(texts.STALE_BUTTON)])
    return section_reply(turn, section_id, [])


def settings_reply(turn: Turn, saved: str = "") -> Reply:
    user, defaults = turn.user, turn.bot.settings
    start, end = (user.work_start, user.work_end) if user.work_start is not None else defaults.work_hours
    if user.snooze_until and user.snooze_until > turn.bot.clock():
        nudges = "snoozed until " + datetime.fromtimestamp(user.snooze_until, UTC).strftime("%Y-%m-%d")
    else:
        nudges = "on" if user.nudges else "off"
    reply = Reply([Text(texts.SETTINGS_SAVED.format(what=saved))] if saved else [])
    reply.add(
        Fields(
            (
                ("Account", user.account or "ask me"),
                ("On duty", {"on": "on duty", "off": "off duty"}.get(user.on_duty or "", "ask me")),
                ("Time zone", user.timezone or f"{defaults.timezone} (default)"),
                ("Working hours", f"{start}:00-{end}:00"),
                ("Quiz nudges", nudges),
                ("Disclaimer reminders", "on" if user.reminders else "off"),
            ),
            title="Your settings",
        )
    )
    reply.add(
        Choices(
            (
                choice("Personal account", "settings.set", {"account": "personal"}),
                choice("Official account", "settings.set", {"account": "official"}),
                choice("On duty", "settings.set", {"on_duty": "on"}),
                choice("Off duty", "settings.set", {"on_duty": "off"}),
                choice("Always ask", "settings.set", {"account": None, "on_duty": None}),
                choice("Nudges off" if user.nudges else "Nudges on", "settings.set", {"nudges": not user.nudges}),
                choice("Snooze nudges 7 days", "settings.set", {"snooze": 7}),
                choice(
                    "Reminders off" if user.reminders else "Reminders on",
                    "settings.set",
                    {"reminders": not user.reminders},
                ),
            )
        )
    )
    reply.add(Text("Also: `settings timezone Europe/London`, `settings hours 8-16`, `settings snooze 3`."))
    return reply


async def settings(turn: Turn) -> Reply:
    words = turn.incoming.argument.split()
    if not words:
        return settings_reply(turn)
    name, value = words[0].lower(), " ".join(words[1:])
    changes = {
        "timezone": lambda: {"timezone": timezone(value)},
        "tz": lambda: {"timezone": timezone(value)},
        "hours": lambda: dict(zip(("work_start", "work_end"), hours(value), strict=True)),
        "nudges": lambda: {"nudges": _on_off(value)},
        "reminders": lambda: {"reminders": _on_off(value)},
        "snooze": lambda: {"snooze": int(value)},
        "account": lambda: {"account": _choose(value, ("personal", "official"))},
        "duty": lambda: {"on_duty": _choose(value, ("on", "off"))},
    }
    if name not in changes:
        return Reply([Text(texts.SETTINGS_BAD.format(reason=f"unknown setting {name!r}"))])
    try:
        return await apply(turn, changes[name]())
    except ValueError as error:
        return Reply([Text(texts.SETTINGS_BAD.format(reason=error))])


async def set_from_button(turn: Turn) -> Reply:
    try:
        return await apply(turn, turn.payload())
    except ValueError as error:
        return Reply([Text(texts.SETTINGS_BAD.format(reason=error))])


async def apply(turn: Turn, change: dict) -> Reply:
    user = turn.user
    allowed = {"account", "on_duty", "timezone", "work_start", "work_end", "nudges", "reminders", "snooze"}
    if not change or set(change) - allowed:
        raise ValueError("that setting is not known")
    if "account" in change and change["account"] not in (None, "personal", "official"):
        raise ValueError("account must be personal or official")
    if "on_duty" in change and change["on_duty"] not in (None, "on", "off"):
        raise ValueError("on duty must be on or off")
    snooze = change.pop("snooze", None)
    if snooze is not None:
        if not isinstance(snooze, int) or not 1 <= snooze <= 90:
            raise ValueError("snooze takes a number of days from 1 to 90")
        user.snooze_until = turn.bot.clock() + snooze * 86400
        user.next_nudge_at = None  # the scheduler plans the next one after the snooze
    for key, value in change.items():
        setattr(user, key, value)
    if {"timezone", "work_start", "nudges"} & set(change):
        user.next_nudge_at = None
    await turn.bot.store.save_user(user)
    what = ", ".join(f"{k} {v}" for k, v in change.items()) or f"nudges snoozed {snooze} days"
    return settings_reply(turn, saved=what)


def _on_off(value: str) -> bool:
    if value.lower() in ("on", "yes", "true"):
        return True
    if value.lower() in ("off", "no", "false"):
        return False
    raise ValueError("say on or off")


def _choose(value: str, options: tuple[str, ...]) -> str | None:
    value = value.lower().strip()
    if value == "ask":
        return None
    if value not in options:
        raise ValueError(f"choose one of {', '.join(options)} or ask")
    return value


async def stop(turn: Turn) -> Reply:
    """Leave the quiz, or whatever the next message was going to answer."""
    session = await turn.bot.store.get_quiz_session(turn.user.id)
    if session is None and not turn.user.awaiting:
        return Reply([Text(texts.NOTHING_TO_STOP)])
    if session is not None:
        await turn.bot.store.end_quiz_session(turn.user.id, session.session_id)
    if turn.user.awaiting:
        turn.user.awaiting = None
        await turn.bot.store.save_user(turn.user)
    return Reply([Text(texts.STOPPED)])


async def reminder_ok(turn: Turn) -> Reply:
    return Reply([Text("Thanks! I'll ask again in a few months.")])


ACTIONS = {"lookup.section": show_section, "settings.set": set_from_button, "reminder.ok": reminder_ok}
