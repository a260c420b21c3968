"""The terminal chat: the same core, no credentials, a local SQLite file.

Interactive in a terminal (readline history, coloured verdicts, choices as numbered
options); when stdin is not a terminal it reads one line per message, so a scripted
session is a pipe.
"""

from __future__ import annotations

import asyncio
import getpass
import io
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TextIO

import click
from rich.console import Console
from rich.text import Text as RichText

from bot.app import STARTED_AFRESH, build_bot, core_settings
from bot.cli.common import fail
from bot.config import ConfigError
from bot.core import Bot
from bot.messages import Choice, Choices, Fields, Incoming, Note, Reply, Text, User, VerdictBlock
from bot.messenger import REVIEWERS_INBOX, InboxMessenger
from bot.store import StoreError
from bot.styled import Span

COLOURS = {"ok": "green", "disclaimer": "cyan", "review": "yellow", "stop": "red"}
EMOJI = {"ok": "✅", "disclaimer": "📝", "review": "🟡", "stop": "🛑"}
SPAN_STYLES = {"bold": "bold", "italic": "italic", "code": "cyan", "pre": "cyan", "quote": "dim italic"}


def rich_text(spans: tuple[Span, ...]) -> RichText:
    out = RichText()
    for span in spans:
        text = span.text
        if "quote" in span.styles:
            text = "\n".join(f"│ {line}" for line in text.split("\n"))
        out.append(text, style=" ".join(SPAN_STYLES[s] for s in sorted(span.styles)) or None)
    return out


def render(reply: Reply, colour: bool) -> tuple[str, list[Choice]]:
    """Reply -> terminal text (colours and styles with rich), with choices numbered from 1."""
    parts: list[RichText] = []
    numbered: list[Choice] = []
    for block in reply.blocks:
        if isinstance(block, Text):
            parts.append(rich_text(block.spans))
        elif isinstance(block, Note):
            parts.append(RichText(block.text, style="dim"))
        elif isinstance(block, VerdictBlock):
            headline = f"{EMOJI[block.level]} {block.level.upper()}: {block.summary}"
            parts.append(RichText(headline, style=f"bold {COLOURS[block.level]}"))
            for finding in block.findings:
                parts.append(RichText(f"  - [{finding.level}] {finding.section_title}: {finding.message}"))
                if finding.highlights:
                    quoted = ", ".join(f'"{h.text}"' for h in finding.highlights[:3])
                    parts.append(RichText(f"      {block.found}: {quoted}", style=COLOURS[finding.level]))
                if basis := finding.basis(block.reads_like):
                    parts.append(RichText(f"      {basis}", style="dim"))
        elif isinstance(block, Fields):
            if block.title:
                parts.append(RichText(block.title, style="bold"))
            parts.extend(RichText(f"  {name}: {value}") for name, value in block.fields)
        elif isinstance(block, Choices):
            if block.prompt:
                parts.append(RichText(block.prompt))
            for item in block.choices:
                numbered.append(item)
                parts.append(RichText(f"  [{len(numbered)}] {item.label}"))
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=colour, no_color=not colour, width=100_000, highlight=False)
    terminal.print(RichText("\n").join(parts), soft_wrap=True, end="")
    return buffer.getvalue(), numbered


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

    async def run(self, lines: AsyncIterator[str], paste_window: float = 0.0) -> None:
        await self.deliver_inbox()
        async for message in messages(lines, paste_window):
            if message.strip().lower() in ("quit", "exit", "/quit"):
                break
            if message.strip():
                await self.say(message)


PASTE_WINDOW = 0.03  # seconds: lines closer together than this were pasted, not typed
FENCE = '"""'


async def messages(lines: AsyncIterator[str], paste_window: float = 0.0) -> AsyncIterator[str]:
    """Lines -> messages. Lines between two `\"\"\"` lines are one message; with a paste window,
    so are lines that arrive within it of each other (a paste in a terminal)."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    async def pump() -> None:
        async for line in lines:
            await queue.put(line.rstrip("\n"))
        await queue.put(None)

    task = asyncio.create_task(pump())
    try:
        while (line := await queue.get()) is not None:
            parts = [line]
            if line.strip() == FENCE:
                parts = []
                while (line := await queue.get()) is not None and line.strip() != FENCE:
                    parts.append(line)
            elif paste_window:
                while True:
                    try:
                        more = await asyncio.wait_for(queue.get(), paste_window)
                    except TimeoutError:
                        break
                    if more is None:
                        line = None
                        break
                    parts.append(more)
            yield "\n".join(parts)
            if line is None:
                return
    finally:
        task.cancel()


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
        await bot.warm_up()
        if bot.store.started_afresh:
            click.echo(f"Warning: {STARTED_AFRESH.format(path=bot.store.label)}", err=True)
        try:
            colour = sys.stdout.isatty()
            console = ConsoleChat(bot, User(f"console:{name}", name), reviewer, sys.stdout, colour)
            if sys.stdin.isatty():
                click.echo(f"policybot: checking drafts against the {bot.policy.name} policy. Type help, or quit.")
            interactive = sys.stdin.isatty()
            await console.run(terminal_lines("> " if interactive else ""), PASTE_WINDOW if interactive else 0.0)
        finally:
            await bot.store.close()

    try:
        asyncio.run(run())
    except (ConfigError, StoreError) as error:
        fail(error)
    except KeyboardInterrupt:
        pass
