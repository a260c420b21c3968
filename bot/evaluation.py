"""Scoring a labelled set of drafts: accuracy, confusion matrix, per-category precision/recall."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from policy import CATEGORIES, Context, Policy, Verdict

LABELS = [v.label for v in Verdict]


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    confusion: Counter = field(default_factory=Counter)  # (expected, got) -> n
    category_tp: Counter = field(default_factory=Counter)
    category_fp: Counter = field(default_factory=Counter)
    category_fn: Counter = field(default_factory=Counter)
    misses: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, case: dict, got: Verdict, categories: tuple[str, ...]) -> None:
        expected = case["expected"]
        self.total += 1
        self.confusion[(expected, got.label)] += 1
        if got.label == expected:
            self.correct += 1
        else:
            self.misses.append(
                {
                    "id": case.get("id"),
                    "expected": expected,
                    "got": got.label,
                    "text": case["text"],
                    "why": case.get("why", ""),
                }
            )
        if "categories" not in case:  # the pack's own drafts carry signals, not categories
            return
        wanted, found = set(case["categories"] or ()), set(categories)
        for category in CATEGORIES:
            if category in wanted and category in found:
                self.category_tp[category] += 1
            elif category in found:
                self.category_fp[category] += 1
            elif category in wanted:
                self.category_fn[category] += 1

    def rate(self, expected: str, predicate) -> float | None:
        row = {got: n for (exp, got), n in self.confusion.items() if exp == expected}
        total = sum(row.values())
        return sum(n for got, n in row.items() if predicate(got)) / total if total else None

    def to_dict(self) -> dict:
        categories = {}
        for category in CATEGORIES:
            tp, fp, fn = self.category_tp[category], self.category_fp[category], self.category_fn[category]
            if tp + fp + fn:
                categories[category] = {
                    "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                    "recall": round(tp / (tp + fn), 3) if tp + fn else None,
                    "support": tp + fn,
                }
        return {
            "total": self.total,
            "accuracy": round(self.correct / self.total, 4) if self.total else None,
            "stop_recall": _round(self.rate("stop", lambda got: got in ("stop", "review"))),
            "stop_exact_recall": _round(self.rate("stop", lambda got: got == "stop")),
            "false_stop_rate_on_ok": _round(self.rate("ok", lambda got: got == "stop")),
            "confusion": {e: {g: self.confusion[(e, g)] for g in LABELS} for e in LABELS},
            "categories": categories,
            "misses": self.misses,
            "errors": self.errors,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def evaluate(policy: Policy, cases: list[dict], batch: int = 64) -> Report:
    """Verdicts for labelled cases, checked in batches through the encoder."""
    report = Report()
    for start in range(0, len(cases), batch):
        part = cases[start : start + batch]
        drafts = [(c["text"], Context(c.get("account", "personal"), bool(c.get("on_duty")))) for c in part]
        for case, assessment in zip(part, policy.check_many(drafts), strict=True):
            report.add(case, assessment.verdict, assessment.categories)
    return report


def held_out_cases(policy: Policy) -> list[dict]:
    """The pack's held-out examples that carry a context and an expected verdict."""
    return [
        {
            "id": f"{e.path.name}:{e.line}",
            "text": e.text,
            "account": e.context.account,
            "on_duty": e.context.on_duty,
            "expected": e.expected.label,
        }
        for e in policy.examples
        if e.held_out and e.context is not None and e.expected is not None
    ]


def signal_scores(policy: Policy, batch: int = 64) -> dict[str, dict]:
    """Per signal and detector on the held-out examples: precision and recall from "likely" up."""
    examples = [e for e in policy.examples if e.held_out]
    counts = {name: Counter() for name in [s.id for s in policy.signals] + [d.id for d in policy.detectors]}
    for start in range(0, len(examples), batch):
        part = examples[start : start + batch]
        for example, found in zip(part, policy.find_many([e.text for e in part]), strict=True):
            truth = example.signals | example.detectors
            for name, count in counts.items():
                got = name in found and found[name].sure
                count["tp" if got and name in truth else "fp" if got else "fn" if name in truth else "tn"] += 1
    return {
        name: {
            "precision": round(c["tp"] / (c["tp"] + c["fp"]), 3) if c["tp"] + c["fp"] else None,
            "recall": round(c["tp"] / (c["tp"] + c["fn"]), 3) if c["tp"] + c["fn"] else None,
            "support": c["tp"] + c["fn"],
        }
        for name, c in counts.items()
    }


def format_signals(scores: dict[str, dict]) -> str:
    lines = ["per signal and detector (held-out split):  precision   recall  support"]
    for name, s in scores.items():
        lines.append(f"  {name:<40}{_fmt(s['precision']):>10}{_fmt(s['recall']):>9}{s['support']:>9}")
    return "\n".join(lines)


def format_report(data: dict) -> str:
    if not data["total"]:
        lines = ["cases: 0 (no draft with an expected verdict to score)"]
        return "\n".join(lines + [f"error: {error}" for error in data["errors"]])
    lines = [
        f"cases: {data['total']}",
        f"verdict accuracy: {_fmt(data['accuracy'])}",
        f"stop recall (stop answered stop or review): {_fmt(data['stop_recall'])}",
        f"stop answered exactly stop: {_fmt(data['stop_exact_recall'])}",
        f"false-stop rate on ok cases: {_fmt(data['false_stop_rate_on_ok'])}",
        "",
        "confusion (rows expected, columns answered):",
        "             " + "".join(f"{label:>11}" for label in LABELS),
    ]
    for expected in LABELS:
        row = data["confusion"][expected]
        lines.append(f"  {expected:<11}" + "".join(f"{row[g]:>11}" for g in LABELS))
    if data["categories"]:
        lines += ["", "per category:          precision   recall  support"]
    for category, scores in data["categories"].items():
        lines.append(
            f"  {category:<20}{_fmt(scores['precision']):>10}{_fmt(scores['recall']):>9}{scores['support']:>9}"
        )
    if data["misses"]:
        lines += ["", f"misses ({len(data['misses'])}):"]
        for miss in data["misses"]:
            text = miss["text"].replace("\n", " ")
            text = text if len(text) <= 100 else text[:97] + "..."
            lines.append(f"  {miss['id']}: expected {miss['expected']}, got {miss['got']}: {text}")
            if miss["why"]:
                lines.append(f"      why: {miss['why']}")
    for error in data["errors"]:
        lines.append(f"error: {error}")
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
