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

from policy.heads import band_of
from policy.model import Context, Verdict
from policy.table import Presence, Row, apply_table

STOP_RECALL_TARGET = 0.95
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
