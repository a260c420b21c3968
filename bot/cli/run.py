"""`policybot chat`, `serve` and `teams package`: the chat platforms the adapters registered."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import db_option, fail
from bot.platforms import PlatformMissing, entry


def _run(name: str, **options) -> None:
    try:
        runner = entry(name)
    except PlatformMissing as error:
        fail(error)
    runner(**options)


@click.command()
@db_option
@click.option("--user", "user_name", default=None, help="Who you are in this chat (default: your login name).")
@click.option("--reviewer", "--as-reviewer", "reviewer", is_flag=True, help="Also see and decide the review queue.")
@click.option("--pack", type=click.Path(file_okay=False, path_type=Path), default=None, help="Policy pack directory.")
def chat(database, user_name, reviewer, pack) -> None:
    """Talk to the assistant in this terminal (no credentials, a local SQLite file)."""
    _run("console", database=database, user_name=user_name, reviewer=reviewer, pack=pack)


@click.command()
@click.option("--slack", is_flag=True, help="Serve Slack (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or SLACK_APP_TOKEN).")
@click.option("--teams", is_flag=True, help="Serve Microsoft Teams at /api/messages.")
@click.option("--socket-mode", is_flag=True, help="Slack over Socket Mode (no inbound internet needed).")
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", default=3000, show_default=True, type=int, help="Port to listen on.")
def serve(slack, teams, socket_mode, host, port) -> None:
    """Run the bot for Slack and/or Teams (endpoints /slack/events, /api/messages, /healthz)."""
    if not (slack or teams):
        raise click.UsageError("choose --slack, --teams or both")
    if socket_mode and not slack:
        raise click.UsageError("--socket-mode goes with --slack")
    _run("server", slack=slack, teams=teams, socket_mode=socket_mode, host=host, port=port)


@click.group()
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
    _run("teams-package", app_id=app_id or "", out=out, source=source)
