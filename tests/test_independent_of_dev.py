"""The dev set (../shared/eval/dev.jsonl) measures and never trains: no training draft, intent
message or test draft of ours may repeat a run of eight words of a dev draft (shorter runs
catch common idioms). Skipped where the dev set is not beside the
checkout, as in CI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
RUN = 8


def runs(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def texts_of(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row.get("text") or row.get("question", "") for row in rows]


@pytest.mark.skipif(not DEV.exists(), reason="the dev set is not beside the checkout")
def test_no_draft_of_ours_repeats_eight_words_of_a_dev_draft():
    dev = set().union(*(runs(text) for text in texts_of(DEV)))
    ours = [
        *sorted((ROOT / "policy" / "packs").glob("*/examples/*.jsonl")),
        *sorted((ROOT / "policy" / "packs").glob("*/faq/*.jsonl")),
        ROOT / "policy" / "data" / "intent_train.jsonl",
        ROOT / "policy" / "data" / "retrieval_tune.jsonl",
        *sorted((ROOT / "tests" / "data").glob("*.jsonl")),
    ]
    found = [f"{path.relative_to(ROOT)}: {text[:60]!r}" for path in ours for text in texts_of(path) if runs(text) & dev]
    assert len(ours) > 10 and not found, found
