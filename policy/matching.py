"""Term sets compiled once per pack and scanned together.

Every term set (a rule's phrases and patterns, or a shared cue list) becomes one
regular expression. All of them go into one RE2 set, so a draft is scanned once
to learn which term sets occur at all; spans are then found only for those.
RE2 runs in linear time, so no pattern in a pack can backtrack catastrophically.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import re2

from policy.normalize import Shadow, fold
from policy.validators import VALIDATORS

_WORD = re.compile(r"\S+")
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 64 << 20


class PatternError(ValueError):
    pass


def phrase_regex(phrase: str) -> str:
    folded = fold(phrase.strip())
    body = r"\s+".join(re.escape(part) for part in folded.split())
    start = r"\b" if folded[:1].isalnum() else ""
    end = r"\b" if folded[-1:].isalnum() else ""
    return f"{start}{body}{end}"


def compile_regex(source: str) -> re2._Regexp:
    try:
        return re2.compile(source, _RE2_OPTIONS)
    except re2.error as error:
        raise PatternError(str(error)) from None


@dataclass
class TermSet:
    index: int
    source: str
    regex: object
    validate: str | None
    mask: bool | str  # True: the whole hit; "last_word": its last word (the value after "password is")
    parts: tuple[str, ...] = ()  # the phrases and patterns it was built from


@dataclass
class Near:
    a: TermSet
    b: TermSet
    within: int


Clause = TermSet | Near


class Matcher:
    """Owns every compiled term set of a pack and the combined RE2 set."""

    def __init__(self) -> None:
        self.term_sets: list[TermSet] = []
        self._by_key: dict[tuple, TermSet] = {}
        self._set = None

    def term_set(self, sources: list[str], validate: str | None, mask: bool | str) -> TermSet:
        source = "(?i)(?:" + "|".join(sources) + ")"
        key = (source, validate, mask)
        if key not in self._by_key:
            regex = compile_regex(source)
            self._by_key[key] = TermSet(len(self.term_sets), source, regex, validate, mask, tuple(sources))
            self.term_sets.append(self._by_key[key])
        return self._by_key[key]

    def freeze(self) -> None:
        combined = re2.Set.SearchSet(_RE2_OPTIONS)
        for term_set in self.term_sets:
            combined.Add(term_set.source)
        combined.Compile()
        self._set = combined

    def scan(self, shadow: Shadow, original: str, allowed: frozenset[str]) -> Scan:
        present = frozenset(self._set.Match(shadow.text) or ()) if self.term_sets else frozenset()
        return Scan(shadow, original, allowed, present)


@dataclass
class Scan:
    """One draft's scan: which term sets occur, and their spans, computed on demand."""

    shadow: Shadow
    original: str
    allowed: frozenset[str]
    present: frozenset[int]
    _spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    _near: dict[tuple[int, int, int], list[tuple[int, int]]] = field(default_factory=dict)
    _word_starts: list[int] | None = None

    def spans(self, term_set: TermSet) -> list[tuple[int, int]]:
        """Shadow spans of a term set's hits (validated where the set says so)."""
        if term_set.index not in self.present:
            return []
        found = self._spans.get(term_set.index)
        if found is None:
            found = []
            for match in term_set.regex.finditer(self.shadow.text):
                if match.end() == match.start():
                    continue
                if term_set.validate:
                    start, end = self.shadow.span(match.start(), match.end())
                    check = VALIDATORS[term_set.validate]
                    if not check(match.group(), self.original[start:end], self.allowed):
                        continue
                found.append((match.start(), match.end()))
            self._spans[term_set.index] = found
        return found

    def hits(self, clause: Clause) -> list[tuple[int, int]]:
        if isinstance(clause, TermSet):
            return self.spans(clause)
        if clause.a.index not in self.present or clause.b.index not in self.present:
            return []
        key = (clause.a.index, clause.b.index, clause.within)
        if key not in self._near:
            self._near[key] = self._near_hits(clause)
        return self._near[key]

    def _near_hits(self, clause: Near) -> list[tuple[int, int]]:
        a_spans, b_spans = self.spans(clause.a), self.spans(clause.b)
        out: list[tuple[int, int]] = []
        for a in a_spans:
            close = [b for b in b_spans if self._distance(a, b) <= clause.within]
            if close:
                out.append(a)
                out.extend(b for b in close if b not in out)
        return out

    def _distance(self, a: tuple[int, int], b: tuple[int, int]) -> int:
        """Words between two spans (0 when they touch or overlap)."""
        if self._word_starts is None:
            self._word_starts = [m.start() for m in _WORD.finditer(self.shadow.text)]
        first, second = (a, b) if a[0] <= b[0] else (b, a)
        if second[0] < first[1]:
            return 0
        end_word = bisect.bisect_right(self._word_starts, first[1] - 1)
        start_word = bisect.bisect_right(self._word_starts, second[0])
        return max(0, start_word - end_word - 1)

    def original_span(self, span: tuple[int, int]) -> tuple[int, int]:
        return self.shadow.span(*span)
