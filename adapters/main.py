"""The `policybot` entry point: the core's commands plus those that need an adapter."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
from pathlib import Path

import click

from bot.app import build_bot, core_settings, open_store
from bot.cli import cli
from bot.config import ConfigError
from bot.messages import User
from bot.messenger import InboxMessenger
from bot.store import StoreError

db_option = click.option("--db", "database", help="SQLite file or postgresql:// URL (default: POLICYBOT_DATABASE).")


def fail(error: Exception) -> None:
    click.echo(f"Error: {error}", err=True)
    sys.exit(2)


@cli.command()
@db_option
@click.option("--user", "user_name", default=None, help="Who you are in this chat (default: your login name).")
@click.option("--reviewer", "--as-reviewer", "reviewer", is_flag=True, help="Also see and decide the review queue.")
@click.option("--pack", type=click.Path(file_okay=False, path_type=Path), default=None, help="Policy pack directory.")
def chat(database, user_name, reviewer, pack) -> None:
    """Talk to the assistant in this terminal (no credentials, a local SQLite file)."""
    from adapters.console import ConsoleChat, terminal_lines

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


@cli.command()
@click.option("--slack", is_flag=True, help="Serve Slack (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or SLACK_APP_TOKEN).")
@click.option("--teams", is_flag=True, help="Serve Microsoft Teams at /api/messages.")
@click.option("--socket-mode", is_flag=True, help="Slack over Socket Mode (no inbound internet needed).")
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", default=3000, show_default=True, type=int, help="Port to listen on.")
def serve(slack, teams, socket_mode, host, port) -> None:
    """Run the bot for Slack and/or Teams (endpoints /slack/events, /api/messages, /healthz)."""
    from adapters.serve import serve as run_server

    if not (slack or teams):
        raise click.UsageError("choose --slack, --teams or both")
    if socket_mode and not slack:
        raise click.UsageError("--socket-mode goes with --slack")
    from adapters.slack.server import SocketModeDown

    try:
        asyncio.run(run_server(slack, teams, socket_mode, host, port))
    except (ConfigError, StoreError) as error:
        fail(error)
    except SocketModeDown as error:
        click.echo(f"Error: {error}; exiting so that a supervisor restarts policybot", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        pass


@cli.group()
def teams() -> None:
    """Microsoft Teams helpers."""


@teams.command()
@click.option("--app-id", envvar="MICROSOFT_APP_ID", help="The Azure Bot's app id (default: MICROSOFT_APP_ID).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default="policybot-teams.zip",
    show_default=True,
    help="Where to write the zip.",
)
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with manifest.json and the icons (default: deploy/teams of this checkout).",
)
def package(app_id, out, source) -> None:
    """Zip the Teams app manifest and icons for upload (Teams admin center or 'Upload a custom app')."""
    from adapters.teams.package import MANIFEST_DIR, build_package

    try:
        click.echo(f"wrote {build_package(app_id or '', out, source or MANIFEST_DIR)}")
    except (OSError, ValueError) as error:
        fail(error)


@cli.group()
def review() -> None:
    """The review queue: export examples from overturned appeals, purge old drafts."""


@review.command(name="export-examples")
@db_option
@click.option("--out", type=click.File("w"), default="-", help="Where to write the JSON lines (default: stdout).")
def export_examples_command(database, out) -> None:
    """Overturned appeals as JSON lines for your overlay pack's examples/ (then policy train)."""
    from bot.reviews import export_examples

    async def run() -> str:
        values = core_settings({"database": database})
        bot = await build_bot(values, lambda store: InboxMessenger(store))
        try:
            return await export_examples(bot)
        finally:
            await bot.store.close()

    try:
        out.write(asyncio.run(run()))
    except (ConfigError, StoreError) as error:
        fail(error)


@review.command()
@db_option
def purge(database) -> None:
    """Drop the text of review drafts past their retention time (the server does this hourly)."""
    import time

    async def run() -> int:
        store = await open_store(core_settings({"database": database})["database"])
        try:
            return await store.purge_drafts(time.time())
        finally:
            await store.close()

    try:
        click.echo(f"purged {asyncio.run(run())} draft(s)")
    except (ConfigError, StoreError) as error:
        fail(error)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
