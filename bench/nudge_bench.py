"""Nudges per hour through the scheduler, with a fake messenger limited like Slack.

50,000 due users, two scheduler instances (separate connections) on one database, each
sending through a token bucket: 1 message a second per conversation and a global limit.
Duplicates are counted (must be 0).

    python bench/nudge_bench.py [--users 50000] [--global-rate 1000] [--db postgresql://...]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from bot.core import Bot
from bot.messages import Reply
from bot.ratelimit import RateLimitedMessenger
from bot.scheduler import Scheduler, ScheduleSettings
from bot.services import BotSettings
from bot.store import Store, users
from policy import Policy

MONDAY_NOON_NY = 1_773_158_400.0  # 2026-03-10 12:00 America/New_York


class CountingPlatform:
    def __init__(self) -> None:
        self.sent: Counter = Counter()

    async def send(self, user_id: str, reply: Reply) -> None:
        self.sent[user_id] += 1

    async def send_reviewers(self, reply: Reply, review_id: int | None = None) -> None:
        pass


async def seed(store: Store, count: int) -> None:
    prefix = f"slack:T{int(time.time())}:U"  # a fresh set of users on every run
    rows = [
        {
            "id": f"{prefix}{n:06d}",
            "name": "",
            "created_at": 0.0,
            "next_nudge_at": MONDAY_NOON_NY - 60,
            "next_reminder_at": MONDAY_NOON_NY + 90 * 86400,
        }
        for n in range(count)
    ]
    async with store.engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            await connection.execute(users.insert(), rows[start : start + 5000])


async def main(count: int, global_rate: float, instances: int, database: str | None) -> None:
    policy = Policy.load()
    workdir = tempfile.mkdtemp()
    url = database or str(Path(workdir) / "bench.sqlite3")
    stores = [await Store.open(url) for _ in range(instances)]
    await seed(stores[0], count)
    platform_side = CountingPlatform()
    limited = RateLimitedMessenger(platform_side, global_rate, per_conversation_rate=1.0)
    clock = lambda: MONDAY_NOON_NY  # noqa: E731 - a frozen working-hours clock
    schedulers = [
        Scheduler(
            Bot(policy, s, limited, BotSettings(), clock=clock),
            ScheduleSettings(reminder_every_days=0, batch=200, concurrency=50),
            clock=clock,
            rng=random.Random(n),
        )
        for n, s in enumerate(stores)
    ]
    started = time.perf_counter()
    await asyncio.gather(*(s.run_once() for s in schedulers))
    elapsed = time.perf_counter() - started
    sent = sum(platform_side.sent.values())
    duplicates = sum(n - 1 for n in platform_side.sent.values() if n > 1)
    print(
        f"machine: {platform.machine()}, python {platform.python_version()}, database: "
        f"{'PostgreSQL' if stores[0].is_postgres else 'SQLite'}"
    )
    print(
        f"users due: {count:,}; scheduler instances: {instances}; limits: 1/s per conversation, "
        f"{global_rate:,.0f}/s global"
    )
    print(
        f"sent: {sent:,} in {elapsed:.1f} s  ->  {sent / elapsed * 3600:,.0f} nudges/hour "
        f"(the global limit allows {global_rate * 3600:,.0f}/hour: {sent / elapsed / global_rate:.0%} of it)"
    )
    nudged = len(platform_side.sent)
    print(f"users nudged: {nudged:,}; duplicates: {duplicates}; missed: {count - nudged}")
    for store in stores:
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--global-rate", type=float, default=1000.0, help="messages a second, all conversations")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.global_rate, args.instances, args.db))
