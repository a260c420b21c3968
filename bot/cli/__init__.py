"""The `policybot` command line: one group, one `main`.

Subcommands load on first use (click's lazy-group pattern), so `policybot check` imports
neither the database nor any chat platform. Chat platforms are not click commands of their
own: adapters register them in `bot.platforms`, and `chat`, `serve` and `teams` call them.
"""

from __future__ import annotations

import importlib

import click

COMMANDS = {
    "check": "bot.cli.checks:check",
    "lookup": "bot.cli.questions:lookup",
    "eval": "bot.cli.checks:eval_command",
    "policy": "bot.cli.packs:policy",
    "intent": "bot.cli.questions:intent",
    "chat": "bot.cli.run:chat",
    "serve": "bot.cli.run:serve",
    "teams": "bot.cli.run:teams",
    "report": "bot.cli.records:report",
    "review": "bot.cli.records:review",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[name].partition(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policybot")
def cli() -> None:
    """policybot: check social-media drafts against your agency's policy."""


def main() -> None:
    cli()
