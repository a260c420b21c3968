"""Options and helpers shared by the commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from policy import ModelError, PackError, Policy

pack_option = click.option(
    "--pack",
    "pack",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="POLICYBOT_PACK",
    help="Policy pack directory (default: the built-in pack).",
)
db_option = click.option("--db", "database", help="SQLite file or postgresql:// URL (default: POLICYBOT_DATABASE).")


def load_policy(pack: Path | None, need_model: bool = True, lazy: bool = False) -> Policy:
    try:
        return Policy.load(pack, need_model=need_model, lazy=lazy)
    except (PackError, ModelError) as error:
        raise click.ClickException(str(error)) from None


def fail(error: Exception, code: int = 2) -> NoReturn:
    click.echo(f"Error: {error}", err=True)
    sys.exit(code)
