from __future__ import annotations

import os
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
    from bot.core import Bot
    from bot.messenger import InboxMessenger
    from bot.services import BotSettings

    bot = Bot(policy, store, InboxMessenger(store, ("test:rita",)), BotSettings(reviewers=("test:rita",)))
    await bot.warm_up()  # as serve and chat do before the first message
    return bot


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


POSTGRES_URL = os.environ.get("POLICYBOT_TEST_DATABASE_URL", "")
HOW_TO_POSTGRES = (
    "PostgreSQL tests need POLICYBOT_TEST_DATABASE_URL; run `. .ci/postgres` first "
    "(it starts a throwaway server and sets the variable)"
)


def need_postgres() -> str:
    if not POSTGRES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail(HOW_TO_POSTGRES + " (in CI a skipped PostgreSQL test is a failure)")
        pytest.skip(HOW_TO_POSTGRES)
    return POSTGRES_URL


async def fresh_postgres_database() -> str:
    """A new, empty database on the test server; returns its URL."""
    import uuid

    import asyncpg

    base = need_postgres()
    name = f"t_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(base)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return base.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    return await fresh_postgres_database()


@pytest.fixture
async def any_store(database_url):
    from bot.store import Store

    opened = await Store.open(database_url)
    yield opened
    await opened.close()
