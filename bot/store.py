"""The store: users and settings, quiz state and results, review items, processed events, inboxes.

One implementation over SQLAlchemy Core serves SQLite (the default: a file, no server) and
PostgreSQL (several replicas), with the same tables and versioned migrations. Draft text is
stored only in review items, which its author chose to send, and is purged on schedule.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

metadata = sa.MetaData()

schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("account", sa.String(20)),  # personal | official | NULL (ask)
    sa.Column("on_duty", sa.String(10)),  # on | off | NULL (ask)
    sa.Column("timezone", sa.String(64)),
    sa.Column("work_start", sa.Integer),
    sa.Column("work_end", sa.Integer),
    sa.Column("nudges", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("reminders", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("snooze_until", sa.Float),
    sa.Column("next_nudge_at", sa.Float),
    sa.Column("next_reminder_at", sa.Float),
    sa.Column("nudge_claimed_until", sa.Float),
    sa.Column("reminder_claimed_until", sa.Float),
    sa.Column("last_nudged_at", sa.Float),
    sa.Column("nudges_sent", sa.Integer, nullable=False, server_default="0"),
    sa.Column("unreachable", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("team", sa.String(200), nullable=False, server_default=""),
    sa.Column("awaiting", sa.Text),  # JSON: what the next plain message answers
    sa.Column("created_at", sa.Float, nullable=False),
)
quiz_state = sa.Table(
    "quiz_state",
    metadata,
    sa.Column("user_id", sa.String(200), primary_key=True),
    sa.Column("question_id", sa.String(200), primary_key=True),
    sa.Column("box", sa.Integer, nullable=False),
    sa.Column("due_at", sa.Float, nullable=False),
    sa.Column("seen", sa.Integer, nullable=False),
    sa.Column("correct", sa.Integer, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
)
quiz_sessions = sa.Table(
    "quiz_sessions",
    metadata,
    sa.Column("user_id", sa.String(200), primary_key=True),
    sa.Column("session_id", sa.String(64), nullable=False),
    sa.Column("question_ids", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("correct", sa.Integer, nullable=False),
    sa.Column("started_at", sa.Float, nullable=False),
)
quiz_results = sa.Table(
    "quiz_results",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.String(200), nullable=False, index=True),
    sa.Column("session_id", sa.String(64), nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("finished_at", sa.Float, nullable=False),
)
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),  # draft | appeal
    sa.Column("author_id", sa.String(200), nullable=False, index=True),
    sa.Column("author_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("draft", sa.Text),  # NULL once purged
    sa.Column("account", sa.String(20), nullable=False),
    sa.Column("on_duty", sa.Boolean, nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("rules", sa.Text, nullable=False),  # JSON list of rule ids
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("decided_by", sa.String(200)),
    sa.Column("decided_at", sa.Float),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("purge_after", sa.Float, nullable=False),
    sa.Column("exported", sa.Boolean, nullable=False, server_default=sa.false()),
)
events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.String(200), primary_key=True),
    sa.Column("seen_at", sa.Float, nullable=False),
)
inbox = sa.Table(
    "inbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.String(200), nullable=False, index=True),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)
conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("user_id", sa.String(200), primary_key=True),
    sa.Column("platform", sa.String(20), primary_key=True),
    sa.Column("reference", sa.Text, nullable=False),  # JSON, e.g. a Teams ConversationReference
    sa.Column("updated_at", sa.Float, nullable=False),
)

# Versioned migrations: each runs once, in order, inside a transaction. Version 1 creates the
# schema above; a later change to a table appends a migration (ALTER TABLE ...) here.
MIGRATIONS: list[Callable[[sa.Connection], None]] = [
    lambda connection: metadata.create_all(connection),
]

JOB_COLUMNS = {"nudge": ("next_nudge_at", "nudges"), "reminder": ("next_reminder_at", "reminders")}
JOB_CLAIMS = {"nudge": "nudge_claimed_until", "reminder": "reminder_claimed_until"}
SCHEDULER_OWNED = {"nudge_claimed_until", "reminder_claimed_until", "last_nudged_at", "nudges_sent", "created_at"}
OPEN = "open"
DECISIONS = {"approve": "approved", "send_back": "sent_back", "uphold": "upheld", "overturn": "overturned"}


class StoreError(Exception):
    """The database cannot be used; the message names the setting or file and says why."""


@dataclass
class UserRecord:
    id: str
    name: str = ""
    account: str | None = None
    on_duty: str | None = None
    timezone: str | None = None
    work_start: int | None = None
    work_end: int | None = None
    nudges: bool = True
    reminders: bool = True
    snooze_until: float | None = None
    next_nudge_at: float | None = None
    next_reminder_at: float | None = None
    nudge_claimed_until: float | None = None
    reminder_claimed_until: float | None = None
    last_nudged_at: float | None = None
    nudges_sent: int = 0
    unreachable: bool = False
    team: str = ""
    awaiting: str | None = None
    created_at: float = field(default_factory=time.time)


@dataclass
class ReviewItem:
    id: int
    kind: str
    author_id: str
    author_name: str
    draft: str | None
    account: str
    on_duty: bool
    verdict: str
    rules: list[str]
    reason: str
    status: str
    decided_by: str | None
    decided_at: float | None
    comment: str
    created_at: float
    purge_after: float
    exported: bool

    def __repr__(self) -> str:
        return f"ReviewItem(#{self.id}, {self.kind}, {self.status})"


@dataclass
class QuizSession:
    user_id: str
    session_id: str
    question_ids: list[str]
    position: int
    correct: int
    started_at: float


def database_url(setting: str) -> str:
    """POLICYBOT_DATABASE: a file path, sqlite:///path or postgresql://..."""
    if setting.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + setting.split("://", 1)[1]
    if setting.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return setting
    if setting.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + setting.removeprefix("sqlite:///")
    if "://" in setting:
        raise StoreError(f"POLICYBOT_DATABASE: unsupported database URL scheme {setting.split('://')[0]!r}")
    return f"sqlite+aiosqlite:///{Path(setting).expanduser()}"


class Store:
    def __init__(self, engine: AsyncEngine, label: str) -> None:
        self.engine = engine
        self.label = label
        self.is_postgres = engine.dialect.name == "postgresql"
        self.busy_timeout_ms = 5000

    @classmethod
    async def open(cls, setting: str) -> Store:
        url = database_url(setting)
        if url.startswith("sqlite"):
            path = Path(url.split(":///", 1)[1])
            if not path.parent.is_dir():
                raise StoreError(f"POLICYBOT_DATABASE: the folder {path.parent} does not exist")
            engine = create_async_engine(url, connect_args={"timeout": 0.2})
            label = str(path)
        else:
            engine = create_async_engine(url, pool_pre_ping=True, pool_size=5)
            label = sa.make_url(url).render_as_string(hide_password=True)
        store = cls(engine, label)
        await store.migrate()
        return store

    async def close(self) -> None:
        await self.engine.dispose()

    async def _run(self, work: Callable[[AsyncConnection], Any]) -> Any:
        try:
            async with self.engine.begin() as connection:
                if not self.is_postgres:
                    await connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
                return await work(connection)
        except IntegrityError:
            raise
        except DBAPIError as error:
            raise StoreError(self._explain(error)) from None
        except OSError as error:
            raise StoreError(f"POLICYBOT_DATABASE: cannot reach {self.label}: {error}") from None

    def _explain(self, error: DBAPIError) -> str:
        text = str(error.orig)
        if "locked" in text:
            return f"the database file {self.label} is locked by another process; try again in a moment"
        if "file is not a database" in text or "malformed" in text:
            return f"POLICYBOT_DATABASE: {self.label} is not a readable policybot database ({text})"
        if "unable to open" in text or "readonly" in text:
            return f"POLICYBOT_DATABASE: cannot open {self.label} ({text})"
        return f"POLICYBOT_DATABASE: {self.label}: {text}"

    async def migrate(self) -> int:
        async def work(connection: AsyncConnection) -> int:
            await connection.run_sync(lambda c: schema_version.create(c, checkfirst=True))
            current = (await connection.execute(sa.select(sa.func.max(schema_version.c.version)))).scalar() or 0
            for version, step in enumerate(MIGRATIONS[current:], start=current + 1):
                await connection.run_sync(step)
                await connection.execute(schema_version.insert().values(version=version))
            return len(MIGRATIONS)

        return await self._run(work)

    # users -------------------------------------------------------------------------------
    async def get_user(self, user_id: str, name: str = "", team: str = "") -> UserRecord:
        async def work(connection: AsyncConnection) -> UserRecord:
            row = (await connection.execute(sa.select(users).where(users.c.id == user_id))).mappings().first()
            if row is None:
                record = UserRecord(id=user_id, name=name, team=team)
                try:
                    async with connection.begin_nested():
                        await connection.execute(users.insert().values(**asdict(record)))
                except IntegrityError:
                    row = (await connection.execute(sa.select(users).where(users.c.id == user_id))).mappings().one()
                    return UserRecord(**row)
                return record
            return UserRecord(**row)

        return await self._run(work)

    async def save_user(self, record: UserRecord) -> None:
        """Save a user's settings; the scheduler's own columns (claims, counters) are left alone."""
        values = {k: v for k, v in asdict(record).items() if k not in SCHEDULER_OWNED}

        async def work(connection: AsyncConnection) -> None:
            await connection.execute(users.update().where(users.c.id == record.id).values(**values))

        await self._run(work)

    async def all_users(self) -> list[UserRecord]:
        async def work(connection: AsyncConnection) -> list[UserRecord]:
            rows = (await connection.execute(sa.select(users).order_by(users.c.id))).mappings().all()
            return [UserRecord(**row) for row in rows]

        return await self._run(work)

    # quiz --------------------------------------------------------------------------------
    async def quiz_states(self, user_id: str) -> dict[str, dict]:
        async def work(connection: AsyncConnection) -> dict[str, dict]:
            rows = (await connection.execute(sa.select(quiz_state).where(quiz_state.c.user_id == user_id))).mappings()
            return {row["question_id"]: dict(row) for row in rows}

        return await self._run(work)

    async def get_quiz_session(self, user_id: str) -> QuizSession | None:
        async def work(connection: AsyncConnection) -> QuizSession | None:
            query = sa.select(quiz_sessions).where(quiz_sessions.c.user_id == user_id)
            row = (await connection.execute(query)).mappings().first()
            if row is None:
                return None
            return QuizSession(**{**row, "question_ids": json.loads(row["question_ids"])})

        return await self._run(work)

    async def start_quiz_session(self, session: QuizSession) -> None:
        async def work(connection: AsyncConnection) -> None:
            await connection.execute(quiz_sessions.delete().where(quiz_sessions.c.user_id == session.user_id))
            await connection.execute(
                quiz_sessions.insert().values(**{**asdict(session), "question_ids": json.dumps(session.question_ids)})
            )

        await self._run(work)

    async def answer_quiz(
        self, session: QuizSession, question_id: str, correct: bool, box: int, due_at: float, now: float
    ) -> bool:
        """Record one answer, if the session is still at this position (a stale click records nothing)."""

        async def work(connection: AsyncConnection) -> bool:
            moved = await connection.execute(
                quiz_sessions.update()
                .where(
                    quiz_sessions.c.user_id == session.user_id,
                    quiz_sessions.c.session_id == session.session_id,
                    quiz_sessions.c.position == session.position,
                )
                .values(position=session.position + 1, correct=session.correct + int(correct))
            )
            if moved.rowcount != 1:
                return False
            key = (quiz_state.c.user_id == session.user_id) & (quiz_state.c.question_id == question_id)
            row = (await connection.execute(sa.select(quiz_state).where(key))).mappings().first()
            if row is None:
                await connection.execute(
                    quiz_state.insert().values(
                        user_id=session.user_id,
                        question_id=question_id,
                        box=box,
                        due_at=due_at,
                        seen=1,
                        correct=int(correct),
                        last_at=now,
                    )
                )
            else:
                await connection.execute(
                    quiz_state.update()
                    .where(key)
                    .values(
                        box=box,
                        due_at=due_at,
                        seen=row["seen"] + 1,
                        correct=row["correct"] + int(correct),
                        last_at=now,
                    )
                )
            if session.position + 1 >= len(session.question_ids):
                await connection.execute(
                    quiz_results.insert().values(
                        user_id=session.user_id,
                        session_id=session.session_id,
                        score=session.correct + int(correct),
                        total=len(session.question_ids),
                        finished_at=now,
                    )
                )
                await connection.execute(quiz_sessions.delete().where(quiz_sessions.c.user_id == session.user_id))
            return True

        return await self._run(work)

    async def end_quiz_session(self, user_id: str, session_id: str) -> None:
        async def work(connection: AsyncConnection) -> None:
            await connection.execute(
                quiz_sessions.delete().where(
                    quiz_sessions.c.user_id == user_id, quiz_sessions.c.session_id == session_id
                )
            )

        await self._run(work)

    async def quiz_results(self, user_id: str | None = None, since: float | None = None) -> list[dict]:
        async def work(connection: AsyncConnection) -> list[dict]:
            query = sa.select(quiz_results).order_by(quiz_results.c.finished_at)
            if user_id is not None:
                query = query.where(quiz_results.c.user_id == user_id)
            if since is not None:
                query = query.where(quiz_results.c.finished_at >= since)
            return [dict(row) for row in (await connection.execute(query)).mappings()]

        return await self._run(work)

    # reviews -----------------------------------------------------------------------------
    async def create_review(self, **values: Any) -> int:
        values = {**values, "rules": json.dumps(values["rules"]), "status": OPEN}

        async def work(connection: AsyncConnection) -> int:
            result = await connection.execute(reviews.insert().values(**values).returning(reviews.c.id))
            return int(result.scalar_one())

        return await self._run(work)

    async def get_review(self, review_id: int) -> ReviewItem | None:
        async def work(connection: AsyncConnection) -> ReviewItem | None:
            row = (await connection.execute(sa.select(reviews).where(reviews.c.id == review_id))).mappings().first()
            return _review(row) if row else None

        return await self._run(work)

    async def list_reviews(self, status: str | None = OPEN) -> list[ReviewItem]:
        async def work(connection: AsyncConnection) -> list[ReviewItem]:
            query = sa.select(reviews).order_by(reviews.c.id)
            if status is not None:
                query = query.where(reviews.c.status == status)
            return [_review(row) for row in (await connection.execute(query)).mappings()]

        return await self._run(work)

    async def set_review_reason(self, review_id: int, author_id: str, reason: str) -> bool:
        async def work(connection: AsyncConnection) -> bool:
            result = await connection.execute(
                reviews.update()
                .where(reviews.c.id == review_id, reviews.c.author_id == author_id, reviews.c.status == OPEN)
                .values(reason=reason)
            )
            return result.rowcount == 1

        return await self._run(work)

    async def decide_review(
        self, review_id: int, status: str, decided_by: str, comment: str, now: float, keep_draft: bool
    ) -> bool:
        """Compare-and-set: only an open item can be decided, so it is decided once."""

        async def work(connection: AsyncConnection) -> bool:
            values: dict[str, Any] = {
                "status": status,
                "decided_by": decided_by,
                "decided_at": now,
                "comment": comment,
            }
            if not keep_draft:
                values["draft"] = None
            result = await connection.execute(
                reviews.update().where(reviews.c.id == review_id, reviews.c.status == OPEN).values(**values)
            )
            return result.rowcount == 1

        return await self._run(work)

    async def mark_exported(self, review_ids: list[int]) -> None:
        async def work(connection: AsyncConnection) -> None:
            await connection.execute(
                reviews.update().where(reviews.c.id.in_(review_ids)).values(exported=True, draft=None)
            )

        await self._run(work)

    async def purge_drafts(self, now: float) -> int:
        """Drop the text of every review item past its purge time."""

        async def work(connection: AsyncConnection) -> int:
            result = await connection.execute(
                reviews.update().where(reviews.c.purge_after <= now, reviews.c.draft.is_not(None)).values(draft=None)
            )
            return result.rowcount

        return await self._run(work)

    # scheduled jobs (quiz nudges, disclaimer reminders) --------------------------------------
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


def _review(row: Any) -> ReviewItem:
    return ReviewItem(**{**row, "rules": json.loads(row["rules"])})
