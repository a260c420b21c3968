"""The `policybot` entry point: the core's commands plus those that need an adapter."""

from __future__ import annotations

from bot.cli import cli


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
