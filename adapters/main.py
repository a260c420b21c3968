"""The `policybot` entry point: register the chat platforms, then run the one command line."""

from __future__ import annotations

from bot import platforms
from bot.cli import main as cli_main

platforms.register("console", "adapters.console:run_chat")
platforms.register("server", "adapters.serve:run_server", extra="all")
platforms.register("teams-package", "adapters.teams.package:package_command")


def main() -> None:
    cli_main()


if __name__ == "__main__":
    main()
