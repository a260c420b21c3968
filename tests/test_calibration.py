"""Where "possible" starts is chosen on verdicts of the calibration drafts that must stop."""

import numpy as np

from policy.calibration import SHARES, STOP_RECALL_TARGET, possible_share
from policy.model import Context, Verdict
from policy.table import Row

SIGNALS = ("leak", "role")
ROWS = [Row("conf.leak", "leak", Verdict.STOP, ("confidential",), "confidential-information", "A leak.")]
THRESHOLDS = np.array([[0.25, 0.5, 0.8], [0.25, 0.5, 0.8]], np.float32)  # likely at 0.5 for both


def share_for(leak_probabilities: list[float]) -> float:
    probabilities = np.array([[p, 0.9] for p in leak_probabilities], np.float32)
    contexts = [Context("personal", False)] * len(leak_probabilities)
    return possible_share(SIGNALS, ROWS, THRESHOLDS, probabilities, [{}] * len(contexts), contexts)


def test_the_default_share_when_the_drafts_that_must_stop_are_already_caught():
    assert share_for([0.9] * 19 + [0.3]) == SHARES[0]  # 0.3 >= 0.5 x 0.5: "possible", so review


def test_possible_reaches_lower_until_enough_drafts_that_must_stop_are_caught():
    # 19 of 20 above "likely"; the last one at 0.2 is caught only once possible starts at 0.4 x 0.5.
    assert STOP_RECALL_TARGET <= 19 / 20 + 1e-9
    assert share_for([0.9] * 18 + [0.2, 0.2]) == 0.4


def test_the_floor_when_the_target_cannot_be_reached():
    assert share_for([0.9] * 10 + [0.01] * 10) == SHARES[-1]


def test_no_drafts_that_must_stop_keeps_the_default():
    assert possible_share(SIGNALS, ROWS, THRESHOLDS, np.zeros((0, 2)), [], []) == SHARES[0]
