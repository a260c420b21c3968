"""Where the "possible" band starts, chosen on verdicts rather than on one signal at a time.

A stop row whose signal is only "possible" gives review, so that a person looks. How low
"possible" reaches is a trade: lower catches more drafts that must not be posted, and sends
more fine drafts to a person. The policy asks that drafts which must stop are answered stop
or review at least 95% of the time, so the share of "likely" where "possible" starts is the
largest that reaches that on the calibration drafts (never the held-out split), down to a
floor. On the default pack's calibration drafts, going from 0.5 down to 0.35 sent about four
more drafts to a person for each draft that must stop it caught; going on down to 0.2, about
seven. The floor keeps the review queue usable.
"""

from __future__ import annotations

import numpy as np

from policy.heads import POSSIBLE_SHARE, band_of
from policy.model import Context, Verdict
from policy.table import Presence, Row, apply_table

STOP_RECALL_TARGET = 0.95
FALSE_STOP_LIMIT = 0.05
SHARES = (0.5, 0.45, 0.4, 0.35)  # of "likely"; the first reaching the target wins, else the floor


def possible_share(
    signals: tuple[str, ...],
    rows: list[Row],
    thresholds: np.ndarray,
    probabilities: np.ndarray,
    detected: list[dict[str, Presence]],
    contexts: list[Context],
) -> float:
    """The largest share of each signal's "likely" threshold at which the given drafts (all
    expected to stop: their probabilities, detector findings and contexts) are answered stop
    or review at least STOP_RECALL_TARGET of the time; the floor if none does."""
    if not contexts:
        return SHARES[0]
    for share in SHARES:
        bands = np.column_stack([thresholds[:, 1] * share, thresholds[:, 1], thresholds[:, 2]])
        caught = sum(
            _verdict(signals, rows, bands, p, found, context) >= Verdict.REVIEW
            for p, found, context in zip(probabilities, detected, contexts, strict=True)
        )
        if caught / len(contexts) >= STOP_RECALL_TARGET:
            return share
    return SHARES[-1]


def _verdict(signals, rows, bands, probabilities, found, context) -> Verdict:
    present = dict(found)
    for k, signal in enumerate(signals):
        band = band_of(bands[k], float(probabilities[k]))
        if band is not None:
            present[signal] = Presence(signal, band, ((0, 0),))
    return max((f.verdict for f in apply_table(rows, present, context)), default=Verdict.OK)


LIKELY_GRID = tuple(np.round(np.arange(0.2, 0.85, 0.05), 2))
MIN_GAIN = 3  # drafts: a threshold moves only for a clear gain, not for noise


def tune_for_verdicts(
    signals: tuple[str, ...],
    rows: list[Row],
    thresholds: np.ndarray,
    probabilities: np.ndarray,
    detected: list[dict[str, Presence]],
    contexts: list[Context],
    expected: list[Verdict],
    passes: int = 2,
) -> np.ndarray:
    """Each signal's "likely" threshold moved, one signal at a time, to where the calibration
    drafts get the most verdicts right, rather than where the signal alone scores best: the
    table turns some signals into a stop and others into a disclaimer, so their errors do not
    cost the same. A move must gain MIN_GAIN drafts and keep both limits of the policy: drafts
    that must stop answered stop or review at least STOP_RECALL_TARGET of the time (as
    `possible_share` will then ensure), and fine drafts answered stop at most FALSE_STOP_LIMIT."""
    tuned = thresholds.copy()

    must_stop = sum(e is Verdict.STOP for e in expected)
    fine = sum(e is Verdict.OK for e in expected)

    def score(candidate: np.ndarray) -> tuple[int, float, float]:
        verdicts = [
            _verdict(signals, rows, candidate, p, found, context)
            for p, found, context in zip(probabilities, detected, contexts, strict=True)
        ]
        pairs = list(zip(verdicts, expected, strict=True))
        caught = sum(v >= Verdict.REVIEW for v, e in pairs if e is Verdict.STOP) / max(1, must_stop)
        false_stops = sum(v is Verdict.STOP for v, e in pairs if e is Verdict.OK) / max(1, fine)
        return sum(v is e for v, e in pairs), caught, false_stops

    best, first_caught, _ = score(tuned)
    recall_floor = min(STOP_RECALL_TARGET, first_caught)
    for _ in range(passes):
        for k in range(len(signals)):
            for likely in LIKELY_GRID:
                candidate = tuned.copy()
                candidate[k] = (likely * POSSIBLE_SHARE, likely, max(candidate[k, 2], likely + 0.05))
                right, caught, false_stops = score(candidate)
                within = caught >= recall_floor and false_stops <= FALSE_STOP_LIMIT
                if within and right >= best + MIN_GAIN:
                    tuned, best = candidate, right
    return tuned
