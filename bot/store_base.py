"""The store's connection handling, migrations and users; `bot.store.Store` adds the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.schema import (
    MIGRATIONS,
    SCHEDULER_OWNED,
    StoreError,
    UserRecord,
    database_url,
    schema_version,
    users,
)


class StoreBase:
    def __init__(self, engine: AsyncEngine, label: str, path: Path | None = None) -> None:
        self.engine = engine
        self.label = label
        self.path = path  # the SQLite file, whose identity is checked before every transaction
        self.identity: tuple[int, int] | None = None
        self.started_afresh = False  # a new SQLite file where an earlier one had been
        self.is_postgres = engine.dialect.name == "postgresql"
        self.busy_timeout_ms = 5000

    @classmethod
    async def open(cls, setting: str):  # -> the subclass
        url = database_url(setting)
        path: Path | None = None
        if url.startswith("sqlite"):
            path = Path(url.split(":///", 1)[1])
            if not path.parent.is_dir():
                raise StoreError(f"POLICYBOT_DATABASE: the folder {path.parent} does not exist")
            engine = create_async_engine(url, connect_args={"timeout": 0.2})
            label = str(path)
        else:
            try:
                engine = create_async_engine(url, pool_pre_ping=True, pool_size=5)
            except ModuleNotFoundError:
                raise StoreError(
                    "POLICYBOT_DATABASE: PostgreSQL needs the postgres extra: pip install 'policybot[postgres]'"
                ) from None
            label = sa.make_url(url).render_as_string(hide_password=True)
        store = cls(engine, label, path)
        if path is not None:
            store.started_afresh = not path.exists() and _marker(path).exists()
        await store.migrate()
        if path is not None:
            _marker(path).touch()
            store.identity = _identity(path)
        return store

    async def close(self) -> None:
        await self.engine.dispose()

    def check_identity(self) -> None:
        """A SQLite file deleted or replaced under a running bot is refused, not written to."""
        if self.path is None or self.identity is None:
            return
        if _identity(self.path) != self.identity:
            raise StoreError(
                f"POLICYBOT_DATABASE: the database file {self.label} was deleted or replaced while policybot "
                "was running; nothing was written. Restore it, or restart policybot to use the file now there."
            )

    async def ping(self) -> None:
        """Raises StoreError unless the database answers (readiness)."""
        await self._run(lambda connection: connection.execute(sa.text("SELECT 1")))

    async def _run(self, work: Callable[[AsyncConnection], Any]) -> Any:
        self.check_identity()
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


def _marker(path: Path) -> Path:
    """Left beside a SQLite file policybot created, so a deleted database is noticed."""
    return path.with_name(path.name + ".created")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)
