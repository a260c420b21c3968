"""The database schema, its versioned migrations, and the records the store returns."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

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
    sa.Column("language", sa.String(8)),  # en | fr | es | NULL (the language they write in)
    sa.Column("wrote_in", sa.String(8)),  # the language of their last message that showed one
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


def _add_column(connection: sa.Connection, table: str, column: str) -> None:
    """ALTER TABLE ... ADD COLUMN, unless version 1 of today's schema created it already."""
    if column.split()[0] not in {c["name"] for c in sa.inspect(connection).get_columns(table)}:
        connection.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column}"))


# Versioned migrations: each runs once, in order, inside a transaction. Version 1 creates the
# schema above; a later change to a table appends a migration (ALTER TABLE ...) here.
MIGRATIONS: list[Callable[[sa.Connection], None]] = [
    lambda connection: metadata.create_all(connection),
    # 2: working hours in minutes after midnight (half hours, night shifts), not whole hours
    lambda connection: connection.execute(
        users.update()
        .where(users.c.work_start.is_not(None))
        .values(work_start=users.c.work_start * 60, work_end=users.c.work_end * 60)
    ),
    # 3: the language the bot answers in
    lambda connection: _add_column(connection, "users", "language VARCHAR(8)"),
    # 4: the language they last wrote in, so that every replica answers a button in it
    lambda connection: _add_column(connection, "users", "wrote_in VARCHAR(8)"),
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
    language: str | None = None
    wrote_in: str | None = None

    @property
    def speaks(self) -> str | None:
        """The language for a message that answers nothing they wrote: chosen, else last written."""
        return self.language or self.wrote_in


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

    @property
    def finished(self) -> bool:
        return self.position >= len(self.question_ids)


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


def _review(row: Any) -> ReviewItem:
    return ReviewItem(**{**row, "rules": json.loads(row["rules"])})
