"""Questions about the assistant's own settings ("how do I change my time zone?", "comment
désactiver les relances ?", "¿cómo cambio el idioma?"): the answer is the command that does it and
the user's settings card with its buttons, not a policy section. A message needs both a verb of
changing and a setting's name, so "can I post during working hours?" is still a policy question."""

from __future__ import annotations

import re

from bot.account import settings_reply
from bot.catalog import texts
from bot.messages import Reply, Text
from bot.turn import Turn

MAX_CHARS = 120  # a longer message is a draft or a real question, whatever words it uses
_CHANGE = (
    r"change|set(?:ting)?|update|adjust|edit|turn (?:it )?(?:off|on)|switch|disable|enable|stop|mute|pause|snooze|"
    r"get rid of|unsubscribe|opt out|silence|"
    r"chang(?:er|e)|modifi(?:er|e)|r[ée]gl(?:er|e)|d[ée]finir|mettre [àa] jour|d[ée]sactiv(?:er|e)|activ(?:er|e)|"
    r"arr[êe]t(?:er|e)|coup(?:er|e)|"
    r"cambi(?:ar|o|a)|modific(?:ar|o)|configur(?:ar|o)|ajust(?:ar|o)|desactiv(?:ar|o)|activ(?:ar|o)|quit(?:ar|o)|"
    r"dejar de|pausar|silenciar|apag(?:ar|o)"
)
# checked in this order: "quiz reminders" are the nudges, not the disclaimer reminders
TOPICS = {
    "timezone": r"time ?zone|fuseau(?: horaire)?|zona horaria|huso horario",
    "hours": r"(?:working|work|office) hours|my (?:hours|shift|schedule)|heures de (?:travail|bureau)|mes horaires|"
    r"horario(?: de trabajo| laboral)?|mi jornada",
    "nudges": r"nudges?|quiz(?:zes)? (?:reminders?|notifications?|messages?|nudges?)|quizzes|relances?|"
    r"rappels? (?:de|du) (?:quiz|questionnaire)|avisos?|recordatorios? de(?:l)? (?:quiz|cuestionario)",
    "reminders": r"reminders?|rappels?|recordatorios?|notifications?|notificaciones|messages from you",
    "language": r"language|langue|idioma|lengua",
}
_ASKED = {
    topic: re.compile(rf"\b(?:{_CHANGE})\b.*\b(?:{names})\b|\b(?:{names})\b.*\b(?:{_CHANGE})\b", re.IGNORECASE)
    for topic, names in TOPICS.items()
}


def setting_asked(text: str) -> str | None:
    """The setting a short message asks how to change, if it asks that."""
    if len(text) > MAX_CHARS:
        return None
    return next((topic for topic, asked in _ASKED.items() if asked.search(text)), None)


def setting_answer(turn: Turn, topic: str) -> Reply:
    reply = settings_reply(turn)
    reply.blocks.insert(0, Text.of(getattr(texts, f"HOWTO_{topic.upper()}")))
    return reply
