"""Work started after an ack: tracked tasks with done-callbacks, drained on shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine

log = logging.getLogger("policybot")


class TaskTracker:
    def __init__(self) -> None:
        self.tasks: set[asyncio.Task] = set()

    def start(self, work: Coroutine, name: str) -> asyncio.Task:
        task = asyncio.create_task(work, name=name)
        self.tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed: %r", task.get_name(), task.exception())

    async def drain(self, timeout: float = 10) -> None:
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=timeout)
