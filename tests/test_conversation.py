"""Transcripts through the core: draft check, fix, lookup, quiz, settings, review and appeal."""

from __future__ import annotations

import asyncio

from bot.messages import Note, User, VerdictBlock
from tests.harness import Person, text_of

STOP_DRAFT = "The door code for the annex is 4471#, for whoever keeps asking"
DISCLAIMER_DRAFT = "As a public school teacher, I think phone bans in class are long overdue."


def verdict(reply):
    return next(b for b in reply.blocks if isinstance(b, VerdictBlock))


async def test_stop_draft_is_answered_at_once_with_its_section(alice):
    reply = await alice.say(STOP_DRAFT)
    block = verdict(reply)
    assert block.level == "stop"
    assert block.findings[0].section_title == "9. Security (OPSEC)"
    assert "door code for the annex is 4471#" in block.findings[0].highlights[0].text


async def test_context_is_asked_only_when_it_matters_then_remembered(alice):
    asked = await alice.say("Go Democrats, let's win this!")
    assert "depends on where you post" in text_of(asked)
    answered = await alice.click(asked, "Personal account, on duty")
    assert verdict(answered).level == "stop"
    assert "checked as: personal account, on duty" in [b.text for b in answered.blocks if isinstance(b, Note)]
    again = await alice.say("Go Democrats, let's win this!")
    assert verdict(again).level == "stop"  # no question the second time


async def test_one_draft_can_override_the_default_context(alice):
    await alice.click(await alice.say("Go Republicans!"), "Personal account, off duty")
    reply = await alice.say("official: Go Republicans!")
    assert verdict(reply).level == "stop"
    assert "official account" in text_of(reply)


async def test_fix_on_a_disclaimer_draft_appends_the_disclaimer(alice, bot):
    reply = await alice.say(DISCLAIMER_DRAFT)
    if "depends" in text_of(reply):
        reply = await alice.click(reply, "Personal account, off duty")
    assert verdict(reply).level == "disclaimer"
    assert bot.policy.disclaimer in text_of(reply)  # the template is shown with the verdict
    fixed = await alice.click(reply, "Add the disclaimer")
    assert f"{DISCLAIMER_DRAFT}\n\n{bot.policy.disclaimer}" in text_of(fixed)


async def test_policy_lookup_by_message_and_by_slash_command(alice):
    for reply in (await alice.say("policy disclaimer"), await alice.command("disclaimer")):
        assert text_of(reply).startswith("3. Disclaimers\n")
    hatch = await alice.say("policy hatch act")
    assert text_of(hatch).startswith("6. Political activity (Hatch Act)\n")
    see_also = hatch.choices[0]
    assert text_of(await alice.press(see_also)).startswith(f"{see_also.label}\n")


async def test_quiz_asks_gives_feedback_citing_the_section_and_records_the_score(alice, bot):
    reply = await alice.say("quiz")
    assert "Question 1 of 3" in text_of(reply)
    for _ in range(3):
        first = reply.choices[0]
        reply = await alice.press(first)
        assert "Policy section:" in text_of(reply)
        assert ("Right" in text_of(reply)) or ("Not quite" in text_of(reply))
    assert "Quiz complete:" in text_of(reply)
    results = await bot.store.quiz_results("test:alice")
    assert len(results) == 1 and results[0]["total"] == 3


async def test_missed_questions_come_back_first(alice, bot):
    reply = await alice.say("quiz")
    missed = []
    for _ in range(3):
        question = next(q for q in bot.policy.questions if q.prompt in text_of(reply))
        wrong = next(c for c in reply.choices if c.label != question.options[question.answer])  # shown shuffled
        missed.append(question.id)
        reply = await alice.press(wrong)
    reply = await alice.say("quiz")
    question = next(q for q in bot.policy.questions if q.prompt in text_of(reply))
    assert question.id in missed


async def test_an_answer_to_a_question_that_is_not_open_is_refused(alice):
    reply = await alice.say("quiz")
    old = reply.choices[0]
    await alice.press(old)
    assert "no longer open" in text_of(await alice.press(old))


async def test_settings_change_and_bad_values_are_explained(alice):
    assert "Time zone" in text_of(await alice.say("settings"))
    assert "Europe/London" in text_of(await alice.say("settings timezone Europe/London"))
    assert "don't know the time zone" in text_of(await alice.say("settings timezone Mars/Olympus"))
    assert "snoozed until" in text_of(await alice.click(await alice.say("settings"), "Snooze"))


async def test_unknown_slash_commands_get_help(alice):
    reply = await alice.say("/frobnicate")
    assert "don't know that command" in text_of(reply) and "Commands:" in text_of(reply)


async def test_draft_sent_for_review_is_approved_and_the_author_is_told(alice, rita, bot):
    reply = await alice.say("official: Exciting news! The new dog park opens Saturday.")
    assert verdict(reply).level == "review"
    sent = await alice.click(reply, "Send to communications")
    assert "item #1" in text_of(sent)
    queued = (await rita.inbox())[0]
    assert "Draft for pre-approval #1" in text_of(queued) and "dog park" in text_of(queued)
    assert "official account, on duty" in text_of(queued)  # an official account is never off duty
    assert "approved" in text_of(await rita.click(queued, "Approve"))
    told = await alice.inbox()
    assert "was approved" in text_of(told[0])
    item = await bot.store.get_review(1)
    assert item.status == "approved" and item.decided_by == "test:rita" and item.draft is None


async def test_send_back_takes_a_comment(alice, rita):
    await alice.click(await alice.say("official: Starting Monday we're waiving all late fees."), "Send to")
    queued = (await rita.inbox())[0]
    assert "Any comment for the author" in text_of(await rita.click(queued, "Send back"))
    await rita.say("Please cite the council vote.")
    assert "Please cite the council vote." in text_of((await alice.inbox())[0])


async def test_appeal_with_reason_is_decided_and_the_author_is_told(alice, rita, bot):
    reply = await alice.say(STOP_DRAFT)
    assert "Tell me in one message" in text_of(await alice.click(reply, "I think this is wrong"))
    assert "sent to the reviewers" in text_of(await alice.say("It is a made-up code from a novel"))
    queued = (await rita.inbox())[0]
    assert "It is a made-up code from a novel" in text_of(queued)
    assert "Any comment for the author" in text_of(await rita.click(queued, "Overturn"))
    assert "overturned" in text_of(await rita.say("Clearly fiction; fine to post."))
    told = text_of((await alice.inbox())[0])
    assert "was accepted" in told and "Clearly fiction; fine to post." in told
    exported = await __import__("bot.reviews", fromlist=["x"]).export_examples(bot)
    line = __import__("json").loads(exported.splitlines()[0])
    assert "sec.credentials" in line["note"] and "4471#" in line["text"] and line["signals"] == []
    assert (await bot.store.get_review(1)).draft is None  # purged once exported


async def test_two_reviewers_and_a_stale_button_decide_an_item_once(alice, rita, bot):
    bot.extra_reviewers.add("test:sam")
    sam = Person(bot, User("test:sam", "Sam"))
    await alice.click(await alice.say("official: Exciting news, we launch a new app today!"), "Send to")
    queued = (await rita.inbox())[0]
    results = await asyncio.gather(rita.click(queued, "Approve"), sam.click(queued, "Send back"))
    texts = [text_of(r) for r in results]
    assert sum("already decided" in t for t in texts) + sum("Any comment" in t for t in texts) >= 1
    assert "already decided" in text_of(await rita.click(queued, "Approve"))
    assert len(await alice.inbox()) <= 1


async def test_a_non_reviewer_cannot_decide(alice, bot):
    await alice.click(await alice.say("official: Exciting news, the pool opens today!"), "Send to")
    queued = (await bot.messenger.take("test:rita", bot.policy))[0]
    assert "Only reviewers" in text_of(await alice.click(queued, "Approve"))
    assert (await bot.store.get_review(1)).status == "open"


async def test_a_button_from_an_unknown_action_is_stale(alice):
    from bot.messages import Choice

    assert "has expired" in text_of(await alice.press(Choice("x", "no.such.action", "{}")))


async def test_send_back_without_a_comment(alice, rita):
    await alice.click(await alice.say("official: Starting Monday we're waiving all parking fees."), "Send to")
    queued = (await rita.inbox())[0]
    asked = await rita.click(queued, "Send back")
    assert "sent back" in text_of(await rita.click(asked, "Skip the comment"))
    assert "no comment" in text_of((await alice.inbox())[0])
    checked = await rita.say("Thanks, that was quick")  # not taken as a comment any more
    assert "Item #" not in text_of(checked)


async def test_empty_and_huge_drafts_get_a_clear_message(alice):
    assert "too" in text_of(await alice.say("x" * 50_000)) or "limit" in text_of(await alice.say("x" * 50_000))
