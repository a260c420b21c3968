"""What a dialog may use: the `Services` protocol, and the small parts it is made of.

Dialogs get a `Turn` over `Services`, never the `Bot` itself, so they cannot reach into the
pipeline and no dialog module imports the core.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from bot.config import CORE_SETTINGS
from bot.engine_pool import EnginePool
from bot.llm import Assistant
from bot.messages import Reply
from bot.store import Store
from policy import Policy

V = TypeVar("V")


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


class Expiring(Generic[V]):
    """Values kept in memory only (never stored) for `ttl` seconds, at most `limit` of them: when
    full, the oldest tenth goes first."""

    def __init__(self, ttl: float = 3600, limit: int = 10_000) -> None:
        self.ttl, self.limit = ttl, limit
        self._items: dict[str, tuple[float, V]] = {}  # in the order put, so the oldest first

    def put(self, key: str, value: V, now: float) -> None:
        self._items.pop(key, None)
        if len(self._items) >= self.limit:
            for old in list(self._items)[: self.limit // 10]:
                del self._items[old]
        self._items[key] = (now + self.ttl, value)

    def get(self, key: str, now: float) -> V | None:
        held = self._items.get(key)
        return held[1] if held and held[0] > now else None

    def forget(self, key: str) -> None:
        self._items.pop(key, None)


class DraftCache:
    """Texts that do not fit in a button value, under a random token, in memory only for a while."""

    def __init__(self, ttl: float = 3600, limit: int = 10_000) -> None:
        self._texts: Expiring[str] = Expiring(ttl, limit)

    def put(self, text: str, now: float) -> str:
        token = f"{random.getrandbits(64):016x}"
        self._texts.put(token, text, now)
        return token

    def get(self, token: str, now: float) -> str | None:
        return self._texts.get(token, now)


class LastVerdicts(Expiring[tuple[str, str]]):
    """Each user's last verdict and the button value behind it, (verdict, DraftRef value), in memory
    only for an hour: a follow-up typed instead of a button pressed acts on it (`bot/followups.py`).
    With several replicas, only the one that gave the verdict holds it."""


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
