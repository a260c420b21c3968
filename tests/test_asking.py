"""Asking the policy: drafts, questions, commands and small talk told apart, and questions answered
from the right section. The labelled sets in tests/data were written apart from the training data
(policy/data/intent_train.jsonl and the pack's faq/), and nothing was fitted to them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answers import ask_intent
from bot.intent import parse_command, understand
from bot.messages import Incoming, VerdictBlock
from bot.turn import Turn
from tests.harness import text_of

DATA = Path(__file__).parent / "data"


def cases(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def verdicts(reply) -> list[VerdictBlock]:
    return [b for b in reply.blocks if isinstance(b, VerdictBlock)]


async def test_a_scripted_chat(alice):
    for greeting in ("hello", "thanks!"):
        reply = await alice.say(greeting)
        assert not verdicts(reply) and len(text_of(reply)) < 200

    answer = await alice.say("can I use my work email on linkedin?")
    assert not verdicts(answer)
    assert "2. Personal and professional use" in text_of(answer)
    assert answer.choices[0].label == "Read the whole section"

    draft = await alice.say(
        "Proud of our crews tonight. They cleared the storm drains on 5th before the rain hit. Great work, team!"
    )
    quiz_night = await alice.say("Quiz night at O'Malley's tonight!")
    for reply in (draft, quiz_night):
        if "depends on where you post" in text_of(reply):
            reply = await alice.click(reply, "Personal account, off duty")
        assert verdicts(reply), text_of(reply)


async def test_small_talk_gets_a_greeting_thanks_or_a_pointer_to_the_verdict(alice):
    assert "Paste a draft post" in text_of(await alice.say("hello"))
    assert "Paste a draft post" in text_of(await alice.say("how do I use you?"))
    assert "You're welcome" in text_of(await alice.say("thanks!"))
    for remark in ("sounds good", "why?"):
        reply = text_of(await alice.say(remark))
        assert "Hi!" not in reply and "Wondering why I gave a verdict?" in reply, remark


async def test_a_policy_prefix_on_a_long_question_answers_it(alice):
    reply = await alice.say("policy can I use my work email on linkedin")
    assert not verdicts(reply)
    # answered from the sections (Records' "not on personal email" now ranks first), not read as a topic
    assert text_of(reply).startswith("From ") and "2. Personal and professional use" in text_of(reply)


async def test_the_two_buttons_route_the_same_text_either_way(alice):
    user = await alice.bot.store.get_user(alice.user.id)
    incoming = Incoming("test", alice.user, alice.user.id, "message", text="")
    offered = await ask_intent(Turn(alice.bot, incoming, user), "Can I post a photo of the new fire truck?")
    as_question = await alice.click(offered, "Answer it as a question")
    assert "From " in text_of(as_question)
    as_draft = await alice.click(offered, "Check this as a post")
    if "depends on where you post" in text_of(as_draft):
        as_draft = await alice.click(as_draft, "Personal account, off duty")
    assert verdicts(as_draft)


async def test_a_can_i_question_gets_the_tables_short_answer(alice):
    reply = await alice.say("Can I share the draft budget before the council sees it?")
    assert not verdicts(reply)
    assert "Short answer: no." in text_of(reply) and "From " in text_of(reply)


@pytest.mark.parametrize(
    ("topic", "section"),
    [("descargo", "disclaimers"), ("vie privée", "personal-data"), ("élections", "political-activity")],
)
async def test_a_topic_in_french_or_spanish_finds_its_section(alice, bot, topic, section):
    found = text_of(await alice.say(f"policy {topic}"))
    titles = bot.policy.sections[section]
    assert any(found.startswith(titles.title_in(language)) for language in ("en", "fr", "es"))


async def test_a_topic_the_policy_never_mentions_finds_nothing(alice):
    for topic in ("xyzzy", "the qwertyuiop", "blorp blorp"):
        reply = text_of(await alice.say(f"policy {topic}"))
        assert reply.startswith(f"I found no section about '{topic}'") and "3. Disclaimers" in reply


def test_commands_take_exact_words_only():
    assert parse_command("quiz").word == "quiz"
    assert parse_command("/policy records").argument == "records"
    assert parse_command("settings hours 9-17").word == "settings"
    assert parse_command("3").word == "answer"
    for draft in ("Quiz night at the library tonight!", "Help us clean up Miller Park on Saturday", "Stop the madness"):
        assert parse_command(draft) is None


@pytest.mark.parametrize(
    ("message", "draft"),
    [
        ("Tacos tonight with the crew! can I post this?", "Tacos tonight with the crew!"),
        ("La clave del éxito es la constancia, ¿puedo publicarlo?", "La clave del éxito es la constancia"),
        ("Je suis prof et la réforme est ratée. Je peux publier ça ?", "Je suis prof et la réforme est ratée."),
        ('"Go Eagles!" - is this ok to post?', "Go Eagles!"),
    ],
)
def test_the_ask_after_the_draft_is_not_checked_with_it(bot, message, draft):
    understood = understand(message, bot.intents)
    assert (understood.kind, understood.text) == ("draft", draft)


@pytest.mark.parametrize(
    "question", ["Can I say where I work, is it ok to post?", "What can I post?", "Can I post this?"]
)
def test_a_question_ending_like_an_ask_stays_a_question(bot, question):
    assert understand(question, bot.intents).kind != "draft"


@pytest.mark.parametrize(
    ("message", "reply_part"),
    [("Can I post this?", "paste the text of the post"), ("¿puedo publicarlo?", "pegue aquí el texto")],
)
async def test_the_ask_without_a_draft_asks_for_the_draft(alice, message, reply_part):
    reply = await alice.say(message)
    assert not verdicts(reply)
    assert reply_part in text_of(reply)


def test_intent_on_200_labelled_messages(bot):
    labelled = cases("intent_eval.jsonl")
    classifier = bot.intents
    got = [(case["intent"], understand(case["text"], classifier).kind) for case in labelled]
    accuracy = sum(want == kind for want, kind in got) / len(got)
    assert len(labelled) == 200
    assert accuracy >= 0.95
    assert not [1 for want, kind in got if want == "question" and kind == "draft"]


async def test_no_question_is_answered_good_to_post(alice):
    for case in cases("intent_eval.jsonl"):
        if case["intent"] == "question":
            reply = await alice.say(case["text"])
            assert not [v for v in verdicts(reply) if v.level == "ok"], case["text"]


def test_questions_and_drafts_written_apart_are_routed_as_what_they_are(bot):
    """300 questions in the askers' own words (many describe a post they have in mind) and 593
    drafts, none of them trained on. With e5 alone the classifier took 38 of the questions for
    drafts and read 20 of the drafts as questions or small talk."""
    questions = [case["question"] for case in cases("retrieval_apart.jsonl")]
    drafts = [case["text"] for case in cases("fresh_dec07.jsonl")]
    as_drafts = sum(understand(text, bot.intents).kind == "draft" for text in questions)
    as_chat = sum(understand(text, bot.intents).kind in ("question", "smalltalk") for text in drafts)
    assert (len(questions), len(drafts)) == (300, 593)
    assert as_drafts <= 15 and as_chat <= 15, (as_drafts, as_chat)


async def test_a_draft_answered_as_a_question_can_still_be_checked_with_one_press(alice, bot):
    from bot.answers import might_be_a_draft

    drafts = [case["text"] for case in cases("fresh_dec07.jsonl")]
    misread = [t for t in drafts if understand(t, bot.intents).kind in ("question", "smalltalk")]
    offered = [t for t in misread if might_be_a_draft(understand(t, bot.intents).intent)]
    assert misread and len(offered) >= len(misread) / 2, (len(offered), len(misread))
    reply = await alice.say(offered[0])
    checked = await alice.click(reply, "Check this as a post")
    assert verdicts(checked) or {c.action for c in checked.choices} == {"context.set"}
    questions = [understand(case["question"], bot.intents) for case in cases("retrieval_apart.jsonl")]
    answered = [u for u in questions if u.kind == "question"]
    assert sum(might_be_a_draft(u.intent) for u in answered) <= len(answered) / 10


def test_retrieval_recall_on_60_labelled_questions(policy):
    labelled = cases("retrieval_eval.jsonl")
    ranked = [[h.section.id for h in policy.lookup(case["question"], 3)] for case in labelled]
    first = sum(ids[:1] == [case["section"]] for ids, case in zip(ranked, labelled, strict=True)) / len(labelled)
    top3 = sum(case["section"] in ids for ids, case in zip(ranked, labelled, strict=True)) / len(labelled)
    assert len(labelled) >= 60
    assert first >= 0.85 and top3 >= 0.95


def test_retrieval_on_300_questions_written_apart_in_three_languages(policy):
    """Questions in the askers' own words (tests/data/retrieval_apart.jsonl, never used to choose
    anything); "also" names other sections that answer them as well. e5 alone scored 0.800 and 0.930."""
    labelled = cases("retrieval_apart.jsonl")
    first, top3 = _found(policy, labelled)
    assert len(labelled) == 300 and {case["lang"] for case in labelled} == {"en", "fr", "es"}
    assert first >= 0.82 and top3 >= 0.935


def test_what_a_topic_is_finds_the_section_that_defines_it(policy):
    """144 definitional questions ("what is OPSEC?", "sanciones?", "c'est quoi un texte alternatif ?"),
    written apart from the pack's FAQ (tests/data/retrieval_definitions_apart.jsonl). Before the FAQ
    had such questions of its own, "what is political activity?" found "Questions and appeals"
    (whose FAQ asks whom to ask about political activity): 0.840 first and 0.944 in three."""
    labelled = cases("retrieval_definitions_apart.jsonl")
    first, top3 = _found(policy, labelled)
    assert len(labelled) == 144 and {case["lang"] for case in labelled} == {"en", "fr", "es"}
    assert first >= 0.92 and top3 >= 0.97


def _found(policy, labelled: list[dict]) -> tuple[float, float]:
    """The share of questions whose first section is the labelled one or an "also", and the share
    whose labelled section is among the first three."""
    ranked = [[h.section.id for h in policy.lookup(case["question"], 3)] for case in labelled]
    first = [ids[:1] and ids[0] in [case["section"], *case["also"]] for ids, case in zip(ranked, labelled, strict=True)]
    top3 = [case["section"] in ids for ids, case in zip(ranked, labelled, strict=True)]
    return sum(first) / len(labelled), sum(top3) / len(labelled)


def test_the_committed_retrieval_cache_matches_the_pack(policy):
    assert policy.retriever().cache_is_current, "run: policybot policy train policy/packs/default"


def test_the_committed_intent_model_matches_its_training_data():
    from policy.intent import IntentModel, training_digest

    assert IntentModel.load().digest == training_digest(), "run: policybot intent train"
