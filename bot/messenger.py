"""Proactive messages: the core tells a user something outside a turn (review outcomes, nudges).

Each adapter implements `Messenger` (Slack: chat.postMessage to the DM; Teams:
continue_conversation). `InboxMessenger` keeps messages in the store until the user next
opens a conversation: the console chat uses it.
"""

from __future__ import annotations

import time
from typing import Protocol

from bot.messages import Reply, reply_from_dict, reply_to_dict
from bot.store import Store

REVIEWERS_INBOX = "reviewers"


class Unreachable(Exception):
    """The user blocked the bot or left the workspace: mark them and stop trying."""


class Messenger(Protocol):
    async def send(self, user_id: str, reply: Reply) -> None: ...

    async def send_reviewers(self, reply: Reply) -> None: ...


class InboxMessenger:
    def __init__(self, store: Store, reviewers: tuple[str, ...] = ()) -> None:
        self.store = store
        self.reviewers = reviewers

    async def send(self, user_id: str, reply: Reply) -> None:
        await self.store.put_inbox(user_id, reply_to_dict(reply), time.time())

    async def send_reviewers(self, reply: Reply) -> None:
        for user_id in (*self.reviewers, REVIEWERS_INBOX):
            await self.send(user_id, reply)

    async def take(self, user_id: str) -> list[Reply]:
        return [reply_from_dict(payload) for payload in await self.store.take_inbox(user_id)]
