"""`policybot report` and `policybot review`: what administrators read and keep tidy."""

from __future__ import annotations

import asyncio
import csv
import json
import sys
import time
from datetime import UTC, datetime

import click

from bot.app import build_bot, core_settings, open_store
from bot.cli.common import db_option, fail
from bot.config import ConfigError
from bot.messenger import InboxMessenger
from bot.reports import reviews_report, training_report
from bot.reviews import export_examples
from bot.store import StoreError


@click.group()
def report() -> None:
    """Reports for administrators: training completion and the review queue."""


def _run_with_store(database: str | None, work):
    async def run():
        store = await open_store(core_settings({"database": database})["database"])
        try:
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except (ConfigError, StoreError) as error:
        fail(error)


@report.command()
@db_option
@click.option("--csv", "as_csv", is_flag=True, help="CSV instead of a table.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Count quizzes from this date (UTC).")
@click.option("--overdue-days", default=365, show_default=True, help="Overdue when no quiz in this many days.")
def training(database, as_csv, since, overdue_days) -> None:
    """Per user: quizzes taken, last completion, score, overdue; then totals per team."""
    since_ts = since.replace(tzinfo=UTC).timestamp() if since else None
    rows, teams = _run_with_store(database, lambda s: training_report(s, time.time(), since_ts, overdue_days))

    def day(ts):
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d") if ts else ""

    table = [
        [
            r.user,
            r.name,
            r.team,
            r.quizzes,
            day(r.last_completed),
            f"{r.score:.0%}" if r.score is not None else "",
            "yes" if r.overdue else "no",
        ]
        for r in rows
    ]
    header = ["user", "name", "team", "quizzes", "last_completed", "score", "overdue"]
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(table)
        return
    widths = [max(len(str(x)) for x in column) for column in zip(header, *table, strict=False)]
    for line in [header, *table]:
        click.echo("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
    click.echo("\nteam totals:")
    for team in teams:
        click.echo(
            f"  {team['team']}: {team['users']} users, {team['trained']} trained, "
            f"{team['overdue']} overdue, {team['quizzes']} quizzes"
        )


@report.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def reviews(database, as_json) -> None:
    """The review queue: open, decided, and time to decision."""
    data = _run_with_store(database, reviews_report)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    waits = data["hours_to_decision"]
    click.echo(f"open: {data['open']}\ndecided: {data['decided']}")
    for key, count in data["by_kind_and_status"].items():
        click.echo(f"  {key}: {count}")
    click.echo(f"hours to decision: median {waits['median']}, p90 {waits['p90']}, max {waits['max']}")


@click.group()
def review() -> None:
    """The review queue: export examples from overturned appeals, purge old drafts."""


@review.command(name="export-examples")
@db_option
@click.option("--out", type=click.File("w"), default="-", help="Where to write the JSON lines (default: stdout).")
def export_examples_command(database, out) -> None:
    """Overturned appeals as JSON lines for your overlay pack's examples/ (then policy train)."""

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
    click.echo(f"purged {_run_with_store(database, lambda store: store.purge_drafts(time.time()))} draft(s)")
