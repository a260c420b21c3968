"""Typed, versioned button payloads, and the typed "what the next message answers" state.

A payload is a frozen dataclass encoded as compact JSON with its kind and a version. Decoding
checks both and every field's type; anything else (an old button, a foreign value, a hand-made
request) raises `Expired`, which the pipeline answers with "this button has expired".
"""

from __future__ import annotations

import json
from dataclasses import MISSING, asdict, dataclass, fields
from typing import Any, ClassVar, TypeVar, get_type_hints

VERSION = 2  # version 1 was the untyped JSON of earlier releases: its buttons expire


class Expired(ValueError):
    """A button value (or saved state) this release cannot read."""


@dataclass(frozen=True)
class DraftRef:
    """A draft and the context it was checked in; `token` instead of `text` when it is long."""

    KIND: ClassVar[str] = "draft"
    account: str
    on_duty: bool
    text: str = ""
    token: str = ""
    remember: bool = False  # for "change account / duty": also save as the user's default


@dataclass(frozen=True)
class QuizPick:
    KIND: ClassVar[str] = "quiz"
    session: str
    position: int
    question: str
    shown: int  # the option's place on screen, from 0


@dataclass(frozen=True)
class Decision:
    KIND: ClassVar[str] = "decision"
    review: int
    decision: str


@dataclass(frozen=True)
class SectionRef:
    KIND: ClassVar[str] = "section"
    section: str


@dataclass(frozen=True)
class SettingChoice:
    KIND: ClassVar[str] = "setting"
    name: str
    value: str


@dataclass(frozen=True)
class HeldText:
    """A message held in memory while the user says whether it is a draft or a question."""

    KIND: ClassVar[str] = "held"
    token: str


@dataclass(frozen=True)
class Awaiting:
    """What the user's next message answers: an appeal's reason, or a reviewer's comment."""

    KIND: ClassVar[str] = "awaiting"
    what: str  # "appeal_reason" | "review_comment"
    review: int
    decision: str = ""


P = TypeVar("P")
_SCALARS = {str: str, int: int, bool: bool}


def encode(payload: Any) -> str:
    body = {"v": VERSION, "k": payload.KIND, **asdict(payload)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def decode(value: str | None, kind: type[P]) -> P:
    try:
        body = json.loads(value or "")
    except (json.JSONDecodeError, TypeError):
        raise Expired("not JSON") from None
    if not isinstance(body, dict) or body.get("v") != VERSION or body.get("k") != kind.KIND:  # type: ignore[attr-defined]
        raise Expired("another version or kind")
    hints = get_type_hints(kind)
    given = {}
    for field in fields(kind):  # type: ignore[arg-type]
        if field.name not in body:
            if field.default is MISSING:
                raise Expired(f"missing {field.name}")
            continue
        item, wanted = body[field.name], _SCALARS.get(hints[field.name])
        if wanted is None or type(item) is not wanted:
            raise Expired(f"{field.name} is not a {hints[field.name]}")
        given[field.name] = item
    return kind(**given)
