"""A pack's labelled drafts (`examples/*.jsonl`): the heads' training data and the held-out split.

Each line: {"text", "signals": [...], "detectors": [...], "lang"} and optionally a context
("account", "on_duty") with the verdict a careful reviewer would give ("expected").
A fixed fifth of the drafts, chosen by a hash of the text, is held out: no head is ever
trained or tuned on it, so its score estimates how the pack does on drafts nobody wrote
next to it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from policy.model import Context, Verdict

EXAMPLE_KEYS = {"text", "signals", "detectors", "lang", "account", "on_duty", "expected", "note"}
HELD_OUT_BUCKETS = 5  # one bucket in five


@dataclass(frozen=True)
class Example:
    text: str
    signals: frozenset[str]
    detectors: frozenset[str]
    lang: str
    context: Context | None
    expected: Verdict | None
    path: Path
    line: int

    @property
    def held_out(self) -> bool:
        return is_held_out(self.text)


def is_held_out(text: str) -> bool:
    digest = hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).digest()
    return digest[0] % HELD_OUT_BUCKETS == 0


def read_examples(path: Path, known_signals: set[str], known_detectors: set[str]) -> tuple[list[Example], list]:
    """Parse one JSONL file. Returns (examples, [(line, reason)])."""
    examples: list[Example] = []
    problems: list[tuple[int, str]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        return [], [(1, f"not UTF-8 text ({error.reason})")]
    except OSError as error:
        return [], [(0, f"cannot read: {error.strerror}")]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append((number, f"not valid JSON ({error.msg})"))
            continue
        reason = _problem(item, known_signals, known_detectors)
        if reason:
            problems.append((number, reason))
            continue
        context = Context(item["account"], bool(item.get("on_duty", False))) if "account" in item else None
        expected = Verdict.parse(item["expected"]) if "expected" in item else None
        examples.append(
            Example(
                item["text"],
                frozenset(item.get("signals") or ()),
                frozenset(item.get("detectors") or ()),
                str(item.get("lang", "")),
                context,
                expected,
                path,
                number,
            )
        )
    return examples, problems


def _problem(item: object, known_signals: set[str], known_detectors: set[str]) -> str:
    if not isinstance(item, dict):
        return "each line must be a JSON object"
    if set(item) - EXAMPLE_KEYS:
        return f"unknown key {sorted(set(item) - EXAMPLE_KEYS)[0]!r}"
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        return "'text' must be a non-empty string"
    for key, known in (("signals", known_signals), ("detectors", known_detectors)):
        values = item.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"'{key}' must be a list of ids"
        unknown = sorted(set(values) - known)
        if unknown:
            return f"unknown {key[:-1]} {unknown[0]!r}"
    if "account" in item and item["account"] not in ("personal", "official"):
        return "'account' must be personal or official"
    if "on_duty" in item and not isinstance(item["on_duty"], bool):
        return "'on_duty' must be true or false"
    if "expected" in item and item["expected"] not in ("ok", "disclaimer", "review", "stop"):
        return "'expected' must be ok, disclaimer, review or stop"
    return ""


def digest(examples: list[Example], signals: tuple[str, ...]) -> str:
    """Changes whenever a training draft, its labels or the signal list change."""
    hasher = hashlib.sha256(json.dumps(list(signals)).encode())
    for example in examples:
        if not example.held_out:
            hasher.update(json.dumps([example.text, sorted(example.signals)], ensure_ascii=False).encode("utf-8"))
    return hasher.hexdigest()[:16]


def files_digest(paths: list[Path], signals: tuple[str, ...]) -> str:
    """A digest of the example files' bytes and the signal ids: when it matches the model's, the
    examples need not be parsed to know the model is current."""
    hashed = hashlib.sha256("\x00".join(signals).encode())
    for path in paths:
        hashed.update(f"\x00{path.name}\x00".encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()[:16]
