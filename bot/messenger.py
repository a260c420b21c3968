"""Proactive messages: the core tells a user something outside a turn (review outcomes, nudges).

Each adapter implements `Messenger` (Slack: chat.postMessage to the DM; Teams:
continue_conversation). `InboxMessenger` keeps messages in the store until the user next
opens a conversation: the console chat uses it.
"""

from __future__ import annotations

import time

from bot.messages import Reply, reply_from_dict, reply_to_dict
from bot.reviews import item_reply
from bot.services import Messenger, Unreachable
from bot.store import Store
from policy import Policy

REVIEWERS_INBOX = "reviewers"
__all__ = ["REVIEWERS_INBOX", "InboxMessenger", "Messenger", "RoutingMessenger", "Unreachable"]


class InboxMessenger:
    def __init__(self, store: Store, reviewers: tuple[str, ...] = ()) -> None:
        self.store = store
        self.reviewers = reviewers

    async def send(self, user_id: str, reply: Reply) -> None:
        await self.store.put_inbox(user_id, reply_to_dict(reply), time.time())

    async def send_reviewers(self, reply: Reply, review_id: int | None = None) -> None:
        """A review item is queued by id, not by content: its draft stays only in the reviews table."""
        for user_id in (*self.reviewers, REVIEWERS_INBOX):
            if review_id is None:
                await self.send(user_id, reply)
            else:
                await self.store.put_inbox(user_id, {"review": review_id}, time.time())

    async def take(self, user_id: str, policy: Policy) -> list[Reply]:
        """The messages waiting for a user; a review item is shown as it is now (decided, purged)."""
        replies = []
        for payload in await self.store.take_inbox(user_id):
            if "review" in payload:
                item = await self.store.get_review(int(payload["review"]))
                if item is not None:
                    replies.append(item_reply(policy, item))
            else:
                replies.append(reply_from_dict(payload))
        return replies


class RoutingMessenger:
    """Several platforms in one process: a user id's prefix (slack:, teams:) picks the messenger."""

    def __init__(self, by_platform: dict[str, Messenger]) -> None:
        self.by_platform = by_platform

    async def send(self, user_id: str, reply: Reply) -> None:
        messenger = self.by_platform.get(user_id.partition(":")[0])
        if messenger is None:
            raise Unreachable(user_id)
        await messenger.send(user_id, reply)

    async def send_reviewers(self, reply: Reply, review_id: int | None = None) -> None:
        for messenger in self.by_platform.values():
            await messenger.send_reviewers(reply, review_id)
