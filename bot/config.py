"""Settings from the environment and an optional YAML file; a wrong setting is named at start.

Each component declares its settings next to its code as `Setting`s; `load_settings` reads
them (environment first, then the YAML file given by POLICYBOT_CONFIG), rejects unknown keys
in the file, and raises `ConfigError` naming the setting.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from platformdirs import user_data_dir

from bot.human import parse_hours, parse_timezone


class ConfigError(Exception):
    """A missing or malformed setting. The message names it."""


@dataclass(frozen=True)
class Setting:
    env: str  # the environment variable, e.g. POLICYBOT_DATABASE
    parse: Callable[[str], Any]
    default: Any = None
    required: bool = False
    help: str = ""

    @property
    def key(self) -> str:  # the YAML key: the variable's name without the prefix, lower case
        return self.env.removeprefix("POLICYBOT_").lower()


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"must be a whole number of at least 1, not {value!r}") from None
    if number < 1:
        raise ValueError("must be a whole number of at least 1")
    return number


def positive_float(value: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"must be a number of seconds above 0, not {value!r}") from None
    if not number > 0:
        raise ValueError("must be a number of seconds above 0")
    return number


def http_url(value: str) -> str:
    if not str(value).startswith(("http://", "https://")):
        raise ValueError(f"must be an http:// or https:// URL, not {value!r}")
    return str(value)


def boolean(value: str) -> bool:
    lowered = str(value).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false")


def id_list(value: str) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value).split(",") if part.strip())


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_USER_ID = re.compile(r"^(console|slack|teams|test):\S+$")


def log_level(value: str) -> str:
    level = str(value).strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return level


def log_format(value: str) -> str:
    chosen = str(value).strip().lower()
    if chosen not in ("text", "json"):
        raise ValueError(f"must be text or json, not {value!r}")
    return chosen


def user_ids(value: str) -> tuple[str, ...]:
    ids = id_list(value)
    for user_id in ids:
        if not _USER_ID.match(user_id):
            raise ValueError(
                f"each reviewer is a user id such as slack:T0123:U0456, teams:TENANT:AAD-ID or console:rita, "
                f"not {user_id!r}"
            )
    return ids


def timezone(value: str) -> str:
    return parse_timezone(value)


def hours(value: str) -> tuple[int, int]:
    """Working hours as minutes after midnight: 9-17, 9am-5pm, 8:30-17:00, 22-6."""
    return parse_hours(value)


def default_database() -> str:
    return str(Path(user_data_dir("policybot", appauthor=False)) / "policybot.sqlite3")


CORE_SETTINGS = {
    "database": Setting("POLICYBOT_DATABASE", str, None, help="SQLite file path or postgresql:// URL"),
    "pack": Setting("POLICYBOT_PACK", str, None, help="policy pack directory"),
    "reviewers": Setting("POLICYBOT_REVIEWERS", user_ids, (), help="user ids who decide review items"),
    "review_channel": Setting("POLICYBOT_REVIEW_CHANNEL", str, "", help="chat channel for the review queue"),
    "retention_days": Setting("POLICYBOT_RETENTION_DAYS", positive_int, 30, help="days a review draft is kept"),
    "keep_decided": Setting("POLICYBOT_KEEP_DECIDED", boolean, False, help="keep draft text after a decision"),
    "quiz_length": Setting("POLICYBOT_QUIZ_LENGTH", positive_int, 3, help="questions in one quiz"),
    "timezone": Setting("POLICYBOT_TIMEZONE", timezone, "America/New_York", help="default time zone"),
    "work_hours": Setting("POLICYBOT_WORK_HOURS", hours, (540, 1020), help="default working hours"),
    "log_level": Setting("POLICYBOT_LOG_LEVEL", log_level, "INFO", help="logging level"),
    "log_format": Setting("POLICYBOT_LOG_FORMAT", log_format, "text", help="text or json (one object a line)"),
    "llm_base_url": Setting("POLICYBOT_LLM_BASE_URL", http_url, "", help="OpenAI-compatible endpoint (off when empty)"),
    "llm_model": Setting("POLICYBOT_LLM_MODEL", str, "", help="model name, or the Azure OpenAI deployment"),
    "llm_api_key": Setting("POLICYBOT_LLM_API_KEY", str, "", help="API key for the endpoint"),
    "llm_timeout": Setting("POLICYBOT_LLM_TIMEOUT", positive_float, 10.0, help="seconds to wait for the endpoint"),
}


def read_config_file(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise ConfigError(f"POLICYBOT_CONFIG: cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"POLICYBOT_CONFIG: {path} is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"POLICYBOT_CONFIG: {path} must hold a mapping of settings")
    return data


def load_settings(
    declared: Mapping[str, Setting],
    environ: Mapping[str, str] | None = None,
    file_values: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    file_values = file_values or {}
    values: dict[str, Any] = {}
    for name, setting in declared.items():
        if overrides and overrides.get(name) is not None:
            values[name] = overrides[name]
            continue
        raw = environ.get(setting.env)
        source = setting.env
        if raw is None and setting.key in file_values:
            raw, source = file_values[setting.key], f"{setting.key} in the config file"
        if raw is None or raw == "":
            if setting.required:
                raise ConfigError(f"{setting.env} is required ({setting.help})")
            values[name] = setting.default
            continue
        try:
            values[name] = setting.parse(raw)
        except (ValueError, TypeError) as error:
            raise ConfigError(f"{source}: {error}") from None
    return values


def check_file_keys(file_values: Mapping[str, Any], groups: Iterable[Mapping[str, Setting]], path: str) -> None:
    known = {s.key for group in groups for s in group.values()}
    unknown = sorted(set(file_values) - known)
    if unknown:
        raise ConfigError(
            f"POLICYBOT_CONFIG: unknown setting {unknown[0]!r} in {path} (known: {', '.join(sorted(known))})"
        )
