"""The optional LLM endpoint, against a fake OpenAI-compatible server over real HTTP: grounded
answers, second opinions and rewrites, and the local result standing whenever it fails."""

from __future__ import annotations

import time

import pytest

from bot.llm import Assistant
from bot.messages import User, VerdictBlock
from policy import Context
from tests.fake_llm import FakeLLM
from tests.harness import Person, text_of

QUESTION = "can I use my work email on linkedin?"
PRIVATE_DRAFT = "My cousin's bakery on Elm Street has the best almond croissants"
STOP_DRAFT = "Chip in $20 for Jane Smith's campaign today: janesmith2026.com/donate"


@pytest.fixture
async def llm():
    fake = await FakeLLM().start()
    yield fake
    await fake.stop()


@pytest.fixture
def alice(bot, llm, policy):
    bot.assistant = Assistant(llm.url, "fake-model", "test-key", 1.0, policy)
    return Person(bot, User("test:alice", "Alice Example"))


def verdict(reply) -> VerdictBlock:
    return next(b for b in reply.blocks if isinstance(b, VerdictBlock))


async def checked(alice: Person, text: str):
    reply = await alice.say(text)
    if "depends on where you post" in text_of(reply):
        reply = await alice.click(reply, "Personal account, off duty")
    return reply


async def test_a_grounded_answer_cites_the_retrieved_passages_and_sees_nothing_else(alice, llm, policy):
    await checked(alice, PRIVATE_DRAFT)  # earlier data of the same user, which must not reach the answer
    earlier = len(llm.requests)  # a second opinion on the draft itself, if the model was unsure of it
    hits = policy.lookup(QUESTION)
    answer = f"Keep your work email for agency business; see {hits[0].section.title}."
    llm.then("json", {"answer": answer, "cited_sections": [hits[0].section.id]})
    reply = await alice.say(QUESTION)
    shown = text_of(reply)
    assert answer in shown
    assert hits[0].passage in shown  # the passage is quoted under the written answer
    prompt = llm.system_prompts()[-1]
    assert all(h.passage in prompt for h in hits)
    assert policy.rows[0].message in prompt  # the policy table
    assert len(llm.requests) == earlier + 1
    everything_sent = " ".join(llm.system_prompts()[earlier:] + llm.user_messages()[earlier:])
    for private in ("croissants", "Alice", "test:alice"):
        assert private not in everything_sent
    assert llm.user_messages()[-1] == QUESTION


@pytest.mark.parametrize(
    "behaviour",
    [
        ("slow", 5),
        ("text", "Sure! Here is what the policy says: {not json"),
        ("json", {"answer": "You may do whatever you like.", "cited_sections": []}),
        ("json", {"answer": "See the appendix.", "cited_sections": ["no-such-section"]}),
        ("status", 500),
    ],
    ids=["timeout", "malformed", "cites-nothing", "cites-unretrieved", "server-error"],
)
async def test_a_failed_answer_leaves_the_passages_and_says_nothing_of_it(alice, llm, policy, behaviour):
    llm.then(*behaviour)
    started = time.monotonic()
    reply = await alice.say(QUESTION)
    assert time.monotonic() - started < 4  # the 1 s time limit holds, with the local work around it
    shown = text_of(reply)
    assert policy.lookup(QUESTION)[0].passage in shown
    for dropped in ("whatever you like", "appendix", "too late", "not json"):
        assert dropped not in shown
    for alarm in ("error", "failed", "timed out", "Good to post"):
        assert alarm not in shown
    assert len(llm.requests) == 1


async def test_a_rewrite_that_still_breaks_the_policy_is_not_shown(alice, llm):
    reply = await checked(alice, STOP_DRAFT)
    assert verdict(reply).level == "stop"
    llm.then("json", {"rewrite": "Chip in $10 for Jane Smith today at janesmith2026.com/donate"})
    withheld = await alice.click(reply, "Suggest a rewrite")
    assert "janesmith2026.com/donate" not in text_of(withheld)
    assert "couldn't write a version that passes" in text_of(withheld)
    assert "Problems found" in llm.system_prompts()[-1] and llm.user_messages()[-1] == STOP_DRAFT

    llm.then("json", {"rewrite": "Election day is Tuesday. Polls are open from 7am to 8pm."})
    shown = await alice.click(reply, "Suggest a rewrite")
    assert "Polls are open from 7am to 8pm." in text_of(shown)
    assert "checked it again" in text_of(shown)


async def test_without_an_endpoint_there_is_no_rewrite_button(bot):
    person = Person(bot, User("test:bob", "Bob"))
    reply = await checked(person, STOP_DRAFT)
    assert verdict(reply).level == "stop"
    assert not [c for c in reply.choices if c.label == "Suggest a rewrite"]


@pytest.fixture(scope="module")
def unsure_draft():
    """A held-out draft whose verdict hangs on a signal the local model finds only "possible"."""
    from policy import Policy
    from policy.table import settle

    policy = Policy.load()
    drafts = [e.text for e in policy.examples if e.held_out][:600]
    context = Context("personal", False)
    for text, found in zip(drafts, policy.find_many(drafts), strict=True):
        for key, presence in found.items():
            if presence.is_detector or presence.band != "possible":
                continue
            yes = policy.assess(text, settle(found, {key: True}), context).verdict
            no = policy.assess(text, settle(found, {key: False}), context).verdict
            if yes != no:
                return text, key, yes.label, no.label
    pytest.fail("no held-out draft with a decisive 'possible' signal")


async def test_a_second_opinion_settles_an_unsure_signal_within_its_schema(alice, llm, unsure_draft):
    text, signal, if_yes, if_no = unsure_draft
    await alice.say("settings account personal")
    await alice.say("settings duty off")
    draft = f"can I post this: {text}"  # the prefix makes it a draft whatever it reads like
    llm.then("json", {"signals": {signal: True}})
    assert verdict(await alice.say(draft)).level == if_yes
    request = llm.requests[-1]
    asked = request["response_format"]["json_schema"]["schema"]["properties"]["signals"]["properties"]
    assert signal in asked and len(asked) <= 5
    assert llm.user_messages()[-1] == text

    llm.then("json", {"signals": {signal: False}})
    assert verdict(await alice.say(draft)).level == if_no

    local = verdict(await alice.say(draft)).level  # no script left: the server fails, the local verdict stands
    llm.then("json", {"signals": {signal: "yes", "made_up": True}})
    assert verdict(await alice.say(draft)).level == local
