"""The bot answers in the user's language: the one they chose, else the one they write in, else
their platform's locale; English where it cannot tell."""

from __future__ import annotations

import string

import pytest

from bot import texts, texts_es, texts_fr
from bot.catalog import language_for, speaking, written_in
from bot.catalog import texts as catalog
from bot.home import home_reply
from bot.messages import Incoming, User, VerdictBlock
from policy.model import paragraphs
from tests.harness import text_of

FRENCH_VIEW = "personal: off duty: Comme ingénieur municipal, je trouve que le nouveau pont est un gaspillage."
SPANISH_VIEW = "personal: off duty: Como maestra de escuela pública, creo que el nuevo horario es un desastre."
ENGLISH_VIEW = "personal: off duty: As a county surveyor I think the new stadium deal is a giveaway."


def _placeholders(value: object) -> object:
    if isinstance(value, str):
        return {field for _, field, _, _ in string.Formatter().parse(value) if field is not None}
    if isinstance(value, dict):
        return {key: _placeholders(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_placeholders(item) for item in value)
    return value


@pytest.mark.parametrize("translation", [texts_fr, texts_es])
def test_every_text_is_translated_with_the_same_placeholders(translation):
    names = [name for name in vars(texts) if name.isupper()]
    assert [name for name in names if not hasattr(translation, name)] == []
    assert [name for name in vars(translation) if name.isupper() and not hasattr(texts, name)] == []
    for name in names:
        assert _placeholders(getattr(translation, name)) == _placeholders(getattr(texts, name)), name


def test_the_language_is_the_chosen_one_then_the_written_one_then_the_last_then_the_locale():
    french = "Est-ce que je peux publier une photo de mon bureau ?"
    assert language_for(written_in(french), chosen="es") == "es"
    assert language_for(written_in(french), chosen=None) == "fr"
    assert language_for(written_in("Can I post a photo of my office?"), chosen=None, last="fr") == "en"
    assert language_for(written_in("quiz"), chosen=None, last="es") == "es"  # one word says too little
    assert language_for(written_in("merci beaucoup"), chosen=None, last="en") == "fr"  # unless it is unmistakable
    assert language_for(written_in("aide"), chosen=None, last="en") == "fr"  # a command word says enough
    assert language_for(written_in(""), chosen=None, locale="fr-CA") == "fr"
    assert language_for(written_in(""), chosen=None, locale="de-DE") == "en"
    with speaking("es"):
        assert catalog.APPEAL == texts_es.APPEAL
        with speaking("fr-CA"):
            assert catalog.APPEAL == texts_fr.APPEAL
        assert catalog.APPEAL == texts_es.APPEAL
    assert catalog.APPEAL == texts.APPEAL


async def test_a_french_draft_gets_a_french_verdict_and_its_buttons_stay_french(alice):
    reply = await alice.say(FRENCH_VIEW)
    (verdict,) = [b for b in reply.blocks if isinstance(b, VerdictBlock)]
    assert verdict.summary == texts_fr.SUMMARIES[verdict.level]
    assert verdict.found == texts_fr.FOUND
    assert all(f.band in texts_fr.BANDS.values() for f in verdict.findings if f.band)
    assert "compte personnel, hors service" in text_of(reply)
    assert {c.label for c in reply.choices} >= {texts_fr.APPEAL, texts_fr.CHANGE_CONTEXT}
    why = await alice.say("pourquoi ?")
    assert texts_fr.WHY_INTRO.split("*")[0] in text_of(why)
    pressed = await alice.click(reply, texts_fr.CHANGE_CONTEXT)  # a button has no words: the last language holds
    assert texts_fr.ASK_CONTEXT_ONCE in text_of(pressed)


async def test_each_message_is_answered_in_its_own_language(alice):
    spanish = await alice.say(SPANISH_VIEW)
    (verdict,) = [b for b in spanish.blocks if isinstance(b, VerdictBlock)]
    assert verdict.summary == texts_es.SUMMARIES[verdict.level]
    assert text_of(spanish).startswith(f"{texts_es.VERDICT_WORD}: ")  # the plain text of notifications
    english = await alice.say(ENGLISH_VIEW)
    (verdict,) = [b for b in english.blocks if isinstance(b, VerdictBlock)]
    assert verdict.summary == texts.SUMMARIES[verdict.level]
    assert "personal account, off duty" in text_of(english)
    assert text_of(await alice.say("ayuda")).startswith(texts_es.HELP.split("{")[0].replace("*", ""))
    assert "Commandes" in text_of(await alice.say("aide"))


async def test_a_chosen_language_is_saved_and_wins_over_the_written_one(alice, bot, store):
    saved = await alice.say("settings language es")
    assert texts_es.SAVED_LANGUAGE.format(language="español") in text_of(saved)
    assert (await store.get_user(alice.user.id)).language == "es"
    reply = await alice.say(ENGLISH_VIEW)
    (verdict,) = [b for b in reply.blocks if isinstance(b, VerdictBlock)]
    assert verdict.summary == texts_es.SUMMARIES[verdict.level]
    bad = await alice.say("paramètres langue klingon")
    assert f"No pude usar eso: {texts_es.CHOOSE_LANGUAGE}." in text_of(bad)
    back = await alice.say("settings language auto")
    assert (await store.get_user(alice.user.id)).language is None
    assert texts_es.LANGUAGE_AUTO in text_of(back)  # said in the language of the moment it was chosen


async def test_the_platform_locale_decides_when_nothing_else_does(bot):
    teams_user = User("teams:t1:u1", "Zoé", locale="fr-CA")
    reply = await bot.handle(Incoming("teams", teams_user, teams_user.id, "message", text="quiz"))
    assert text_of(reply).startswith("Question 1 sur ")  # texts_fr.QUIZ_QUESTION
    french = {q.in_language("fr").prompt for q in bot.policy.questions}
    assert any(prompt in text_of(reply) for prompt in french)
    picked = await bot.handle(Incoming("teams", teams_user, teams_user.id, "message", text="1"))
    explanations = {q.in_language("fr").explanation for q in bot.policy.questions}
    assert any(explanation in text_of(picked) for explanation in explanations)
    plain = User("teams:t1:u1", "Zoé")
    again = await bot.handle(Incoming("teams", plain, plain.id, "message", text="help"))
    assert text_of(again).startswith("I check")  # "help" is an English word: English


@pytest.mark.parametrize(
    ("chosen", "wrote_in", "intro"), [("es", "fr", texts_es.NUDGE_INTRO), (None, "fr", texts_fr.NUDGE_INTRO)]
)
async def test_a_nudge_goes_out_in_the_chosen_language_else_the_last_written(policy, store, chosen, wrote_in, intro):
    from bot.scheduler import Scheduler, ScheduleSettings
    from tests.test_scheduler import Clock, RecordingMessenger, add_users, at, make_bot

    clock = Clock(at("2026-03-10T09:00:00"))
    messenger = RecordingMessenger()
    bot = await make_bot(policy, store, messenger, clock)
    scheduler = Scheduler(bot, ScheduleSettings(nudge_every_days=1, reminder_every_days=0), clock=clock)
    [user_id] = await add_users(store, 1)
    user = await store.get_user(user_id)
    user.language, user.wrote_in = chosen, wrote_in
    await store.save_user(user)
    await store.set_job_time("nudge", user_id, clock.now)
    await scheduler.run_once()
    [(_, nudge)] = messenger.sent
    assert text_of(nudge).startswith(intro)


def test_a_reminder_carries_the_disclaimer_in_the_users_language(bot):
    from bot.scheduler import Scheduler

    with speaking("fr"):
        reminder = Scheduler(bot).reminder()
    assert bot.policy.disclaimer_in("fr") in text_of(reminder)
    assert bot.policy.disclaimer_in("fr") != bot.policy.disclaimer
    assert texts_fr.REMINDER_YES in [c.label for c in reminder.choices]


async def test_a_database_of_before_gets_the_language_columns(tmp_path):
    import sqlalchemy as sa

    from bot.store import Store

    path = str(tmp_path / "old.sqlite3")
    store = await Store.open(path)
    await store.close()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # back to schema version 2
        connection.execute(sa.text("ALTER TABLE users DROP COLUMN language"))
        connection.execute(sa.text("ALTER TABLE users DROP COLUMN wrote_in"))
        connection.execute(sa.text("DELETE FROM schema_version WHERE version >= 3"))
    engine.dispose()
    store = await Store.open(path)
    try:
        user = await store.get_user("t:old")
        user.language, user.wrote_in = "fr", "es"
        await store.save_user(user)
        assert (await store.get_user("t:old")).speaks == "fr"
    finally:
        await store.close()


async def test_the_packs_messages_and_titles_follow_the_language(alice, bot):
    reply = await alice.say(FRENCH_VIEW)
    (verdict,) = [b for b in reply.blocks if isinstance(b, VerdictBlock)]
    rows = {row.id: row for row in bot.policy.rows}
    assert verdict.findings
    for finding in verdict.findings:
        assert finding.message == rows[finding.rule].message_in("fr") != rows[finding.rule].message
        assert finding.section_title == bot.policy.sections[finding.section_id].title_in("fr")


def test_a_possible_stop_says_possibly_in_the_language(policy):
    from dataclasses import replace

    from bot.catalog import message_of
    from policy.model import Finding, Verdict

    row = next(r for r in policy.rows if r.verdict == Verdict.STOP and r.message_in("es") != r.message)
    possible = Finding(row.id, Verdict.REVIEW, row.categories, policy.sections[row.section], "Possibly: x", ())
    with speaking("es"):
        said = message_of(policy, possible)
        sure = message_of(policy, replace(possible, verdict=Verdict.STOP))
    assert said.startswith("Posiblemente: ") and said.endswith(row.message_in("es")[1:])
    assert sure == row.message_in("es")
    assert message_of(policy, possible) == "Possibly: x"  # English: the engine's own words


async def test_sections_and_their_passages_are_quoted_in_the_language(alice, bot):
    section = bot.policy.sections["disclaimers"]
    looked_up = text_of(await alice.say("politique avertissement"))
    assert section.body_in("fr").split("\n")[0].replace("**", "") in looked_up
    await alice.say(FRENCH_VIEW)
    why = text_of(await alice.say("pourquoi ?"))
    assert any(paragraph in why for paragraph in paragraphs(section.body_in("fr")))
    assert not any(paragraph in why for paragraph in paragraphs(section.body))


async def test_settings_are_read_and_refused_in_french(alice, store):
    assert "9:00–17:00" in text_of(await alice.say("paramètres heures de 9 h à 17 h"))
    assert "22:00–6:00 (quart de nuit)" in text_of(await alice.say("paramètres heures 22 h à 6 h"))
    snoozed = text_of(await alice.say("paramètres pause 2 semaines"))
    assert texts_fr.SNOOZED_UNTIL.split("{")[0] in snoozed
    assert any(f" {month} 20" in snoozed for month in texts_fr.MONTHS)  # the date in French words
    assert texts_fr.REMINDERS_OFF in text_of(await alice.say("paramètres rappels non"))
    assert (await store.get_user(alice.user.id)).reminders is False
    refused = text_of(await alice.say("paramètres rappels peut-être"))
    assert f"Je n'ai pas pu utiliser cette valeur : {texts_fr.SWITCH_HELP}." in refused
    refused = text_of(await alice.say("paramètres fuseau Montreal"))
    assert "vouliez-vous dire America/Montreal ? Tapez" in refused
    refused = text_of(await alice.say("paramètres heures de neuf à cinq"))
    assert texts_fr.HOURS_HELP in refused
    await alice.say("paramètres compte officiel")
    assert (await store.get_user(alice.user.id)).account == "official"


async def test_another_replica_answers_in_the_language_last_written(policy, store, bot, alice):
    from bot.core import Bot
    from bot.messenger import InboxMessenger
    from bot.services import BotSettings

    await alice.say(FRENCH_VIEW)
    assert (await store.get_user(alice.user.id)).wrote_in == "fr"
    replica = Bot(policy, store, InboxMessenger(store, ()), BotSettings())
    reply = await replica.handle(Incoming("test", alice.user, "e-other", "message", text="quiz"))
    assert text_of(reply).startswith("Question 1 sur ")  # one word says too little: the stored language
    await alice.say(SPANISH_VIEW)
    home = await home_reply(replica, alice.user)
    assert text_of(home).startswith("policybot verifica sus borradores")  # nothing written: the last language
