from __future__ import annotations

from pathlib import Path

import pytest

from policy import Policy

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def policy() -> Policy:
    return Policy.load()


@pytest.fixture
async def store(tmp_path):
    from bot.store import Store

    opened = await Store.open(str(tmp_path / "policybot.sqlite3"))
    yield opened
    await opened.close()


@pytest.fixture
async def bot(policy, store):
    from bot.core import Bot, BotSettings
    from bot.messenger import InboxMessenger

    return Bot(policy, store, InboxMessenger(store, ("test:rita",)), BotSettings(reviewers=("test:rita",)))


@pytest.fixture
def alice(bot):
    from bot.messages import User
    from tests.harness import Person

    return Person(bot, User("test:alice", "Alice"))


@pytest.fixture
def rita(bot):
    from bot.messages import User
    from tests.harness import Person

    return Person(bot, User("test:rita", "Rita"))
