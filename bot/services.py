"""What a dialog may use: the `Services` protocol, and the small parts it is made of.

Dialogs get a `Turn` over `Services`, never the `Bot` itself, so they cannot reach into the
pipeline and no dialog module imports the core.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bot.config import CORE_SETTINGS
from bot.engine_pool import EnginePool
from bot.llm import Assistant
from bot.messages import Reply
from bot.store import Store
from policy import Policy


class Unreachable(Exception):
    """The user blocked the bot or left the workspace: mark them and stop trying."""


class Messenger(Protocol):
    """Proactive messages outside a turn (review outcomes, nudges); each platform has one."""

    async def send(self, user_id: str, reply: Reply) -> None: ...

    async def send_reviewers(self, reply: Reply, review_id: int | None = None) -> None: ...


@dataclass(frozen=True)
class BotSettings:
    """The core's settings; defaults are the settings' own (bot/config.py), written once."""

    reviewers: tuple[str, ...] = CORE_SETTINGS["reviewers"].default
    retention_days: int = CORE_SETTINGS["retention_days"].default
    keep_decided: bool = CORE_SETTINGS["keep_decided"].default
    quiz_length: int = CORE_SETTINGS["quiz_length"].default
    timezone: str = CORE_SETTINGS["timezone"].default
    work_hours: tuple[int, int] = CORE_SETTINGS["work_hours"].default  # minutes after midnight

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> BotSettings:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in names and v is not None})


class DraftCache:
    """Texts that do not fit in a button value, kept in memory only (never stored) for a while."""

    def __init__(self, ttl: float = 3600, limit: int = 10_000) -> None:
        self.ttl, self.limit = ttl, limit
        self._items: dict[str, tuple[float, str]] = {}

    def put(self, text: str, now: float) -> str:
        if len(self._items) >= self.limit:
            for key in sorted(self._items, key=lambda k: self._items[k][0])[: self.limit // 10]:
                del self._items[key]
        token = f"{random.getrandbits(64):016x}"
        self._items[token] = (now + self.ttl, text)
        return token

    def get(self, token: str, now: float) -> str | None:
        expires, text = self._items.get(token, (0.0, ""))
        return text if expires > now else None


class LastVerdicts:
    """Each user's last verdict and the button value behind it, in memory only (never stored),
    for a while: a follow-up typed instead of a button pressed acts on it (`bot/followups.py`).
    With several replicas, only the one that gave the verdict holds it."""

    def __init__(self, ttl: float = 3600, limit: int = 10_000) -> None:
        self.ttl, self.limit = ttl, limit
        self._items: dict[str, tuple[float, str, str]] = {}  # user -> (expires, verdict, DraftRef value)

    def put(self, user_id: str, verdict: str, value: str, now: float) -> None:
        self._items.pop(user_id, None)  # the newest last, so the oldest go first when full
        if len(self._items) >= self.limit:
            for key in list(self._items)[: self.limit // 10]:
                del self._items[key]
        self._items[user_id] = (now + self.ttl, verdict, value)

    def get(self, user_id: str, now: float) -> tuple[str, str] | None:
        expires, verdict, value = self._items.get(user_id, (0.0, "", ""))
        return (verdict, value) if expires > now else None

    def forget(self, user_id: str) -> None:
        self._items.pop(user_id, None)


class Services(Protocol):
    policy: Policy
    store: Store
    messenger: Messenger
    settings: BotSettings
    drafts: DraftCache
    last_verdicts: LastVerdicts
    assistant: Assistant | None
    engine: EnginePool
    rng: random.Random
    clock: Callable[[], float]

    @property
    def reviewers(self) -> set[str]: ...
