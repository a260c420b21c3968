"""Retrieval quality: recall@1 and @3 of the policy lookup on labelled questions, with the
shipped fusion beside e5 alone (without USE), semantic-only and keyword-only ranking,
and the time per question.

    python bench/retrieval_bench.py [FILE.jsonl ...]

Each line: {"question": "...", "section": "<section id>", "also": [other acceptable ids]}.
Default: the tuning questions (policy/data/retrieval_tune*.jsonl, which chose the fusion
weights) and the evaluation questions (tests/data/retrieval_eval.jsonl and
retrieval_apart.jsonl and retrieval_definitions_apart.jsonl, written apart and never used for
choosing anything).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from policy import Policy
from policy.retrieval import Retriever

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [
    ROOT / "policy/data/retrieval_tune.jsonl",
    ROOT / "policy/data/retrieval_tune_more.jsonl",
    ROOT / "tests/data/retrieval_eval.jsonl",
    ROOT / "tests/data/retrieval_apart.jsonl",
    ROOT / "tests/data/retrieval_definitions_apart.jsonl",
]


def recall(retriever: Retriever, cases: list[dict]) -> tuple[float, float, float, float]:
    """Recall@1 of the labelled section, @1 of it or another acceptable one ("also"), @3, ms."""
    first = acceptable = top3 = 0
    started = time.perf_counter()
    for case in cases:
        ids = [hit.section.id for hit in retriever.search(case["question"], 3)]
        first += ids[:1] == [case["section"]]
        acceptable += bool(ids) and ids[0] in [case["section"], *case.get("also", [])]
        top3 += case["section"] in ids
    ms = (time.perf_counter() - started) * 1000 / max(len(cases), 1)
    return first / len(cases), acceptable / len(cases), top3 / len(cases), ms


def main(files: list[Path]) -> None:
    policy = Policy.load()
    shipped = policy.retriever()

    def variant(**weights: float) -> Retriever:
        return Retriever(
            policy.sections, shipped._embed, "x", faq=policy._built.faq, weights=weights, second=shipped._second
        )

    variants = {
        "fused (shipped)": shipped,
        "e5 alone": variant(faq=2.0, text_second=0.0, faq_second=0.0),
        "no FAQ": variant(faq=0.0, faq_second=0.0),
        "FAQ only": variant(text=0.0, keywords=0.0, text_second=0.0),
        "keywords only": variant(text=0.0, faq=0.0, text_second=0.0, faq_second=0.0),
    }
    for retriever in variants.values():
        retriever._vectors = shipped.vectors()
    print(f"{'file':28} {'ranking':18} {'n':>4} {'R@1':>6} {'ok@1':>6} {'R@3':>6} {'ms/q':>6}")
    for path in files:
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for name, retriever in variants.items():
            r1, ok1, r3, ms = recall(retriever, cases)
            print(f"{path.name:28} {name:18} {len(cases):4d} {r1:6.3f} {ok1:6.3f} {r3:6.3f} {ms:6.1f}")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or DEFAULT_FILES)
