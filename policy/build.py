"""Turn a merged raw pack into typed parts, or collect every problem with file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policy.detectorbase import DetectorSettings
from policy.detectors import KINDS
from policy.examples import Example
from policy.model import CATEGORIES, Question, Section, Verdict, paragraphs
from policy.pack import (
    PackError,
    Problem,
    RawPack,
    Sourced,
    load_examples,
    load_faq,
    read_pack,
    resolve_pack,
)
from policy.table import FIXES, Row
from policy.translations import question_translations, translations
from policy.yamlmarks import line_of

DETECTOR_KEYS = {"id", "kind", "message", "placeholder", "words", "public_words", "disabled"}
SIGNAL_KEYS = {"id", "description", "message", "disabled"}
ROW_KEYS = {"id", "when", "verdict", "categories", "section", "message", "messages", "fix", "supersedes", "disabled"}
WHEN_KEYS = {"finding", "with", "with_any", "without", "account", "on_duty"}


@dataclass(frozen=True)
class Detector:
    id: str
    kind: str
    message: str
    placeholder: str
    settings: DetectorSettings


@dataclass(frozen=True)
class Signal:
    id: str
    description: str
    message: str


@dataclass
class BuiltPack:
    meta: dict[str, Any]
    sections: dict[str, Section]
    questions: list[Question]
    detectors: list[Detector]
    signals: list[Signal]
    rows: list[Row]
    examples: list[Example]
    model_paths: list[Path]
    faq: tuple[tuple[str, str], ...] = ()
    raw: RawPack | None = None  # kept to read the examples later, when they were skipped
    examples_read: bool = True  # False: `examples` is empty until read_built_examples


def build_pack(path: str | Path | None, examples: bool = True) -> BuiltPack:
    """The pack, validated; with `examples` False its labelled drafts are read later, on demand
    (`read_built_examples`)."""
    problems: list[Problem] = []
    directory = resolve_pack(path)
    raw = read_pack(directory, problems)
    if not directory.is_dir():  # the missing pack's missing sections would only repeat it
        raise PackError(problems)
    built = _Builder(raw, problems, examples).build()
    if problems:
        raise PackError(problems)
    return built


def read_built_examples(built: BuiltPack) -> list[Example]:
    """The examples of a pack built without them; raises PackError for any bad line."""
    problems: list[Problem] = []
    signals, detectors = {s.id for s in built.signals}, {d.id for d in built.detectors}
    examples = load_examples(built.raw, signals, detectors, problems) if built.raw else []
    if problems:
        raise PackError(problems)
    return examples


class _Builder:
    def __init__(self, raw: RawPack, problems: list[Problem], examples: bool = True) -> None:
        self.raw, self.problems, self.with_examples = raw, problems, examples

    def problem(self, item: Sourced | Path, line: int, reason: str) -> None:
        path = item.path if isinstance(item, Sourced) else item
        self.problems.append(Problem(path, line, reason))

    def build(self) -> BuiltPack:
        meta, items = self.raw.meta, self.raw.items
        if not isinstance(meta.get("disclaimer"), str) or not meta["disclaimer"].strip():
            self.problem(self.raw.meta_path, 1, "'disclaimer' (the disclaimer template) is required")
        sections = {sid: s for sid, item in items["sections"].items() if (s := self.section(item))}
        if not sections:
            self.problem(self.raw.meta_path, 1, "the pack has no sections")
        questions = [q for item in items["questions"].values() if (q := self.question(item, sections))]
        detectors = [d for item in items["detectors"].values() if (d := self.detector(item))]
        signals = [s for item in items["signals"].values() if (s := self.signal(item))]
        known = {d.id for d in detectors} | {s.id for s in signals}
        rows = [r for item in items["rows"].values() if (r := self.row(item, sections, known))]
        for row in rows:
            for other in row.supersedes:
                if other not in {r.id for r in rows}:
                    self.problem(items["rows"][row.id], line_of(items["rows"][row.id].value), f"unknown row {other!r}")
        examples = (
            load_examples(self.raw, {s.id for s in signals}, {d.id for d in detectors}, self.problems)
            if self.with_examples
            else []
        )
        faq = load_faq(self.raw, set(sections), self.problems)
        model_paths = self.raw.model_paths
        return BuiltPack(
            dict(meta),
            sections,
            questions,
            detectors,
            signals,
            rows,
            examples,
            model_paths,
            faq,
            self.raw,
            examples_read=self.with_examples,
        )

    def section(self, item: Sourced) -> Section | None:
        value, line = item.value, line_of(item.value)
        for key in ("title", "body"):
            if not isinstance(value.get(key), str) or not value[key].strip():
                self.problem(item, line, f"section {value['id']!r}: '{key}' is required")
                return None
        titles = translations(value.get("titles"))
        if titles is None:
            self.problem(item, line, f"section {value['id']!r}: 'titles' must map language codes (fr, es) to titles")
            return None
        bodies = translations(value.get("bodies"))
        count = len(paragraphs(value["body"]))
        if bodies is None or any(len(paragraphs(body)) != count for _, body in bodies):
            reason = f"'bodies' must map language codes (fr, es) to bodies of {count} paragraphs, as 'body' has"
            self.problem(item, line, f"section {value['id']!r}: {reason}")
            return None
        return Section(
            value["id"],
            value["title"].strip(),
            value["body"].strip(),
            tuple(value.get("keywords") or ()),
            tuple(value.get("sources") or ()),
            titles,
            bodies,
        )

    def question(self, item: Sourced, sections: dict[str, Section]) -> Question | None:
        value, line = item.value, line_of(item.value)
        options, answer = value.get("options"), value.get("answer")
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
        translated = question_translations(value.get("translations"), len(options))
        if translated is None:
            reason = "'translations' must map language codes (fr, es) to a prompt, the same number of options"
            self.problem(item, line, f"question {value['id']!r}: {reason} and an explanation")
            return None
        return Question(
            value["id"],
            str(value.get("prompt", "")).strip(),
            tuple(str(o) for o in options),
            answer,
            str(value.get("explanation", "")).strip(),
            value["section"],
            translated,
        )

    def detector(self, item: Sourced) -> Detector | None:
        value, line = item.value, line_of(item.value)
        before = len(self.problems)
        for key in sorted(set(value) - DETECTOR_KEYS):
            self.problem(item, line, f"detector {value['id']!r}: unknown key {key!r}")
        if value.get("kind") not in KINDS:
            self.problem(item, line, f"detector {value['id']!r}: 'kind' must be one of {', '.join(KINDS)}")
        words, public_words = value.get("words") or [], value.get("public_words") or []
        for key, listed in (("words", words), ("public_words", public_words)):
            if not isinstance(listed, list) or not all(isinstance(w, str) and w.strip() for w in listed):
                self.problem(item, line, f"detector {value['id']!r}: '{key}' must be a list of words")
        if not isinstance(value.get("message"), str):
            self.problem(item, line, f"detector {value['id']!r}: 'message' is required")
        if len(self.problems) > before:
            return None
        meta = self.raw.meta
        settings = DetectorSettings(
            words=tuple(words),
            public_words=tuple(public_words),
            regions=tuple(meta.get("phone_regions") or ("US",)),
            allowed_numbers=frozenset(str(n) for n in meta.get("allowed_numbers") or ()),
            public_email_domains=tuple(str(d).lower() for d in meta.get("public_email_domains") or ()),
            public_email_names=frozenset(str(n).lower() for n in meta.get("public_email_names") or ()),
        )
        try:
            settings.words_regex()
            settings.words_regex(case_sensitive=True)
            settings.public_regex()
        except Exception as error:  # RE2 reports a bad `re:` word with its own exception type
            self.problem(item, line, f"detector {value['id']!r}: a word does not compile: {error}")
            return None
        return Detector(
            value["id"], value["kind"], value["message"].strip(), str(value.get("placeholder", "")), settings
        )

    def signal(self, item: Sourced) -> Signal | None:
        value, line = item.value, line_of(item.value)
        for key in sorted(set(value) - SIGNAL_KEYS):
            self.problem(item, line, f"signal {value['id']!r}: unknown key {key!r}")
            return None
        for key in ("description", "message"):
            if not isinstance(value.get(key), str) or not value[key].strip():
                self.problem(item, line, f"signal {value['id']!r}: '{key}' is required")
                return None
        return Signal(value["id"], " ".join(value["description"].split()), value["message"].strip())

    def row(self, item: Sourced, sections: dict[str, Section], known: set[str]) -> Row | None:
        value, line = item.value, line_of(item.value)
        before = len(self.problems)

        def bad(reason: str) -> None:
            self.problem(item, line, f"row {value['id']!r}: {reason}")

        for key in sorted(set(value) - ROW_KEYS):
            bad(f"unknown key {key!r}")
        when = value.get("when")
        if not isinstance(when, dict) or set(when) - WHEN_KEYS or "finding" not in when:
            bad(f"'when' needs 'finding' and takes {', '.join(sorted(WHEN_KEYS))}")
            return None
        named = [
            when["finding"],
            *(when.get("with") or []),
            *(when.get("with_any") or []),
            *(when.get("without") or []),
        ]
        for finding in named:
            if finding not in known:
                bad(f"unknown signal or detector {finding!r}")
        account = when.get("account", "any")
        if account not in ("any", "personal", "official"):
            bad("'when.account' must be personal, official or any")
        on_duty = when.get("on_duty", "any")
        if on_duty not in (True, False, "any"):
            bad("'when.on_duty' must be true, false or any")
        categories = value.get("categories")
        if not isinstance(categories, list) or not categories or not all(c in CATEGORIES for c in categories):
            bad(f"'categories' must list one or more of {', '.join(CATEGORIES)}")
        if value.get("verdict") not in [v.label for v in Verdict]:
            bad("'verdict' must be ok, disclaimer, review or stop")
        if value.get("section") not in sections:
            bad(f"unknown section {value.get('section')!r}")
        if value.get("fix", "none") not in FIXES:
            bad(f"'fix' must be one of {', '.join(FIXES)}")
        if not isinstance(value.get("message"), str) or not value["message"].strip():
            bad("'message' is required")
        messages = translations(value.get("messages"))
        if messages is None:
            bad("'messages' must map language codes (fr, es) to message texts")
        if len(self.problems) > before:
            return None
        return Row(
            value["id"],
            when["finding"],
            Verdict.parse(value["verdict"]),
            tuple(categories),
            value["section"],
            value["message"].strip(),
            account,
            None if on_duty == "any" else on_duty,
            tuple(when.get("with") or ()),
            tuple(when.get("with_any") or ()),
            tuple(when.get("without") or ()),
            value.get("fix", "none"),
            tuple(value.get("supersedes") or ()),
            messages or (),
        )
