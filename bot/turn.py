"""One turn of a conversation: the incoming message, the user's record and the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from bot.messages import Choice, Incoming
from bot.payloads import decode as decode_payload
from bot.payloads import encode
from bot.services import Services
from bot.store import UserRecord

P = TypeVar("P")


@dataclass
class Turn:
    services: Services
    incoming: Incoming
    user: UserRecord
    offline: bool = False  # the store is down: the user's record is a stand-in with the defaults

    @property
    def is_reviewer(self) -> bool:
        return self.incoming.reviewer or self.user.id in self.services.reviewers

    def payload(self, kind: type[P]) -> P:
        """The clicked button's payload; raises payloads.Expired for any other value."""
        return decode_payload(self.incoming.value, kind)

    async def save_user(self) -> None:
        await self.services.store.save_user(self.user)


def choice(label: str, action: str, payload: Any, style: Literal["default", "primary", "danger"] = "default") -> Choice:
    return Choice(label, action, "" if payload is None else encode(payload), style)
