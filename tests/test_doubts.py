"""The labels the heads doubt: a label the out-of-fold score contradicts, most doubted first."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from policy.doubts import doubtful_labels

PLACES = [(Path("a.jsonl"), 1), (Path("a.jsonl"), 2), (Path("b.jsonl"), 7)]
SIGNALS = ("partisan", "nonpublic")


def test_a_label_the_folds_contradict_is_doubted_and_the_most_contradicted_comes_first():
    labels = np.array([[1, 0], [0, 0], [1, 1]], np.float32)
    scores = np.array([[0.01, 0.2], [0.98, 0.5], [0.6, 0.03]], np.float32)
    doubts = doubtful_labels(PLACES, SIGNALS, labels, scores)
    assert [(d.path.name, d.line, d.signal, d.labelled) for d in doubts] == [
        ("a.jsonl", 1, "partisan", True),  # labelled, scored 0.01
        ("a.jsonl", 2, "partisan", False),  # not labelled, scored 0.98
        ("b.jsonl", 7, "nonpublic", True),  # labelled, scored 0.03
    ]
    assert doubts[0].to_dict() == {
        "file": "a.jsonl",
        "line": 1,
        "signal": "partisan",
        "labelled": True,
        "out_of_fold": 0.01,
    }


def test_scores_that_merely_lean_against_a_label_are_not_doubts():
    labels = np.array([[1, 0], [0, 1], [0, 0]], np.float32)
    scores = np.array([[0.3, 0.7], [0.06, 0.94], [0.5, 0.5]], np.float32)
    assert doubtful_labels(PLACES, SIGNALS, labels, scores) == []
    assert len(doubtful_labels(PLACES, SIGNALS, labels, scores, below=0.35)) == 2
