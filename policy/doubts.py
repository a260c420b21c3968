"""Labels the heads doubt: training drafts whose out-of-fold score contradicts their label.

A draft labelled with a signal that the models of the other folds give almost no chance, or
left without one they are almost sure of, is either hard or mislabelled. On the default pack a
blind second reading reversed 179 of 1,178 such labels (see docs/judgement-history.md, "A second
reading of the labels the heads doubt"). `policy train --doubts FILE` lists them, most doubted
first, for a person to read again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

DOUBT_BELOW = 0.05  # a label the folds give less than this, or its absence more than 1 - this


@dataclass(frozen=True)
class Doubt:
    path: Path
    line: int
    signal: str
    labelled: bool
    probability: float  # out of fold, as a check would score the draft

    @property
    def strength(self) -> float:
        return 1.0 - self.probability if self.labelled else self.probability

    def to_dict(self) -> dict:
        return {
            "file": self.path.name,
            "line": self.line,
            "signal": self.signal,
            "labelled": self.labelled,
            "out_of_fold": round(self.probability, 3),
        }


def doubtful_labels(
    places: list[tuple[Path, int]],
    signals: tuple[str, ...],
    labels: np.ndarray,
    probabilities: np.ndarray,
    below: float = DOUBT_BELOW,
) -> list[Doubt]:
    """`places`: each training draft's file and line; `labels` and `probabilities` are
    (drafts, signals). The doubts, most doubted first."""
    labelled = labels > 0.5
    doubted = (labelled & (probabilities < below)) | (~labelled & (probabilities > 1.0 - below))
    found = [
        Doubt(*places[row], signals[column], bool(labelled[row, column]), float(probabilities[row, column]))
        for row, column in zip(*np.nonzero(doubted), strict=True)
    ]
    return sorted(found, key=lambda d: (-d.strength, d.path.name, d.line))
