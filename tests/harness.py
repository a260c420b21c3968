"""Conversation tests that read like a conversation: `await alice.say("...")` returns the Reply."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import Bot
from bot.messages import Choice, Incoming, Reply, User
from bot.messenger import InboxMessenger


@dataclass
class Person:
    bot: Bot
    user: User

    async def say(self, text: str) -> Reply:
        return await self.bot.handle(Incoming("test", self.user, self.user.id, "message", text=text))

    async def command(self, argument: str) -> Reply:
        return await self.bot.handle(
            Incoming("test", self.user, self.user.id, "command", command="policy", argument=argument)
        )

    async def press(self, choice: Choice) -> Reply:
        return await self.bot.handle(
            Incoming("test", self.user, self.user.id, "action", action=choice.action, value=choice.value)
        )

    async def click(self, reply: Reply, label: str) -> Reply:
        matches = [c for c in reply.choices if c.label.lower().startswith(label.lower())]
        assert matches, f"no choice {label!r} in {[c.label for c in reply.choices]}"
        return await self.press(matches[0])

    async def inbox(self) -> list[Reply]:
        assert isinstance(self.bot.messenger, InboxMessenger)
        return await self.bot.messenger.take(self.user.id, self.bot.policy)


def text_of(reply: Reply) -> str:
    return reply.plain()
