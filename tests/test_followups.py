"""A follow-up typed instead of a button pressed acts on the user's last verdict."""

from __future__ import annotations

import pytest

from bot import texts
from bot.followups import typed_action
from bot.messages import User
from tests.harness import Person, text_of

ROLE_VIEW = "As a county surveyor I think the new stadium deal is a giveaway to the owners."


@pytest.mark.parametrize(
    ("message", "action"),
    [
        ("Appeal", "draft.appeal"),
        ("I think this is wrong.", "draft.appeal"),
        ("c’est faux", "draft.appeal"),
        ("quiero apelar", "draft.appeal"),
        ("please send it for review", "draft.review"),
        ("envíalo a revisión", "draft.review"),
        ("add the disclaimer", "draft.fix"),
        ("What should I remove?", "draft.fix"),
        ("ajoute l'avertissement", "draft.fix"),
        ("mets l'avertissement", "draft.fix"),
        ("pon el descargo", "draft.fix"),
        ("It's for the official account", "context.set"),
        ("je suis en service", "context.set"),
        ("personal, off duty", "context.set"),
        ("on duty and personal account", "context.set"),
        ("cuenta personal y fuera de servicio", "context.set"),
        ("Why?", "why"),
        ("pourquoi ce verdict", "why"),
        ("¿por qué?", "why"),
        ("rewrite it", None),  # only with an LLM endpoint
        ("Appeal to every voter: elect Dana Ruiz on Tuesday", None),
        ("That's wrong about the levy, and the mayor knows it.", None),
        ("official: the pool opens at 9 tomorrow", None),
        ("appeal " * 20, None),
    ],
)
def test_typed_follow_ups_are_read_only_when_they_are_nothing_else(message, action):
    assert typed_action(message, with_assistant=False) == action


async def test_typed_follow_ups_act_on_the_last_verdict(alice, bot):
    await alice.say("settings account personal")
    await alice.say("settings duty off")
    verdict = text_of(await alice.say(ROLE_VIEW))
    assert "DISCLAIMER" in verdict.upper()

    fixed = text_of(await alice.say("add the disclaimer"))
    assert bot.policy.disclaimer in fixed and "county surveyor" in fixed

    official = text_of(await alice.say("it's for the official account"))
    assert "checked as: official account" in official and "Use that from now on?" in official

    sent = text_of(await alice.say("send it for review please"))
    assert "communications for review" in sent
    filed = await bot.store.list_reviews()
    assert [(r.kind, r.author_id) for r in filed] == [("draft", "test:alice")]
    again = text_of(await alice.say("send it for review please"))
    assert len(await bot.store.list_reviews()) == 1, again  # typed twice, filed once

    await alice.say(ROLE_VIEW)
    appealed = text_of(await alice.say("c'est faux"))
    assert "Appel #" in appealed  # said in French, the language it was asked in
    assert [r.kind for r in await bot.store.list_reviews()] == ["draft", "appeal"]


async def test_a_follow_up_that_does_not_fit_the_verdict_says_why(alice):
    await alice.say("settings account personal")
    await alice.say("settings duty off")
    assert "OK" in text_of(await alice.say("Photo of my two cats asleep on the radiator."))
    assert text_of(await alice.say("appeal")) == texts.NOTHING_TO_APPEAL
    assert text_of(await alice.say("send it for review")) == texts.NO_REVIEW_NEEDED.format(verdict="ok")


async def test_without_a_verdict_held_the_words_are_read_as_any_message(alice, bot):
    assert text_of(await alice.say("appeal")) == text_of(await alice.say("ok then"))  # small talk
    await alice.say("settings account personal")
    await alice.say("settings duty off")
    await alice.say(ROLE_VIEW)
    bob = Person(bot, User("test:bob", "Bob"))
    assert "Appeal #" not in text_of(await bob.say("appeal"))  # alice's verdict is hers
    bot.clock = lambda: 10**10  # long after: the verdict is no longer held
    assert "Appeal #" not in text_of(await alice.say("appeal"))
    assert await bot.store.list_reviews() == []


async def test_why_quotes_the_policy_behind_each_finding_of_the_last_verdict(alice, bot):
    await alice.say("settings account personal")
    await alice.say("settings duty off")
    await alice.say("Text me at 555-201-3344 about the bake sale.")
    why = text_of(await alice.say("why?"))
    assert why.startswith("It is stop because") and "5. Personal data and privacy" in why
    assert "phone numbers" in why  # the section's own words, not the finding's message again
    await alice.say("Photo of my two cats asleep on the radiator.")
    assert text_of(await alice.say("why")).startswith("I found nothing the policy asks you to change")
    await alice.say("settings account ask")
    await alice.say("Vote for Dana Ruiz on Tuesday!")  # asks which account: no verdict yet
    assert "It is" not in text_of(await alice.say("why"))


async def test_the_context_question_can_be_answered_in_words(alice, bot):
    partisan = "Vote for Dana Ruiz on Tuesday!"  # ok off duty on a personal account, stop on duty
    asked = await alice.say(partisan)
    assert texts.ASK_CONTEXT in text_of(asked)

    early = await alice.say("why?")  # no verdict yet: the question again, the draft still held
    assert text_of(early).startswith(texts.CONTEXT_FIRST)
    assert [c.label for c in early.choices] == [c.label for c in asked.choices]

    narrowed = await alice.say("personal")  # on or off duty still changes the verdict
    assert text_of(narrowed).startswith(texts.ASK_CONTEXT_AGAIN)
    assert [c.label for c in narrowed.choices] == ["Personal account, off duty", "Personal account, on duty"]

    verdict = text_of(await alice.say("it's my personal account, on duty"))
    assert "STOP" in verdict and "checked as: personal account, on duty" in verdict
    assert "I'll remember" in verdict
    user = await bot.store.get_user("test:alice")
    assert (user.account, user.on_duty) == ("personal", "on")


async def test_a_partial_answer_that_decides_nothing_more_is_not_remembered(alice, bot):
    await alice.say("As a county planner I think the new stadium deal is a giveaway to the owners.")
    verdict = text_of(await alice.say("personal"))  # disclaimer on or off duty alike
    assert "DISCLAIMER" in verdict and "it made no difference here" in verdict
    assert "I'll remember" not in verdict
    assert (await bot.store.get_user("test:alice")).account is None


async def test_a_context_typed_after_change_account_is_for_this_draft_only(alice, bot):
    await alice.say("settings account personal")
    await alice.say("settings duty off")
    asked = await alice.click(await alice.say(ROLE_VIEW), "Change account")
    assert texts.ASK_CONTEXT_ONCE in text_of(asked)
    official = await alice.say("official")
    assert "checked as: official account, on duty" in text_of(official)
    assert "Use that from now on?" in text_of(official)
    assert (await bot.store.get_user("test:alice")).account == "personal"
    kept = await alice.click(official, "Yes, from now on")
    assert "I'll remember" in text_of(kept)
    assert (await bot.store.get_user("test:alice")).account == "official"
