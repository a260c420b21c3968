"""The neutral message model: what adapters translate to (Incoming) and render from (Reply)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from bot.styled import Span, parse, plain


@dataclass(frozen=True)
class User:
    id: str  # platform-qualified, e.g. "slack:T1:U123", "console:alice"
    name: str = ""
    tenant: str = ""
    timezone: str = ""
    locale: str = ""  # the platform's, e.g. "fr-CA"; the bot answers in its language when it has it


@dataclass(frozen=True)
class Incoming:
    platform: str
    user: User
    conversation: str
    kind: Literal["message", "command", "action"]
    text: str = ""
    command: str = ""  # e.g. "policy"
    argument: str = ""  # the text after the command
    action: str = ""  # action id of a clicked choice
    value: str = ""  # its value
    direct: bool = True
    reviewer: bool = False  # set by an adapter for requests from the configured review channel
    event_id: str = ""  # the platform's id for the event: a retried event is answered once
    from_bot: bool = False  # our own message, echoed back by the platform: ignored

    def __repr__(self) -> str:  # never show the text: it may be a draft
        return f"Incoming({self.platform}, {self.user.id}, {self.kind}, action={self.action!r})"


@dataclass(frozen=True)
class Text:
    """Styled text: spans, each with its styles. Build it with `Text.of(template, **values)`."""

    spans: tuple[Span, ...]

    @classmethod
    def of(cls, template: str, **values: object) -> Text:
        """The catalogue's light markup (*bold*, _italic_, `code`, ```pre```, > quote); values are
        inserted as plain text, never read as markup."""
        return cls(parse(template, values))

    @property
    def text(self) -> str:
        return plain(self.spans)


@dataclass(frozen=True)
class Highlight:
    text: str
    start: int
    end: int


LIKE_CHARS = 140


@dataclass(frozen=True)
class FindingView:
    rule: str
    level: str
    message: str
    section_id: str
    section_title: str
    highlights: tuple[Highlight, ...] = ()
    band: str = ""  # a signal's confidence, in the reply's language: possible | likely | very likely
    like: str = ""  # the pack's nearest labelled example carrying the same signal

    def basis(self, reads_like: str = "reads like") -> str:
        """Why, in a line: 'likely; reads like: "…"', or "" for a detector's finding."""
        if not self.band:
            return ""
        like = self.like if len(self.like) <= LIKE_CHARS else self.like[: LIKE_CHARS - 1].rstrip() + "…"
        return f"{self.band}; {reads_like}: “{like}”" if like else self.band


@dataclass(frozen=True)
class VerdictBlock:
    level: str  # ok | disclaimer | review | stop
    summary: str
    findings: tuple[FindingView, ...] = ()
    found: str = "found"  # the labels renderers show, in the reply's language
    reads_like: str = "reads like"
    verdict_word: str = "Verdict"


@dataclass(frozen=True)
class Choice:
    label: str
    action: str
    value: str = ""
    style: Literal["default", "primary", "danger"] = "default"


@dataclass(frozen=True)
class Choices:
    choices: tuple[Choice, ...]
    prompt: str = ""


@dataclass(frozen=True)
class Fields:
    fields: tuple[tuple[str, str], ...]
    title: str = ""


@dataclass(frozen=True)
class Note:
    text: str


Block = Text | VerdictBlock | Choices | Fields | Note


@dataclass
class Reply:
    blocks: list[Block] = field(default_factory=list)

    def add(self, block: Block) -> Reply:
        self.blocks.append(block)
        return self

    @property
    def choices(self) -> list[Choice]:
        return [c for b in self.blocks if isinstance(b, Choices) for c in b.choices]

    def plain(self) -> str:
        """A plain-text rendering: notifications and clients without rich messages."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Text | Note):
                lines.append(block.text)
            elif isinstance(block, VerdictBlock):
                lines.append(f"{block.verdict_word}: {block.level.upper()}: {block.summary}")
                for finding in block.findings:
                    lines.append(f"- {finding.section_title}: {finding.message}")
            elif isinstance(block, Fields):
                if block.title:
                    lines.append(block.title)
                lines.extend(f"{name}: {value}" for name, value in block.fields)
            elif isinstance(block, Choices):
                if block.prompt:
                    lines.append(block.prompt)
                lines.append(" | ".join(c.label for c in block.choices))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Reply({len(self.blocks)} blocks)"


_BLOCK_TYPES = {cls.__name__: cls for cls in (Text, VerdictBlock, Choices, Fields, Note)}


def reply_to_dict(reply: Reply) -> dict:
    """A JSON-safe form of a reply (for an inbox or a queue)."""
    return {"blocks": [_block_to_dict(b) for b in reply.blocks]}


def _block_to_dict(block: Block) -> dict:
    if isinstance(block, Text):
        return {"type": "Text", "spans": [[span.text, sorted(span.styles)] for span in block.spans]}
    return {"type": type(block).__name__, **asdict(block)}


def reply_from_dict(data: dict) -> Reply:
    blocks: list[Block] = []
    for raw in data.get("blocks", []):
        kind = _BLOCK_TYPES[raw["type"]]
        fields = {k: v for k, v in raw.items() if k != "type"}
        if kind is Text:
            fields["spans"] = tuple(Span(text, frozenset(styles)) for text, styles in fields["spans"])
        elif kind is VerdictBlock:
            fields["findings"] = tuple(
                FindingView(**{**f, "highlights": tuple(Highlight(**h) for h in f["highlights"])})
                for f in fields["findings"]
            )
        elif kind is Choices:
            fields["choices"] = tuple(Choice(**c) for c in fields["choices"])
        elif kind is Fields:
            fields["fields"] = tuple(tuple(pair) for pair in fields["fields"])
        blocks.append(kind(**fields))
    return Reply(blocks)
