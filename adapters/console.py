"""The terminal chat: the same core, no credentials, a local SQLite file.

Interactive in a terminal (readline history, coloured verdicts, choices as numbered
options); when stdin is not a terminal it reads one line per message, so a scripted
session is a pipe.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import re
import sys
from pathlib import Path
from typing import TextIO

import click

from bot.app import build_bot, core_settings
from bot.cli.common import fail
from bot.config import ConfigError
from bot.core import Bot
from bot.messages import Choice, Choices, Fields, Incoming, Note, Reply, Text, User, VerdictBlock
from bot.messenger import REVIEWERS_INBOX, InboxMessenger
from bot.store import StoreError

COLOURS = {"ok": "green", "disclaimer": "cyan", "review": "yellow", "stop": "red"}
EMOJI = {"ok": "✅", "disclaimer": "📝", "review": "🟡", "stop": "🛑"}
_MARKUP = re.compile(r"(?<!\w)[*_](\S(?:.*?\S)?)[*_](?!\w)")


def render(reply: Reply, colour: bool) -> tuple[str, list[Choice]]:
    """Reply -> terminal text, with choices numbered from 1."""
    style = click.style if colour else (lambda text, **_: text)
    lines: list[str] = []
    numbered: list[Choice] = []
    for block in reply.blocks:
        if isinstance(block, Text):
            lines.append(_MARKUP.sub(r"\1", block.text))
        elif isinstance(block, Note):
            lines.append(style(block.text, dim=True))
        elif isinstance(block, VerdictBlock):
            headline = f"{EMOJI[block.level]} {block.level.upper()}: {block.summary}"
            lines.append(style(headline, fg=COLOURS[block.level], bold=True))
            for finding in block.findings:
                lines.append(f"  - [{finding.level}] {finding.section_title}: {finding.message}")
                if finding.highlights:
                    quoted = ", ".join(f'"{h.text}"' for h in finding.highlights[:3])
                    lines.append(style(f"      found: {quoted}", fg=COLOURS[finding.level]))
        elif isinstance(block, Fields):
            if block.title:
                lines.append(style(block.title, bold=True))
            lines.extend(f"  {name}: {value}" for name, value in block.fields)
        elif isinstance(block, Choices):
            if block.prompt:
                lines.append(block.prompt)
            for item in block.choices:
                numbered.append(item)
                lines.append(f"  [{len(numbered)}] {item.label}")
    return "\n".join(lines), numbered


class ConsoleChat:
    def __init__(self, bot: Bot, user: User, reviewer: bool, out: TextIO, colour: bool) -> None:
        self.bot, self.user, self.reviewer, self.out, self.colour = bot, user, reviewer, out, colour
        self.choices: list[Choice] = []
        if reviewer:
            bot.extra_reviewers.add(user.id)

    def show(self, reply: Reply) -> None:
        text, choices = render(reply, self.colour)
        if choices:
            self.choices = choices
        self.out.write(text + "\n\n")
        self.out.flush()

    async def deliver_inbox(self) -> None:
        messenger = self.bot.messenger
        if not isinstance(messenger, InboxMessenger):
            return
        replies = await messenger.take(self.user.id, self.bot.policy)
        if self.reviewer:
            replies += await messenger.take(REVIEWERS_INBOX, self.bot.policy)
        for reply in replies:
            self.show(reply)

    def incoming(self, line: str) -> Incoming:
        stripped = line.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.choices):
            picked = self.choices[int(stripped) - 1]
            return Incoming("console", self.user, self.user.id, "action", action=picked.action, value=picked.value)
        return Incoming("console", self.user, self.user.id, "message", text=line)

    async def say(self, line: str) -> None:
        self.show(await self.bot.handle(self.incoming(line)))
        await self.deliver_inbox()

    async def run(self, lines) -> None:
        await self.deliver_inbox()
        async for line in lines:
            if line.strip().lower() in ("quit", "exit", "/quit"):
                break
            if line.strip():
                await self.say(line.rstrip("\n"))


async def terminal_lines(prompt: str):
    """Lines typed at a terminal (with readline), or one message per line from a pipe."""
    interactive = sys.stdin.isatty()
    if interactive:
        import readline  # noqa: F401  (history and editing for input())
    while True:
        try:
            line = (
                await asyncio.to_thread(input, prompt) if interactive else await asyncio.to_thread(sys.stdin.readline)
            )
        except EOFError:
            return
        if not interactive and line == "":
            return
        yield line


def run_chat(database: str | None, user_name: str | None, reviewer: bool, pack: Path | None) -> None:
    """`policybot chat`: the terminal conversation."""
    name = user_name or getpass.getuser()

    async def run() -> None:
        quiet = None if os.environ.get("POLICYBOT_LOG_LEVEL") else "WARNING"  # logs would interleave with the chat
        values = core_settings({"database": database, "pack": str(pack) if pack else None, "log_level": quiet})
        bot = await build_bot(values, lambda store: InboxMessenger(store, values["reviewers"]))
        try:
            colour = sys.stdout.isatty()
            console = ConsoleChat(bot, User(f"console:{name}", name), reviewer, sys.stdout, colour)
            if sys.stdin.isatty():
                click.echo(f"policybot: checking drafts against the {bot.policy.name} policy. Type help, or quit.")
            await console.run(terminal_lines("> " if sys.stdin.isatty() else ""))
        finally:
            await bot.store.close()

    try:
        asyncio.run(run())
    except (ConfigError, StoreError) as error:
        fail(error)
    except KeyboardInterrupt:
        pass
