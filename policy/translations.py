"""A pack's texts in other languages: `{fr: ..., es: ...}` beside the text they translate.

Each reader returns () when the pack gives none, and None when what it gives is malformed (the
caller names file, line and reason).
"""

from __future__ import annotations

import re
from typing import Any

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # an ISO 639 code, as the language identifier names languages

QuestionText = tuple[str, str, tuple[str, ...], str]  # language, prompt, options, explanation


def translations(value: Any) -> tuple[tuple[str, str], ...] | None:
    """A `{fr: text, es: text}` mapping as (language, text) pairs."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(_code(k) and _text(v) for k, v in value.items()):
        return None
    return tuple((k, v.strip()) for k, v in sorted(value.items()))


def question_translations(value: Any, options: int) -> tuple[QuestionText, ...] | None:
    """`{fr: {prompt, options, explanation}}`, each with as many options as the question, in its order."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        return None
    found = []
    for language, text in sorted(value.items()):
        if not (_code(language) and isinstance(text, dict) and _text(text.get("prompt"))):
            return None
        choices, explanation = text.get("options"), text.get("explanation", "")
        if not (isinstance(choices, list) and len(choices) == options and all(_text(c) for c in choices)):
            return None
        if not isinstance(explanation, str):
            return None
        found.append((language, text["prompt"].strip(), tuple(c.strip() for c in choices), explanation.strip()))
    return tuple(found)


def _code(value: Any) -> bool:
    return isinstance(value, str) and bool(LANGUAGE_CODE.fullmatch(value))


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
