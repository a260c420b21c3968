"""`Policy`: a loaded pack that checks drafts, looks sections up and carries the quiz."""

from __future__ import annotations

import re
from pathlib import Path

from policy.matching import Clause, Near, Scan, TermSet
from policy.model import ALL_CONTEXTS, CATEGORIES, Assessment, Context, Finding, Question, Section, Verdict
from policy.normalize import Shadow, fold
from policy.pack import BuiltPack, Rule, build_pack

DEFAULT_MAX_DRAFT_CHARS = 40_000  # Slack's own limit for one message
_WORDS = re.compile(r"[a-z0-9]+")


class DraftError(ValueError):
    """A draft that cannot be checked (empty, too long, not text). The message says why."""


class Policy:
    def __init__(self, built: BuiltPack, path: Path | None = None) -> None:
        self._built = built
        self.path = path
        self.meta = built.meta
        self.sections: dict[str, Section] = built.sections
        self.rules: list[Rule] = built.rules
        self.questions: list[Question] = built.questions
        self.max_draft_chars = int(built.meta.get("max_draft_chars") or DEFAULT_MAX_DRAFT_CHARS)
        self._supersedes = {rule.id: set(rule.supersedes) for rule in self.rules if rule.supersedes}

    @classmethod
    def load(cls, path: str | Path | None = None) -> Policy:
        """Load and validate a pack directory (None: the built-in default). Raises PackError."""
        return cls(build_pack(path), Path(path) if path else None)

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "policy"))

    @property
    def disclaimer(self) -> str:
        return str(self.meta["disclaimer"]).strip()

    def check(self, text: str, account: str = "personal", on_duty: bool = False) -> Assessment:
        context = Context(account, on_duty)
        scan = self._scan(text)
        return self._assess(scan, context)

    def check_contexts(self, text: str) -> dict[Context, Assessment]:
        """The assessment in every context (account x on duty), from one scan."""
        scan = self._scan(text)
        return {context: self._assess(scan, context) for context in ALL_CONTEXTS}

    def _scan(self, text: str) -> Scan:
        if not isinstance(text, str):
            raise DraftError("a draft must be text")
        if not text.strip():
            raise DraftError("the draft is empty: send the text you want to post")
        if "\x00" in text:
            raise DraftError("the draft contains binary data (NUL bytes); send plain text")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise DraftError("the draft is not valid UTF-8 text") from None
        if len(text) > self.max_draft_chars:
            raise DraftError(
                f"the draft is {len(text):,} characters; the limit is {self.max_draft_chars:,}. Check it in parts."
            )
        return self._built.matcher.scan(Shadow.of(text), text, self._built.allowed_numbers)

    def _assess(self, scan: Scan, context: Context) -> Assessment:
        findings = [f for rule in self.rules if (f := self._apply(rule, scan, context))]
        findings = _drop_superseded(findings, self._supersedes)
        findings.sort(key=lambda f: (-f.verdict, f.start))
        verdict = max((f.verdict for f in findings), default=Verdict.OK)
        found = {c for f in findings if f.verdict > Verdict.OK for c in f.categories}
        categories = tuple(c for c in CATEGORIES if c in found)
        return Assessment(verdict, tuple(findings), self._fix(scan, findings), context, categories)

    def _apply(self, rule: Rule, scan: Scan, context: Context) -> Finding | None:
        if not _applies(rule.account, rule.on_duty, context):
            return None
        if any(_clause_hits(scan, c) for c in rule.unless):
            return None
        if not all(_clause_hits(scan, c) for c in rule.require):
            return None
        spans: list[tuple[int, int]] = []
        for clause in rule.match:
            spans.extend(scan.hits(clause))
        if not spans:
            return None
        categories = list(rule.categories)
        for account, on_duty, extra in rule.also:
            if _applies(account, on_duty, context):
                categories.extend(c for c in extra if c not in categories)
        original = _merge(sorted({scan.original_span(s) for s in spans}))
        return Finding(
            rule.id,
            rule.verdict,
            tuple(categories),
            self.sections[rule.section],
            rule.message,
            original,
            rule.fix,
        )

    def _fix(self, scan: Scan, findings: list[Finding]) -> str:
        text = scan.original
        masks: list[tuple[int, int]] = []
        for finding in findings:
            if finding.fix == "mask":
                for clause in self.rule(finding.rule).match:
                    for term_set in _mask_sets(clause):
                        for span in scan.spans(term_set):
                            start, end = scan.original_span(span)
                            if term_set.mask == "last_word":
                                start = max(start, text.rfind(" ", start, end) + 1)
                            masks.append((start, end))
        for start, end in sorted(set(masks), reverse=True):
            text = text[:start] + "".join("•" if c.isalnum() else c for c in text[start:end]) + text[end:]
        if any(f.fix == "add_disclaimer" for f in findings):
            text = f"{text.rstrip()}\n\n{self.disclaimer}"
        return text

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def lookup(self, query: str, limit: int = 5) -> list[tuple[Section, float]]:
        """Sections ranked for a query: title and keywords weigh more than body text."""
        words = set(_WORDS.findall(fold(query)))
        if not words:
            return []
        ranked = []
        for section in self.sections.values():
            score = _score(words, section)
            if score > 0:
                ranked.append((section, score))
        ranked.sort(key=lambda pair: -pair[1])
        return ranked[:limit]


def _score(words: set[str], section: Section) -> float:
    fields = (
        (fold(section.id.replace("-", " ").replace("_", " ")), 4.0),
        (fold(section.title), 3.0),
        (fold(" ".join(section.keywords)), 2.0),
        (fold(section.body), 0.2),
    )
    score = 0.0
    for text, weight in fields:
        tokens = _WORDS.findall(text)
        for word in words:
            exact = tokens.count(word)
            prefix = sum(1 for t in tokens if t != word and len(word) >= 4 and t.startswith(word[:-1]))
            score += weight * (min(exact, 5) + 0.5 * min(prefix, 5))
    return score


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Overlapping or touching spans become one."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _drop_superseded(findings: list[Finding], supersedes: dict[str, set[str]]) -> list[Finding]:
    """A rule may replace others' findings (a title endorsement needs no separate disclaimer), and
    once a draft must not be posted at all, advice to add a disclaimer is moot."""
    fired = {f.rule for f in findings}
    dropped = {other for rule in fired for other in supersedes.get(rule, ())}
    stop = any(f.verdict is Verdict.STOP for f in findings)
    return [f for f in findings if f.rule not in dropped and not (stop and f.verdict is Verdict.DISCLAIMER)]


def _applies(account: str, on_duty: bool | None, context: Context) -> bool:
    return account in ("any", context.account) and on_duty in (None, context.on_duty)


def _clause_hits(scan: Scan, clause: Clause) -> bool:
    return bool(scan.hits(clause))


def _mask_sets(clause: Clause) -> list[TermSet]:
    sides = (clause.a, clause.b) if isinstance(clause, Near) else (clause,)
    return [s for s in sides if s.mask]
