"""The engine's plain data: verdicts, sections, quiz questions, findings, assessments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import IntEnum

CATEGORIES = (
    "confidential",
    "personal_data",
    "political",
    "official_capacity",
    "endorsement",
    "conduct",
    "security",
    "copyright",
    "disclaimer",
    "accessibility",
    "records",
)


class Verdict(IntEnum):
    OK = 0
    DISCLAIMER = 1
    REVIEW = 2
    STOP = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, label: str) -> Verdict:
        return cls[label.upper()]


@dataclass(frozen=True)
class Context:
    account: str = "personal"  # personal | official
    on_duty: bool = False

    def describe(self) -> str:
        return f"{self.account} account, {'on duty' if self.on_duty else 'off duty'}"


ALL_CONTEXTS = tuple(Context(a, d) for a in ("personal", "official") for d in (False, True))


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str
    keywords: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()  # (language, title): the title in other languages
    bodies: tuple[tuple[str, str], ...] = ()  # (language, body): paragraph for paragraph

    def title_in(self, language: str) -> str:
        return dict(self.titles).get(language, self.title)

    def body_in(self, language: str) -> str:
        return dict(self.bodies).get(language, self.body)

    def passage_in(self, passage: str, language: str) -> str:
        """The paragraph of `body_in(language)` at the place of `passage`, a paragraph of the body
        as retrieval gives it (markup removed, one line); the passage itself when not found."""
        translated = dict(self.bodies).get(language)
        if translated is None:
            return passage
        originals = paragraphs(self.body)
        return paragraphs(translated)[originals.index(passage)] if passage in originals else passage


_MARKUP = re.compile(r"\*\*|__|`")


def paragraphs(body: str) -> list[str]:
    """A body's paragraphs, each on one line without markup (as retrieval quotes them)."""
    found = (" ".join(_MARKUP.sub("", p).split()) for p in re.split(r"\n\s*\n", body))
    return [p for p in found if p]


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    section: str
    translations: tuple[tuple[str, str, tuple[str, ...], str], ...] = ()  # language, prompt, options, explanation

    def in_language(self, language: str) -> Question:
        """The question in `language` where the pack has it; the options keep their order."""
        for code, prompt, options, explanation in self.translations:
            if code == language:
                return replace(self, prompt=prompt, options=options, explanation=explanation or self.explanation)
        return self


@dataclass(frozen=True)
class Finding:
    rule: str
    verdict: Verdict
    categories: tuple[str, ...]
    section: Section
    message: str
    spans: tuple[tuple[int, int], ...]
    fix: str = "none"
    finding: str = ""  # the signal or detector behind the row
    band: str = ""  # possible | likely | very likely
    like: str = ""  # the nearest labelled example of the pack

    @property
    def start(self) -> int:
        return self.spans[0][0] if self.spans else 0

    @property
    def end(self) -> int:
        return self.spans[0][1] if self.spans else 0

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "verdict": self.verdict.label,
            "category": self.categories[0],
            "categories": list(self.categories),
            "section": self.section.id,
            "section_title": self.section.title,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "spans": [list(s) for s in self.spans],
            "finding": self.finding,
            "band": self.band,
            "like": self.like,
        }


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    findings: tuple[Finding, ...]
    fixed: str
    context: Context
    categories: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict.label,
            "categories": list(self.categories),
            "findings": [f.to_dict() for f in self.findings],
            "fixed": self.fixed,
            "context": {"account": self.context.account, "on_duty": self.context.on_duty},
        }
