"""Reading a policy pack directory: validate everything, then build it, or raise.

A pack never loads half-way: every problem is collected with its file, line and
reason, and `PackError` carries them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policy.matching import Clause, Matcher, Near, PatternError, TermSet, compile_regex, phrase_regex
from policy.model import CATEGORIES, Question, Section, Verdict
from policy.validators import VALIDATORS
from policy.yamlmarks import Marked, YamlProblem, line_of, load_yaml

BUILTIN_PACKS = Path(__file__).parent / "packs"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
RULE_KEYS = {
    "id",
    "category",
    "verdict",
    "section",
    "when",
    "match",
    "require",
    "unless",
    "also",
    "message",
    "fix",
    "examples",
    "disabled",
    "supersedes",
}
TERM_KEYS = {"phrases", "patterns", "cues", "validate", "mask"}
FIXES = ("none", "mask", "add_disclaimer")
PACK_KEYS = {
    "name",
    "version",
    "agency",
    "disclaimer",
    "contacts",
    "review_channel",
    "extends",
    "allowed_numbers",
    "max_draft_chars",
    "description",
}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class PackError(Exception):
    """A policy pack that cannot be loaded; `problems` lists file, line and reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("policy pack is invalid:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass
class Rule:
    id: str
    categories: tuple[str, ...]
    verdict: Verdict
    section: str
    account: str  # personal | official | any
    on_duty: bool | None
    match: list[Clause]
    require: list[Clause]
    unless: list[Clause]
    also: list[tuple[str, bool | None, tuple[str, ...]]]
    message: str
    fix: str
    flag_examples: tuple[str, ...]
    pass_examples: tuple[str, ...]
    path: Path
    line: int
    supersedes: tuple[str, ...] = ()  # rules whose findings this one replaces when both fire


@dataclass
class Sourced:
    value: Marked
    path: Path


@dataclass
class RawPack:
    """A pack's YAML after overlays are merged, each item remembering its file."""

    meta: dict[str, Any] = field(default_factory=dict)
    meta_path: Path = Path("pack.yaml")
    sections: dict[str, Sourced] = field(default_factory=dict)
    rules: dict[str, Sourced] = field(default_factory=dict)
    cues: dict[str, Sourced] = field(default_factory=dict)
    questions: dict[str, Sourced] = field(default_factory=dict)


@dataclass
class BuiltPack:
    meta: dict[str, Any]
    sections: dict[str, Section]
    rules: list[Rule]
    questions: list[Question]
    matcher: Matcher
    allowed_numbers: frozenset[str]


def resolve_pack(name_or_path: str | Path | None) -> Path:
    if name_or_path is None:
        return BUILTIN_PACKS / "default"
    path = Path(name_or_path)
    if not path.exists() and (BUILTIN_PACKS / str(name_or_path)).is_dir():
        return BUILTIN_PACKS / str(name_or_path)
    return path


def read_pack(directory: Path, problems: list[Problem], seen: tuple[Path, ...] = ()) -> RawPack:
    directory = directory.resolve()
    pack_file = directory / "pack.yaml"
    if directory in seen:
        problems.append(Problem(pack_file, 0, "extends: forms a cycle"))
        return RawPack()
    if not directory.is_dir():
        problems.append(Problem(directory, 0, "not a policy pack directory"))
        return RawPack()
    meta = _load(pack_file, problems, required=True) or Marked()
    if not isinstance(meta, dict):
        problems.append(Problem(pack_file, 1, "pack.yaml must be a mapping"))
        meta = Marked()
    for key in sorted(set(meta) - PACK_KEYS):
        problems.append(Problem(pack_file, line_of(meta, 1), f"unknown setting {key!r}"))
    raw = RawPack()
    if meta.get("extends"):
        raw = read_pack(resolve_pack_from(directory, str(meta["extends"])), problems, (*seen, directory))
    raw.meta = {**raw.meta, **{k: v for k, v in meta.items() if k != "extends"}}
    raw.meta_path = pack_file
    _merge_items(raw.sections, _items(directory / "sections.yaml", "sections", problems), "id", problems)
    _merge_items(raw.questions, _items(directory / "quiz.yaml", "questions", problems), "id", problems)
    rule_files = sorted((directory / "rules").glob("*.yaml")) if (directory / "rules").is_dir() else []
    for rule_file in rule_files:
        document = _load(rule_file, problems)
        if document is None:
            continue
        if not isinstance(document, dict) or not set(document) <= {"rules", "cues"}:
            problems.append(Problem(rule_file, 1, "a rules file holds 'rules:' and optionally 'cues:'"))
            continue
        for name, spec in (document.get("cues") or {}).items():
            raw.cues[name] = Sourced(spec, rule_file)
        _merge_items(raw.rules, _as_list(document, "rules", rule_file, problems), "id", problems)
    return raw


def resolve_pack_from(directory: Path, extends: str) -> Path:
    candidate = (directory / extends).resolve()
    return candidate if candidate.is_dir() else resolve_pack(extends)


def _load(path: Path, problems: list[Problem], required: bool = False) -> Any:
    if not path.exists():
        if required:
            problems.append(Problem(path, 0, "missing file"))
        return None
    try:
        return load_yaml(path)
    except YamlProblem as problem:
        problems.append(Problem(problem.path, problem.line, problem.reason))
        return None


def _as_list(document: Any, key: str, path: Path, problems: list[Problem]) -> list[Sourced]:
    items = document.get(key) if isinstance(document, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(Problem(path, line_of(document, 1), f"'{key}' must be a list"))
        return []
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(Sourced(item, path))
        else:
            problems.append(Problem(path, line_of(document, 1), f"each of '{key}' must be a mapping"))
    return out


def _items(path: Path, key: str, problems: list[Problem]) -> list[Sourced]:
    document = _load(path, problems)
    return [] if document is None else _as_list(document, key, path, problems)


def _merge_items(target: dict[str, Sourced], items: list[Sourced], key: str, problems: list[Problem]) -> None:
    """Add items by id; an item of an overlay replaces fields of the base item, or removes it."""
    seen_here: set[str] = set()
    for item in items:
        ident = item.value.get(key)
        if not isinstance(ident, str) or not ident:
            problems.append(Problem(item.path, line_of(item.value), f"missing '{key}'"))
            continue
        if ident in seen_here:
            problems.append(Problem(item.path, line_of(item.value), f"duplicate {key} {ident!r}"))
            continue
        seen_here.add(ident)
        if item.value.get("disabled") is True:
            target.pop(ident, None)
            continue
        if ident in target and target[ident].path.parent != item.path.parent:
            merged = Marked({**target[ident].value, **item.value})
            merged.line = line_of(item.value)
            target[ident] = Sourced(merged, item.path)
        else:
            target[ident] = item


class _Builder:
    def __init__(self, raw: RawPack, problems: list[Problem]) -> None:
        self.raw, self.problems, self.matcher = raw, problems, Matcher()
        self._cue_sources: dict[str, list[str]] = {}

    def problem(self, item: Sourced | Path, line: int, reason: str) -> None:
        path = item.path if isinstance(item, Sourced) else item
        self.problems.append(Problem(path, line, reason))

    def build(self) -> BuiltPack:
        meta = self.raw.meta
        if not isinstance(meta.get("disclaimer"), str) or not meta["disclaimer"].strip():
            self.problem(self.raw.meta_path, 1, "'disclaimer' (the disclaimer template) is required")
        allowed = frozenset(str(n) for n in meta.get("allowed_numbers") or ())
        sections = {sid: s for sid, item in self.raw.sections.items() if (s := self.section(item))}
        rules = [r for item in self.raw.rules.values() if (r := self.rule(item, sections))]
        questions = [q for item in self.raw.questions.values() if (q := self.question(item, sections))]
        if not sections:
            self.problem(self.raw.meta_path, 1, "the pack has no sections")
        self.matcher.freeze()
        return BuiltPack(dict(meta), sections, rules, questions, self.matcher, allowed)

    def section(self, item: Sourced) -> Section | None:
        value, line = item.value, line_of(item.value)
        for key in ("title", "body"):
            if not isinstance(value.get(key), str) or not value[key].strip():
                self.problem(item, line, f"section {value['id']!r}: '{key}' is required")
                return None
        return Section(
            value["id"],
            value["title"].strip(),
            value["body"].strip(),
            tuple(value.get("keywords") or ()),
            tuple(value.get("sources") or ()),
        )

    def question(self, item: Sourced, sections: dict[str, Section]) -> Question | None:
        value, line = item.value, line_of(item.value)
        options = value.get("options")
        answer = value.get("answer")
        if not isinstance(options, list) or len(options) < 2:
            self.problem(item, line, f"question {value['id']!r}: 'options' needs at least two choices")
            return None
        if isinstance(answer, str) and answer in options:
            answer = options.index(answer)
        if not isinstance(answer, int) or not 0 <= answer < len(options):
            self.problem(item, line, f"question {value['id']!r}: 'answer' must name one of the options")
            return None
        if value.get("section") not in sections:
            self.problem(item, line, f"question {value['id']!r}: unknown section {value.get('section')!r}")
            return None
        return Question(
            value["id"],
            str(value.get("prompt", "")).strip(),
            tuple(str(o) for o in options),
            answer,
            str(value.get("explanation", "")).strip(),
            value["section"],
        )

    def rule(self, item: Sourced, sections: dict[str, Section]) -> Rule | None:
        value, line = item.value, line_of(item.value)
        rid = value["id"]
        before = len(self.problems)

        def bad(reason: str) -> None:
            self.problem(item, line, f"rule {rid!r}: {reason}")

        for key in sorted(set(value) - RULE_KEYS):
            bad(f"unknown key {key!r}")
        categories = value.get("category")
        categories = [categories] if isinstance(categories, str) else categories
        if not categories or not all(c in CATEGORIES for c in categories):
            bad(f"'category' must be one or more of {', '.join(CATEGORIES)}")
        verdict = value.get("verdict")
        if verdict not in [v.label for v in Verdict]:
            bad("'verdict' must be ok, disclaimer, review or stop")
        if value.get("section") not in sections:
            bad(f"unknown section {value.get('section')!r}")
        if not isinstance(value.get("message"), str) or not value["message"].strip():
            bad("'message' is required")
        fix = value.get("fix", "none")
        if fix not in FIXES:
            bad(f"'fix' must be one of {', '.join(FIXES)}")
        account, on_duty = self.when(value.get("when"), bad)
        match = self.clauses(value.get("match"), bad, "match")
        if not match:
            bad("'match' needs at least one clause")
        require = self.clauses(value.get("require"), bad, "require")
        unless = self.clauses(value.get("unless"), bad, "unless")
        also = []
        for extra in value.get("also") or ():
            extra_account, extra_duty = self.when(extra.get("when"), bad)
            extra_categories = tuple(extra.get("categories") or ())
            if not all(c in CATEGORIES for c in extra_categories):
                bad("'also' names an unknown category")
            also.append((extra_account, extra_duty, extra_categories))
        supersedes = value.get("supersedes") or []
        if not isinstance(supersedes, list) or not all(isinstance(s, str) for s in supersedes):
            bad("'supersedes' must be a list of rule ids")
        examples = value.get("examples") or {}
        if not isinstance(examples, dict) or set(examples) - {"flag", "pass"}:
            bad("'examples' holds 'flag' and 'pass' lists")
            examples = {}
        if len(self.problems) > before:
            return None
        return Rule(
            rid,
            tuple(categories),
            Verdict.parse(verdict),
            value["section"],
            account,
            on_duty,
            match,
            require,
            unless,
            also,
            value["message"].strip(),
            fix,
            tuple(examples.get("flag") or ()),
            tuple(examples.get("pass") or ()),
            item.path,
            line,
            tuple(supersedes),
        )

    @staticmethod
    def when(value: Any, bad) -> tuple[str, bool | None]:
        value = value or {}
        if not isinstance(value, dict) or set(value) - {"account", "on_duty"}:
            bad("'when' takes 'account' and 'on_duty'")
            return "any", None
        account = value.get("account", "any")
        if account not in ("any", "personal", "official"):
            bad("'when.account' must be personal, official or any")
        on_duty = value.get("on_duty", "any")
        if on_duty not in (True, False, "any"):
            bad("'when.on_duty' must be true, false or any")
        return account, None if on_duty == "any" else on_duty

    def clauses(self, value: Any, bad, where: str) -> list[Clause]:
        if value is None:
            return []
        value = [value] if isinstance(value, dict) else value
        if not isinstance(value, list):
            bad(f"'{where}' must be a clause or a list of clauses")
            return []
        out: list[Clause] = []
        for clause in value:
            if isinstance(clause, dict) and "near" in clause:
                pair = clause["near"]
                within = clause.get("within", 6)
                if not isinstance(pair, list) or len(pair) != 2 or not isinstance(within, int):
                    bad(f"'{where}': 'near' takes two term lists and a whole number 'within'")
                    continue
                a, b = (self.term_set(side, bad, where) for side in pair)
                if a and b:
                    out.append(Near(a, b, within))
            elif (term_set := self.term_set(clause, bad, where)) is not None:
                out.append(term_set)
        return out

    def term_set(self, spec: Any, bad, where: str) -> TermSet | None:
        if isinstance(spec, list):
            spec = {"phrases": spec}
        if not isinstance(spec, dict) or not spec or set(spec) - TERM_KEYS:
            bad(f"'{where}': a clause takes {', '.join(sorted(TERM_KEYS))} or 'near'")
            return None
        sources = self.sources(spec, bad, where)
        validate = spec.get("validate")
        if validate is not None and validate not in VALIDATORS:
            bad(f"'{where}': unknown validate {validate!r} (known: {', '.join(VALIDATORS)})")
            return None
        if not sources:
            return None
        try:
            mask = spec.get("mask", validate is not None)
            if mask not in (True, False, "last_word"):
                bad(f"'{where}': 'mask' must be true, false or last_word")
                return None
            return self.matcher.term_set(sources, validate, mask)
        except PatternError as error:
            bad(f"'{where}': pattern does not compile: {error}")
            return None

    def sources(self, spec: dict, bad, where: str) -> list[str]:
        sources: list[str] = []
        for phrase in spec.get("phrases") or ():
            if not isinstance(phrase, str) or not phrase.strip():
                bad(f"'{where}': empty or non-text phrase")
                continue
            sources.append(phrase_regex(phrase))
        for pattern in spec.get("patterns") or ():
            expanded = self.expand(str(pattern), bad)
            try:
                compile_regex(expanded)
                sources.append(f"(?:{expanded})")
            except PatternError as error:
                bad(f"'{where}': pattern {pattern!r} does not compile: {error}")
        for name in spec.get("cues") or ():
            sources.extend(self.cue(name, bad, ()))
        return sources

    def expand(self, pattern: str, bad, stack: tuple[str, ...] = ()) -> str:
        """Replace each {{name}} in a pattern by the alternation of cue list `name`."""
        return _PLACEHOLDER.sub(lambda m: "(?:" + "|".join(self.cue(m.group(1), bad, stack)) + ")", pattern)

    def cue(self, name: str, bad, stack: tuple[str, ...]) -> list[str]:
        if name in self._cue_sources:
            return self._cue_sources[name]
        if name not in self.raw.cues:
            bad(f"unknown cue list {name!r}")
            return []
        if name in stack:
            bad(f"cue list {name!r} includes itself")
            return []
        spec = self.raw.cues[name].value
        if isinstance(spec, list):
            spec = {"phrases": spec}
        result = [phrase_regex(p) for p in spec.get("phrases") or () if isinstance(p, str) and p.strip()]
        result += [f"(?:{self.expand(str(p), bad, (*stack, name))})" for p in spec.get("patterns") or ()]
        for inner in spec.get("cues") or ():
            result += self.cue(inner, bad, (*stack, name))
        self._cue_sources[name] = result
        return result


def build_pack(directory: str | Path | None) -> BuiltPack:
    problems: list[Problem] = []
    raw = read_pack(resolve_pack(directory), problems)
    built = _Builder(raw, problems).build() if not problems else None
    if problems or built is None:
        raise PackError(problems)
    return built
