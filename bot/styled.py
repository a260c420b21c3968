"""Styled text as data: spans of text, each with its styles (bold, italic, code, pre, quote).

The text catalogue writes a light markup (`*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````,
`> quote` at the start of a line) with `{name}` slots. Values put into the slots are the
user's or the pack's words: they keep the style around the slot but are never read as
markup, so a draft with asterisks stays a draft with asterisks. Each renderer (Slack mrkdwn,
Adaptive Card markdown, terminal colours) turns spans into its own format.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

STYLES = ("bold", "italic", "code", "pre", "quote")
_MARKERS = {"*": "bold", "_": "italic", "`": "code"}


@dataclass(frozen=True)
class Span:
    text: str
    styles: frozenset[str] = frozenset()


def _values_in(template: str, values: dict[str, object]) -> list[str | tuple[str]]:
    """The template as literal chunks (str) and filled slots (1-tuples), in order."""
    parts: list[str | tuple[str]] = []
    formatter = string.Formatter()
    for literal, name, spec, conversion in formatter.parse(template):
        if literal:
            parts.append(literal)
        if name is not None:
            value = formatter.convert_field(formatter.get_field(name, (), values)[0], conversion)
            parts.append((formatter.format_field(value, spec or ""),))
    return parts


def parse(template: str, values: dict[str, object] | None = None) -> tuple[Span, ...]:
    # One stream of (character, may be markup): a slot's characters are never markup.
    stream = [
        (char, isinstance(part, str))
        for part in _values_in(template, values or {})
        for char in (part if isinstance(part, str) else part[0])
    ]
    spans: list[Span] = []
    active: set[str] = set()
    quote = False
    i = 0

    def emit(text: str) -> None:
        styles = frozenset(active | ({"quote"} if quote else set()))
        if spans and spans[-1].styles == styles:
            spans[-1] = Span(spans[-1].text + text, styles)
        else:
            spans.append(Span(text, styles))

    def markup_at(j: int, text: str) -> bool:
        return all(j + k < len(stream) and stream[j + k] == (c, True) for k, c in enumerate(text))

    while i < len(stream):
        char, is_markup = stream[i]
        line_start = i == 0 or stream[i - 1][0] == "\n"
        if is_markup and line_start and markup_at(i, "> ") and "pre" not in active:
            quote, i = True, i + 2
            continue
        if is_markup and markup_at(i, "```"):
            active ^= {"pre"}
            i += 3
            if "pre" in active and markup_at(i, "\n"):
                i += 1  # the newline after an opening fence is not text
            elif "pre" not in active and spans and spans[-1].text.endswith("\n"):
                spans[-1] = Span(spans[-1].text[:-1], spans[-1].styles)
            continue
        if is_markup and char in _MARKERS and "pre" not in active and ("code" not in active or char == "`"):
            before = stream[i - 1][0] if i > 0 else " "
            after = stream[i + 1][0] if i + 1 < len(stream) else " "
            if _is_marker(before, after, char, _MARKERS[char] in active):
                active ^= {_MARKERS[char]}
                i += 1
                continue
        if char == "\n" and "pre" not in active:
            quote = False
        emit(char)
        i += 1
    return tuple(s for s in spans if s.text)


def _is_marker(before: str, after: str, char: str, closing: bool) -> bool:
    """`*` and `_` open before a non-space and close after one, and `_` only at word edges."""
    if char == "`":
        return True
    if closing:
        return not before.isspace() and not (char == "_" and after.isalnum())
    return not after.isspace() and not (char == "_" and before.isalnum())


def plain(spans: tuple[Span, ...]) -> str:
    return "".join(span.text for span in spans)
