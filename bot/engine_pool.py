"""Engine work off the event loop: a pool of worker threads sized to the machine, and a time
budget per call. The encoder, RE2 and numpy release the GIL, so threads run in parallel; a
call past its budget raises `TooComplex` (the worker finishes on its own, its result unused)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

R = TypeVar("R")
DEFAULT_BUDGET = 2.0  # seconds for one draft, question or message


class TooComplex(Exception):
    """The engine did not finish within its budget."""


class EnginePool:
    def __init__(self, workers: int | None = None, budget: float = DEFAULT_BUDGET) -> None:
        self.workers = workers or os.cpu_count() or 2
        self.budget = budget
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="engine")

    async def run(self, work: Callable[..., R], *args: object) -> R:
        future = asyncio.get_running_loop().run_in_executor(self._pool, work, *args)
        try:
            return await asyncio.wait_for(future, self.budget)
        except TimeoutError:
            raise TooComplex(f"over {self.budget:.1f} s") from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
