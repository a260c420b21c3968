"""Asking how to change a setting gets the command that does it and the settings card, in the
asker's language; a policy question that names a setting's words is still a policy question."""

from __future__ import annotations

import re

import pytest

from bot import texts, texts_es, texts_fr
from bot.howto import setting_asked
from tests.harness import text_of

CATALOGS = (texts, texts_fr, texts_es)
REFUSED = [c.SETTINGS_BAD.split("{")[0] for c in CATALOGS] + [c.SETTINGS_UNKNOWN.split("{")[0] for c in CATALOGS]


@pytest.mark.parametrize(
    ("message", "setting"),
    [
        ("how do I change my time zone?", "timezone"),
        ("set timezone to London", "timezone"),
        ("how can I update my working hours", "hours"),
        ("how do I turn off the quiz reminders?", "nudges"),
        ("stop the nudges please", "nudges"),
        ("can you stop sending me reminders", "reminders"),
        ("how do I change the language?", "language"),
        ("comment changer mon fuseau horaire ?", "timezone"),
        ("comment désactiver les relances ?", "nudges"),
        ("je veux changer la langue", "language"),
        ("¿cómo cambio mi zona horaria?", "timezone"),
        ("¿cómo desactivo los recordatorios?", "reminders"),
        ("quiero cambiar el idioma", "language"),
        # policy questions that use a setting's words
        ("can I post during working hours?", None),
        ("what language should official posts use?", None),
        ("do I need a disclaimer reminder in my bio?", None),
        ("can I change my profile picture to my agency logo?", None),
        ("is it ok to set my status to 'vote Smith' while on duty?", None),
        ("I changed jobs and my new hours are great, " * 4, None),  # too long to be a settings question
    ],
)
def test_which_setting_a_message_asks_to_change(message, setting):
    assert setting_asked(message) == setting


async def test_a_settings_question_gets_the_command_and_the_card_and_the_command_works(alice):
    reply = await alice.say("how do I change my time zone?")
    shown = text_of(reply)
    assert shown.startswith("To set your time zone") and "Your settings" in shown
    assert "From " not in shown  # no policy passage
    assert "Your time zone is Europe/London" in text_of(await alice.say("settings timezone Europe/London"))
    assert "Reminders off" in [c.label for c in (await alice.say("please turn off the reminders")).choices]


async def test_a_policy_question_with_a_settings_word_still_gets_the_policy(alice):
    shown = text_of(await alice.say("can I post during working hours?"))
    assert "Your settings" not in shown and "Personal and professional use" in shown


@pytest.mark.parametrize(
    ("catalog", "question"),
    [
        (texts, "how do I turn off the nudges?"),
        (texts_fr, "comment désactiver les relances ?"),
        (texts_es, "¿cómo desactivo los avisos?"),
    ],
)
async def test_every_command_the_answers_suggest_is_one_the_bot_takes(alice, catalog, question):
    assert catalog.HOWTO_NUDGES.split(",")[0][:20] in text_of(await alice.say(question))
    for name in ("HOWTO_TIMEZONE", "HOWTO_HOURS", "HOWTO_NUDGES", "HOWTO_REMINDERS", "HOWTO_LANGUAGE"):
        for command in re.findall(r"`((?:settings|paramètres|ajustes) [^`]+)`", getattr(catalog, name)):
            if command.split()[-1] in ("timezone", "fuseau", "zona"):
                continue  # "type `settings timezone` and its name"
            answer = text_of(await alice.say(command))
            assert not any(words in answer for words in REFUSED), (command, answer)
            assert any(c.SETTINGS_TITLE in answer for c in CATALOGS), (command, answer)
    await alice.say("settings language auto")
