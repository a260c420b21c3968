"""Scoring a labelled set of drafts: accuracy, confusion matrix, per-category precision/recall."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from policy import CATEGORIES, Policy, Verdict

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
        wanted, found = set(case.get("categories") or ()), set(categories)
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


def evaluate(policy: Policy, cases: list[dict]) -> Report:
    report = Report()
    for case in cases:
        assessment = policy.check(
            case["text"], account=case.get("account", "personal"), on_duty=bool(case.get("on_duty"))
        )
        report.add(case, assessment.verdict, assessment.categories)
    return report


def format_report(data: dict) -> str:
    lines = [
        f"cases: {data['total']}",
        f"verdict accuracy: {data['accuracy']:.3f}",
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
