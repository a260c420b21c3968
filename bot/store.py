"""The store: users and settings, quiz state and results, review items, processed events, inboxes.

One implementation over SQLAlchemy Core serves SQLite (the default: a file, no server) and
PostgreSQL (several replicas), with the same tables and versioned migrations. Draft text is
stored only in review items, which its author chose to send, and is purged on schedule.
"""

from __future__ import annotations

from bot.schema import DECISIONS, OPEN, QuizSession, ReviewItem, StoreError, UserRecord, database_url, users
from bot.store_jobs import JobRecords
from bot.store_records import QuizRecords, ReviewRecords

__all__ = [
    "DECISIONS",
    "OPEN",
    "QuizSession",
    "ReviewItem",
    "Store",
    "StoreError",
    "UserRecord",
    "database_url",
    "users",
]


class Store(QuizRecords, ReviewRecords, JobRecords):
    """All of the store's records over one engine (see the mixins in bot/store_records.py)."""
