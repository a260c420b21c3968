"""Reading a policy pack directory and its overlays: every problem with file, line and reason.

A pack never loads half-way: problems are collected and `PackError` carries them all.
`policy.build` turns the merged raw pack into typed parts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policy.examples import Example, read_examples
from policy.translations import translations
from policy.yamlmarks import Marked, YamlProblem, line_of, load_yaml

BUILTIN_PACKS = Path(__file__).parent / "packs"
MODEL_FILE = Path("model") / "heads.npz"
SHOWN_PROBLEMS = 30
PACK_KEYS = {
    "name",
    "version",
    "agency",
    "disclaimer",
    "disclaimers",
    "contacts",
    "review_channel",
    "extends",
    "allowed_numbers",
    "max_draft_chars",
    "description",
    "phone_regions",
    "public_email_domains",
    "public_email_names",
    "public_contacts",
}
LIST_KEYS = {"allowed_numbers", "phone_regions", "public_email_domains", "public_email_names"}
# file name -> the list it holds
ITEM_FILES = {
    "sections.yaml": "sections",
    "quiz.yaml": "questions",
    "detectors.yaml": "detectors",
    "signals.yaml": "signals",
    "table.yaml": "rows",
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
        shown = "\n".join(f"  {p}" for p in problems[:SHOWN_PROBLEMS])
        more = f"\n  ... and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
        super().__init__(f"policy pack is invalid:\n{shown}{more}")


@dataclass
class Sourced:
    value: Marked
    path: Path


@dataclass
class RawPack:
    """A pack's files after overlays are merged, each item remembering its file."""

    meta: dict[str, Any] = field(default_factory=dict)
    meta_path: Path = Path("pack.yaml")
    items: dict[str, dict[str, Sourced]] = field(default_factory=lambda: {k: {} for k in ITEM_FILES.values()})
    example_files: list[Path] = field(default_factory=list)
    faq_files: list[Path] = field(default_factory=list)
    model_paths: list[Path] = field(default_factory=list)  # nearest pack first


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
    for key in sorted(LIST_KEYS & set(meta)):
        listed = meta[key]
        if listed is not None and not (isinstance(listed, list) and all(isinstance(v, (str, int)) for v in listed)):
            problems.append(Problem(pack_file, line_of(meta, 1), f"setting {key!r} must be a list of words or numbers"))
    if translations(meta.get("disclaimers")) is None:
        line = line_of(meta["disclaimers"], line_of(meta, 1))
        problems.append(Problem(pack_file, line, "'disclaimers' must map language codes (fr, es) to disclaimer texts"))
    raw = RawPack()
    if meta.get("extends"):
        raw = read_pack(_resolve_from(directory, str(meta["extends"])), problems, (*seen, directory))
    if "disclaimer" in meta and "disclaimers" not in meta:
        raw.meta.pop("disclaimers", None)  # an overlay's own disclaimer: the base's translations no longer say it
    raw.meta = {**raw.meta, **{k: v for k, v in meta.items() if k != "extends"}}
    raw.meta_path = pack_file
    for file_name, key in ITEM_FILES.items():
        _merge_items(raw.items[key], _items(directory / file_name, key, problems), problems)
    examples_dir = directory / "examples"
    if examples_dir.is_dir():
        raw.example_files.extend(sorted(examples_dir.glob("*.jsonl")))
    if (directory / "faq").is_dir():
        raw.faq_files.extend(sorted((directory / "faq").glob("*.jsonl")))
    raw.model_paths.insert(0, directory / MODEL_FILE)
    return raw


def load_faq(raw: RawPack, sections: set[str], problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """The questions each section answers (faq/*.jsonl: {"question": ..., "section": ...} per line)."""
    faq: list[tuple[str, str]] = []
    for path in raw.faq_files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path, 0, f"cannot read: {error}"))
            continue
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(Problem(path, number, f"not JSON: {error.msg}"))
                continue
            if not isinstance(item, dict) or not isinstance(item.get("question"), str) or not item["question"].strip():
                problems.append(Problem(path, number, "each line needs a non-empty 'question'"))
            elif item.get("section") not in sections:
                problems.append(Problem(path, number, f"unknown section {item.get('section')!r}"))
            else:
                faq.append((item["question"].strip(), item["section"]))
    return tuple(faq)


def load_examples(raw: RawPack, signals: set[str], detectors: set[str], problems: list[Problem]) -> list[Example]:
    examples: list[Example] = []
    seen: set[str] = set()
    for path in raw.example_files:
        found, bad = read_examples(path, signals, detectors)
        problems.extend(Problem(path, line, reason) for line, reason in bad)
        for example in found:
            key = " ".join(example.text.lower().split())
            if key in seen:
                problems.append(Problem(path, example.line, "the same draft is already an example"))
                continue
            seen.add(key)
            examples.append(example)
    return examples


def _resolve_from(directory: Path, extends: str) -> Path:
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


def _items(path: Path, key: str, problems: list[Problem]) -> list[Sourced]:
    document = _load(path, problems)
    if document is None:
        return []
    items = document.get(key) if isinstance(document, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(path, line_of(document, 1), f"{path.name} must hold a list '{key}'"))
        return []
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(Sourced(item, path))
        else:
            problems.append(Problem(path, line_of(document, 1), f"each of '{key}' must be a mapping"))
    return out


def _merge_items(target: dict[str, Sourced], items: list[Sourced], problems: list[Problem]) -> None:
    """Add items by id; an item of an overlay replaces fields of the base item, or removes it."""
    seen_here: set[str] = set()
    for item in items:
        ident = item.value.get("id")
        if not isinstance(ident, str) or not ident:
            problems.append(Problem(item.path, line_of(item.value), "missing 'id'"))
            continue
        if ident in seen_here:
            problems.append(Problem(item.path, line_of(item.value), f"duplicate id {ident!r}"))
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
