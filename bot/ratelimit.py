"""Token buckets for proactive messages: a global rate and a rate per conversation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bot.messages import Reply


class TokenBucket:
    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate, self.capacity = rate, burst if burst is not None else max(1.0, rate)
        self.tokens, self.clock, self.sleep = self.capacity, clock, sleep
        self.updated = clock()
        self.lock = asyncio.Lock()

    async def take(self) -> None:
        async with self.lock:
            while True:
                now = self.clock()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await self.sleep((1 - self.tokens) / self.rate)

    def pause(self, seconds: float) -> None:
        """Honour a Retry-After: no tokens until it has passed."""
        self.tokens = min(self.tokens, 0.0) - seconds * self.rate


class RateLimitedMessenger:
    """Wraps a platform messenger: every proactive send waits for the global and the per-user bucket."""

    def __init__(self, inner, global_rate: float, per_conversation_rate: float) -> None:
        self.inner = inner
        self.global_bucket = TokenBucket(global_rate)
        self.per_conversation_rate = per_conversation_rate
        self.buckets: dict[str, TokenBucket] = {}

    async def send(self, user_id: str, reply: Reply) -> None:
        bucket = self.buckets.setdefault(user_id, TokenBucket(self.per_conversation_rate, 1.0))
        await bucket.take()
        await self.global_bucket.take()
        await self.inner.send(user_id, reply)
        if len(self.buckets) > 100_000:
            self.buckets.clear()

    async def send_reviewers(self, reply: Reply, review_id: int | None = None) -> None:
        await self.global_bucket.take()
        await self.inner.send_reviewers(reply, review_id)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)
