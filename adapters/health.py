"""The server's edges: admission (503 when draining or past the queue depth), the drain on
SIGTERM, and /livez, /readyz and /metrics."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adapters.tasks import TaskTracker
from bot.config import Setting, positive_float, positive_int
from bot.core import Bot
from bot.metrics import QUEUE_DEPTH
from bot.store import StoreError

log = logging.getLogger("policybot")
PLATFORM_PATHS = ("/slack/events", "/api/messages")
SERVE_SETTINGS = {
    "drain_seconds": Setting(
        "POLICYBOT_DRAIN_SECONDS", positive_float, 25.0, help="seconds to finish in-flight work after SIGTERM"
    ),
    "max_queue": Setting("POLICYBOT_MAX_QUEUE", positive_int, 200, help="events in flight past which new ones get 503"),
}


@dataclass
class Admission:
    """Counts the work in flight (platform requests being handled, and work after an ack) and
    refuses new platform requests with 503 while draining or past `max_queue`."""

    max_queue: int
    trackers: list[TaskTracker] = field(default_factory=list)
    accepting: bool = True
    requests: int = 0
    refused: int = 0

    @property
    def in_flight(self) -> int:
        return self.requests + sum(len(tracker.tasks) for tracker in self.trackers)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
        if request.path not in PLATFORM_PATHS:
            return await handler(request)
        if not self.accepting or self.in_flight >= self.max_queue:
            self.refused += 1
            reason = "draining" if not self.accepting else "busy"
            return web.json_response({"error": reason}, status=503, headers={"Retry-After": "5"})
        self.requests += 1
        try:
            return await handler(request)
        finally:
            self.requests -= 1

    async def drain(self, grace: float) -> tuple[int, int]:
        """Stop accepting; wait up to `grace` seconds for the work in flight. (finished, left)"""
        self.accepting = False
        before, deadline = self.in_flight, time.monotonic() + grace
        while self.in_flight and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        left = self.in_flight
        log.info("drained finished=%s left=%s grace_s=%.0f", before - left, left, grace)
        return before - left, left


def health_routes(bot: Bot, admission: Admission, checks: list[Callable[[], str]]) -> list[web.RouteDef]:
    """`checks` return "" when fine, else what is wrong (for example the Socket Mode connection)."""
    QUEUE_DEPTH.set_function(lambda: admission.in_flight)

    async def livez(request: web.Request) -> web.Response:
        return web.json_response({"alive": True})

    async def readyz(request: web.Request) -> web.Response:
        problems = {}
        try:
            await asyncio.wait_for(bot.store.ping(), 2.0)
        except (StoreError, TimeoutError) as error:
            problems["store"] = str(error) or "no answer within 2 s"
        if model := bot.policy.model_problem():
            problems["engine"] = model
        for check in checks:
            if problem := check():
                problems["platform"] = problem
        if not admission.accepting:
            problems["draining"] = "shutting down"
        return web.json_response({"ready": not problems, "problems": problems}, status=503 if problems else 200)

    async def metrics(request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    return [
        web.get("/livez", livez),
        web.get("/healthz", livez),
        web.get("/readyz", readyz),
        web.get("/metrics", metrics),
    ]
