"""Retrieval quality: recall@1 and @3 of the policy lookup on labelled questions, with the
shipped fusion beside semantic-only and keyword-only ranking, and the time per question.

    python bench/retrieval_bench.py [FILE.jsonl ...]

Each line: {"question": "...", "section": "<section id>"}. Default: the tuning questions
(policy/data/retrieval_tune.jsonl, which chose the fusion weights) and the evaluation
questions (tests/data/retrieval_eval.jsonl, never used for choosing anything).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from policy import Policy
from policy.retrieval import Retriever

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [ROOT / "policy/data/retrieval_tune.jsonl", ROOT / "tests/data/retrieval_eval.jsonl"]


def recall(retriever: Retriever, cases: list[dict]) -> tuple[float, float, float]:
    first = top3 = 0
    started = time.perf_counter()
    for case in cases:
        ids = [hit.section.id for hit in retriever.search(case["question"], 3)]
        first += ids[:1] == [case["section"]]
        top3 += case["section"] in ids
    ms = (time.perf_counter() - started) * 1000 / max(len(cases), 1)
    return first / len(cases), top3 / len(cases), ms


def main(files: list[Path]) -> None:
    policy = Policy.load()
    shipped = policy.retriever()
    variants = {
        "fused (shipped)": shipped,
        "no FAQ": Retriever(policy.sections, shipped._embed, "x", faq=policy._built.faq, weights={"faq": 0.0}),
        "FAQ only": Retriever(
            policy.sections, shipped._embed, "x", faq=policy._built.faq, weights={"text": 0.0, "keywords": 0.0}
        ),
        "keywords only": Retriever(
            policy.sections, shipped._embed, "x", faq=policy._built.faq, weights={"text": 0.0, "faq": 0.0}
        ),
    }
    for variant in variants.values():
        variant._vectors = shipped.vectors()
    print(f"{'file':28} {'ranking':16} {'n':>4} {'R@1':>6} {'R@3':>6} {'ms/q':>6}")
    for path in files:
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for name, retriever in variants.items():
            r1, r3, ms = recall(retriever, cases)
            print(f"{path.name:28} {name:16} {len(cases):4d} {r1:6.3f} {r3:6.3f} {ms:6.1f}")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or DEFAULT_FILES)
