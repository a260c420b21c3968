"""Logging: plain lines, or one JSON object a line (POLICYBOT_LOG_FORMAT=json) whose fields
come from the message's `key=value` pairs: ids, routes, verdicts and timings, never text."""

from __future__ import annotations

import json
import logging
import re
import time

_PAIR = re.compile(r"(\w+)=(\S+)")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": _PAIR.split(message, maxsplit=1)[0].strip(" :") or message,
        }
        for key, value in _PAIR.findall(message):
            entry[key] = _number(value.rstrip(",:"))
        if record.exc_info and record.levelno <= logging.DEBUG:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _number(value: str) -> object:
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def configure(level: str = "INFO", form: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if form == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
