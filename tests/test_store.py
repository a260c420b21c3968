"""The store, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio

import pytest

from bot.store import QuizSession, Store, StoreError


async def test_migrations_are_versioned_and_run_once(database_url):
    first = await Store.open(database_url)
    second = await Store.open(database_url)  # opening again migrates nothing
    try:
        assert await first.migrate() == await second.migrate() == 4
    finally:
        await first.close()
        await second.close()


async def test_users_are_created_on_first_sight_and_saved(any_store):
    user = await any_store.get_user("u1", "Una")
    assert user.account is None and user.nudges
    user.account, user.timezone = "official", "Europe/Paris"
    await any_store.save_user(user)
    again = await any_store.get_user("u1")
    assert again.account == "official" and again.timezone == "Europe/Paris" and again.name == "Una"


async def test_a_quiz_answer_is_recorded_once_even_when_clicked_twice(any_store):
    session = QuizSession("u1", "s1", ["q1", "q2"], 0, 0, 1.0)
    await any_store.start_quiz_session(session)
    results = await asyncio.gather(
        any_store.answer_quiz(session, "q1", True, 1, 100.0, 2.0),
        any_store.answer_quiz(session, "q1", True, 1, 100.0, 2.0),
    )
    assert sorted(results) == [False, True]
    assert (await any_store.quiz_states("u1"))["q1"]["seen"] == 1
    fresh = await any_store.get_quiz_session("u1")
    assert fresh.position == 1
    assert await any_store.answer_quiz(fresh, "q2", False, 0, 3.0, 3.0)
    assert await any_store.get_quiz_session("u1") is None
    assert [(r["score"], r["total"]) for r in await any_store.quiz_results("u1")] == [(1, 2)]


async def make_review(store: Store, **overrides) -> int:
    values = dict(
        kind="draft",
        author_id="u1",
        author_name="Una",
        draft="secret draft",
        account="official",
        on_duty=True,
        verdict="review",
        rules=["off.preapproval"],
        created_at=1.0,
        purge_after=10.0,
    )
    return await store.create_review(**{**values, **overrides})


async def test_a_review_is_decided_once_by_compare_and_set(any_store):
    review_id = await make_review(any_store)
    outcomes = await asyncio.gather(
        *(
            any_store.decide_review(review_id, status, who, "", 5.0, keep_draft=False)
            for status, who in (("approved", "r1"), ("sent_back", "r2"), ("approved", "r3"))
        )
    )
    assert outcomes.count(True) == 1
    item = await any_store.get_review(review_id)
    assert item.status in ("approved", "sent_back") and item.draft is None


async def test_drafts_are_purged_after_their_time(any_store):
    old = await make_review(any_store, purge_after=10.0)
    new = await make_review(any_store, purge_after=1000.0)
    assert await any_store.purge_drafts(now=500.0) == 1
    assert (await any_store.get_review(old)).draft is None
    assert (await any_store.get_review(new)).draft == "secret draft"


async def test_an_event_is_processed_once_across_replicas(database_url):
    replicas = [await Store.open(database_url) for _ in range(3)]
    try:
        firsts = await asyncio.gather(*(r.first_time("Ev123", 1.0) for r in replicas for _ in range(3)))
        assert firsts.count(True) == 1
    finally:
        for replica in replicas:
            await replica.close()


async def test_inbox_and_conversation_references(any_store):
    await any_store.put_inbox("u1", {"blocks": []}, 1.0)
    assert await any_store.take_inbox("u1") == [{"blocks": []}]
    assert await any_store.take_inbox("u1") == []
    await any_store.save_conversation("u1", "teams", {"serviceUrl": "a"}, 1.0)
    await any_store.save_conversation("u1", "teams", {"serviceUrl": "b"}, 2.0)
    assert await any_store.get_conversation("u1", "teams") == {"serviceUrl": "b"}


async def test_a_locked_sqlite_file_is_a_clear_error(tmp_path):
    import sqlite3

    path = tmp_path / "locked.sqlite3"
    store = await Store.open(str(path))
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store.busy_timeout_ms = 200
        with pytest.raises(StoreError, match="locked by another process"):
            await store.get_user("u1")
    finally:
        holder.rollback()
        holder.close()
        await store.close()
    reopened = await Store.open(str(path))
    assert (await reopened.get_user("u1")).id == "u1"  # nothing half-written
    await reopened.close()


async def test_an_unreachable_postgres_names_the_setting():
    with pytest.raises(StoreError, match="POLICYBOT_DATABASE"):
        await Store.open("postgresql://nobody@127.0.0.1:1/none")


def test_an_unknown_url_scheme_names_the_setting():
    with pytest.raises(StoreError, match="POLICYBOT_DATABASE: unsupported"):
        asyncio.run(Store.open("mysql://x/y"))
