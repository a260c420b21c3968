"""The store's scheduling claims, processed events, inboxes and conversation references."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.schema import (
    JOB_CLAIMS,
    JOB_COLUMNS,
    UserRecord,
    conversations,
    events,
    inbox,
    users,
)
from bot.store_base import StoreBase


class JobRecords(StoreBase):
    async def users_to_plan(self, job: str, limit: int = 500) -> list[UserRecord]:
        """Users who have the job switched on but no time planned for it yet."""
        due, enabled = JOB_COLUMNS[job]

        async def work(connection: AsyncConnection) -> list[UserRecord]:
            query = (
                sa.select(users)
                .where(users.c[due].is_(None), users.c[enabled].is_(True), users.c.unreachable.is_(False))
                .order_by(users.c.id)
                .limit(limit)
            )
            return [UserRecord(**row) for row in (await connection.execute(query)).mappings()]

        return await self._run(work)

    async def set_job_time(self, job: str, user_id: str, when: float | None, only_if_unset: bool = False) -> None:
        due, _ = JOB_COLUMNS[job]

        async def work(connection: AsyncConnection) -> None:
            query = users.update().where(users.c.id == user_id)
            if only_if_unset:
                query = query.where(users.c[due].is_(None))
            await connection.execute(query.values({due: when}))

        await self._run(work)

    async def claim_due(self, job: str, now: float, lease: float, limit: int) -> list[UserRecord]:
        """Claim up to `limit` users whose job is due, so that no other replica sends it too.

        PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, then set the lease. SQLite: a
        compare-and-set UPDATE per candidate. A claim expires after `lease` seconds, so a
        replica that crashed between claim and send does not lose the job.
        """
        due, enabled = JOB_COLUMNS[job]
        claimed = JOB_CLAIMS[job]
        ready = (
            (users.c[due] <= now)
            & users.c[enabled].is_(True)
            & users.c.unreachable.is_(False)
            & (users.c[claimed].is_(None) | (users.c[claimed] < now))
        )

        async def work(connection: AsyncConnection) -> list[UserRecord]:
            candidates = sa.select(users.c.id).where(ready).order_by(users.c[due]).limit(limit)
            if self.is_postgres:
                candidates = candidates.with_for_update(skip_locked=True)
            ids = [row[0] for row in await connection.execute(candidates)]
            won = []
            for user_id in ids:
                result = await connection.execute(
                    users.update().where((users.c.id == user_id) & ready).values({claimed: now + lease})
                )
                if result.rowcount == 1:
                    won.append(user_id)
            if not won:
                return []
            rows = await connection.execute(sa.select(users).where(users.c.id.in_(won)))
            return [UserRecord(**row) for row in rows.mappings()]

        return await self._run(work)

    async def finish_job(
        self, job: str, user_id: str, next_at: float | None, sent_at: float | None, unreachable: bool = False
    ) -> None:
        due, _ = JOB_COLUMNS[job]
        values: dict[str, Any] = {due: next_at, JOB_CLAIMS[job]: None}
        if unreachable:
            values["unreachable"] = True
        if sent_at is not None and job == "nudge":
            values["last_nudged_at"] = sent_at
            values["nudges_sent"] = users.c.nudges_sent + 1

        async def work(connection: AsyncConnection) -> None:
            await connection.execute(users.update().where(users.c.id == user_id).values(values))

        await self._run(work)

    # events and inbox --------------------------------------------------------------------
    async def first_time(self, event_id: str, now: float) -> bool:
        """True the first time an event id is seen (across replicas): retried deliveries run once."""

        async def work(connection: AsyncConnection) -> bool:
            try:
                async with connection.begin_nested():
                    await connection.execute(events.insert().values(event_id=event_id, seen_at=now))
            except IntegrityError:
                return False
            return True

        return await self._run(work)

    async def forget_events(self, before: float) -> None:
        async def work(connection: AsyncConnection) -> None:
            await connection.execute(events.delete().where(events.c.seen_at < before))

        await self._run(work)

    async def put_inbox(self, user_id: str, payload: dict, now: float) -> None:
        async def work(connection: AsyncConnection) -> None:
            await connection.execute(
                inbox.insert().values(user_id=user_id, payload=json.dumps(payload), created_at=now)
            )

        await self._run(work)

    async def take_inbox(self, user_id: str) -> list[dict]:
        async def work(connection: AsyncConnection) -> list[dict]:
            query = sa.select(inbox).where(inbox.c.user_id == user_id).order_by(inbox.c.id)
            rows = (await connection.execute(query)).mappings().all()
            if rows:
                await connection.execute(inbox.delete().where(inbox.c.id.in_([r["id"] for r in rows])))
            return [json.loads(r["payload"]) for r in rows]

        return await self._run(work)

    async def save_conversation(self, user_id: str, platform: str, reference: dict, now: float) -> None:
        async def work(connection: AsyncConnection) -> None:
            key = (conversations.c.user_id == user_id) & (conversations.c.platform == platform)
            updated = await connection.execute(
                conversations.update().where(key).values(reference=json.dumps(reference), updated_at=now)
            )
            if updated.rowcount == 0:
                await connection.execute(
                    conversations.insert().values(
                        user_id=user_id,
                        platform=platform,
                        reference=json.dumps(reference),
                        updated_at=now,
                    )
                )

        await self._run(work)

    async def get_conversation(self, user_id: str, platform: str) -> dict | None:
        async def work(connection: AsyncConnection) -> dict | None:
            query = sa.select(conversations.c.reference).where(
                conversations.c.user_id == user_id, conversations.c.platform == platform
            )
            value = (await connection.execute(query)).scalar()
            return json.loads(value) if value else None

        return await self._run(work)
