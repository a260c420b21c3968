"""Hostile drafts: property-based fuzzing of the engine with the shapes that once hung it (long
runs of one letter or digit, separators, zero-width and look-alike characters, leetspeak,
huge numbers). Every draft gets an assessment or a DraftError with a message; nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Bot
from bot.engine_pool import EnginePool
from bot.intent import understand
from bot.messages import User, VerdictBlock
from bot.messenger import InboxMessenger
from policy import DraftError
from tests.harness import Person, text_of

RUNS = st.builds(lambda c, n: c * n, st.sampled_from(list("a0.-@ 1x\u200bЕ/")), st.integers(1, 40_000))
SYMBOLS = ["555", "-", " ", ".", "@", "(", ")", "+1", "0", "1337", "p4ssw0rd", "\u200b", "\u200d", "ｆ", "Е", "#", "\n"]
WORDS = [
    " dot ",
    " at ",
    " arroba ",
    "[at]",
    "com",
    "six",
    ", ",
    "zéro",
    "quarante-deux",
    "cuarenta y ocho",
    "veintidós",
]
PIECES = st.sampled_from(SYMBOLS + WORDS)  # written-out e-mails and number words too
JOINED = st.lists(PIECES, min_size=1, max_size=400).map("".join)
MIXED = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=3000)
HOSTILE = st.one_of(RUNS, JOINED, MIXED, st.tuples(RUNS, JOINED, MIXED).map("".join))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
def test_the_engine_answers_every_hostile_draft(policy, draft):
    try:
        assessment = policy.check(draft)
    except DraftError as error:
        assert str(error)
    else:
        assert assessment.verdict.label in ("ok", "disclaimer", "review", "stop")
        assert all(0 <= s <= e <= len(draft) for f in assessment.findings for s, e in f.spans)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(HOSTILE)
def test_every_hostile_message_is_understood(bot, message):
    """Reading what a message is (draft, question, the ask alone...) comes before the engine: a
    long run of spaces once took minutes in the search for a trailing "can I post this?"."""
    assert understand(message, bot.intents).kind in ("command", "draft", "question", "smalltalk", "unsure", "ask_only")


async def test_a_draft_over_the_time_budget_gets_send_it_in_parts(policy, store):
    bot = Bot(policy, store, InboxMessenger(store), engine=EnginePool(budget=0.000_001))
    reply = await Person(bot, User("test:tim", "Tim")).say("can I post this: " + "a" * 30_000)
    assert "send it in parts" in text_of(reply)
    assert not [b for b in reply.blocks if isinstance(b, VerdictBlock)]
