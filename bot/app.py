"""Assembling a bot from settings: the pack, the store and a messenger."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import CORE_SETTINGS, ConfigError, check_file_keys, default_database, load_settings, read_config_file
from bot.core import Bot
from bot.llm import Assistant
from bot.logs import configure
from bot.services import BotSettings, Messenger
from bot.store import Store
from policy import PackError, Policy


def core_settings(overrides: dict[str, Any] | None = None, extra_groups: tuple = ()) -> dict[str, Any]:
    path = os.environ.get("POLICYBOT_CONFIG")
    file_values = read_config_file(path)
    if path:
        check_file_keys(file_values, (CORE_SETTINGS, *extra_groups), path)
    values = load_settings(CORE_SETTINGS, file_values=file_values, overrides=overrides)
    values["file_values"] = file_values
    return values


log = logging.getLogger("policybot")
STARTED_AFRESH = (
    "POLICYBOT_DATABASE: {path} was missing, though policybot had created a database there before; "
    "a new, empty one was created (the old settings, quiz history and review items are not in it)"
)


def load_pack(setting: str | None) -> Policy:
    try:
        return Policy.load(setting, lazy=True)
    except PackError as error:
        raise ConfigError(f"POLICYBOT_PACK: {error}") from None


async def open_store(setting: str | None) -> Store:
    path = setting or default_database()
    if not setting:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    store = await Store.open(path)
    if store.started_afresh:
        log.warning(STARTED_AFRESH.format(path=path))
    return store


# Libraries that log request bodies (drafts!) at DEBUG: never below WARNING. Adapters add the
# loggers of their platform libraries with `quiet_loggers`.
CHATTY_LOGGERS = [
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "aiohttp.client",
    "openai",
    "httpx",
]


def quiet_loggers(*names: str) -> None:
    CHATTY_LOGGERS.extend(n for n in names if n not in CHATTY_LOGGERS)
    quiet_libraries()


def quiet_libraries() -> None:
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


async def build_bot(values: dict[str, Any], messenger: Callable[[Store], Messenger]) -> Bot:
    quiet_libraries()
    configure(values.get("log_level") or "INFO", values.get("log_format") or "text")
    policy = load_pack(values.get("pack"))
    store = await open_store(values.get("database"))
    await store.purge_drafts(time.time())  # review drafts past their retention time
    assistant = Assistant.from_settings(values, policy)
    return Bot(policy, store, messenger(store), BotSettings.from_values(values), assistant=assistant)
