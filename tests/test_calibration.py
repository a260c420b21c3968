"""Where "possible" starts is chosen on verdicts of the calibration drafts that must stop."""

import numpy as np

from policy.calibration import (
    LIKELY_GRID,
    PLATEAU,
    SHARES,
    STOP_RECALL_TARGET,
    TUNING_FALSE_STOP_LIMIT,
    TUNING_RECALL_TARGET,
    Judged,
    possible_share,
    tune_for_verdicts,
)
from policy.model import Context, Verdict
from policy.table import Row

SIGNALS = ("leak", "role")
ROWS = [Row("conf.leak", "leak", Verdict.STOP, ("confidential",), "confidential-information", "A leak.")]
THRESHOLDS = np.array([[0.25, 0.5, 0.8], [0.25, 0.5, 0.8]], np.float32)  # likely at 0.5 for both


def share_for(leak_probabilities: list[float]) -> float:
    probabilities = np.array([[p, 0.9] for p in leak_probabilities], np.float32)
    contexts = [Context("personal", False)] * len(leak_probabilities)
    drafts = Judged(SIGNALS, ROWS, probabilities, [{}] * len(contexts), contexts, [Verdict.STOP] * len(contexts))
    return possible_share(drafts, THRESHOLDS)


def test_the_default_share_when_the_drafts_that_must_stop_are_already_caught():
    assert share_for([0.9] * 19 + [0.3]) == SHARES[0]  # 0.3 >= 0.5 x 0.5: "possible", so review


def test_possible_reaches_lower_until_enough_drafts_that_must_stop_are_caught():
    # 18 of 20 above "likely"; the last two at 0.2 are caught only once possible starts at 0.4 x 0.5.
    assert TUNING_RECALL_TARGET > 18 / 20
    assert share_for([0.9] * 18 + [0.2, 0.2]) == 0.4


def test_possible_aims_past_the_policys_stop_recall():
    # 19 of 20 caught meets the policy's 95% but not the tuning's aim, so possible reaches lower
    assert STOP_RECALL_TARGET <= 19 / 20 < TUNING_RECALL_TARGET
    assert share_for([0.9] * 19 + [0.2]) == 0.4


def test_the_floor_when_the_target_cannot_be_reached():
    assert share_for([0.9] * 10 + [0.01] * 10) == SHARES[-1]


def test_no_drafts_that_must_stop_keeps_the_default():
    assert possible_share(Judged(SIGNALS, ROWS, np.zeros((0, 2)), [], [], []), THRESHOLDS) == SHARES[0]


VIEW_ROWS = [*ROWS, Row("disc.view", "role", Verdict.DISCLAIMER, ("disclaimer",), "disclaimers", "A view.")]
LIKELY_AT_06 = np.array([[0.3, 0.6, 0.9], [0.3, 0.6, 0.9]], np.float32)


def judged(rows: list[tuple[float, float, Verdict]]) -> Judged:
    probabilities = np.array([[leak, role] for leak, role, _ in rows], np.float32)
    contexts = [Context("personal", False)] * len(rows)
    return Judged(SIGNALS, VIEW_ROWS, probabilities, [{}] * len(rows), contexts, [e for _, _, e in rows])


def test_a_threshold_moves_to_where_more_verdicts_are_right():
    drafts = judged([(0.0, 0.4, Verdict.DISCLAIMER)] * 10 + [(0.0, 0.1, Verdict.OK)] * 10)
    assert drafts.rates(LIKELY_AT_06)[0] == 10
    tuned = tune_for_verdicts(drafts, LIKELY_AT_06)
    assert 0.1 < tuned[1, 1] <= 0.4 and drafts.rates(tuned)[0] == 20
    assert tuned[1, 1] == 0.3  # the middle of the thresholds that get all twenty right (0.2 to 0.4)
    assert tuned[0, 1] == LIKELY_GRID[len(LIKELY_GRID) // 2]  # no draft has it: every threshold is as good


def test_a_threshold_that_would_stop_fine_drafts_is_never_chosen():
    # the drafts that must stop and the fine ones look the same: catching the first stops the second
    drafts = judged([(0.5, 0.0, Verdict.STOP)] * 10 + [(0.5, 0.0, Verdict.OK)] * 10)
    assert drafts.rates(np.array([[0.25, 0.5, 0.9], [0.3, 0.6, 0.9]], np.float32))[2] == 1.0
    tuned = tune_for_verdicts(drafts, LIKELY_AT_06)
    assert tuned[0, 1] > 0.5 and drafts.rates(tuned)[1:] == (1.0, 0.0)  # all caught by review, none stopped


def test_catching_drafts_that_must_stop_comes_before_more_verdicts_right():
    # 8 stop drafts at 0.12 are caught (as review) only when "likely" is low enough that "possible"
    # (0.35 of it) reaches 0.12; that also sends 12 fine drafts at 0.12 to review. Reaching the
    # recall target wins over the 4 verdicts it costs.
    drafts = judged([(0.9, 0.0, Verdict.STOP)] * 92 + [(0.12, 0.0, Verdict.STOP)] * 8 + [(0.12, 0.0, Verdict.OK)] * 12)
    assert drafts.rates(LIKELY_AT_06)[1] == 0.92
    tuned = tune_for_verdicts(drafts, LIKELY_AT_06)
    right, caught, false_stops = drafts.rates(tuned)
    assert caught == 1.0 and false_stops == 0.0 and right == 92


def _tune_by_rescoring_everything(drafts: Judged, thresholds: np.ndarray, passes: int = 2) -> np.ndarray:
    """The tuning written the slow way: every candidate re-judges every draft."""
    tuned, share = thresholds.copy(), SHARES[-1]
    for _ in range(passes):
        for k in range(len(drafts.signals)):
            scored = []
            for likely in LIKELY_GRID:
                candidate = tuned.copy()
                candidate[k] = (likely * share, likely, max(candidate[k, 2], likely + 0.05))
                right, caught, false_stops = drafts.rates(candidate)
                if false_stops <= TUNING_FALSE_STOP_LIMIT:
                    scored.append((min(round(caught, 3), TUNING_RECALL_TARGET), right, candidate))
            if scored:
                recall = max(c for c, _, _ in scored)
                best = max(r for c, r, _ in scored if c == recall)
                plateau = [t for c, r, t in scored if c == recall and r >= best - PLATEAU]
                tuned = plateau[len(plateau) // 2]
    return tuned


def test_rejudging_only_the_drafts_whose_band_moves_chooses_the_same_thresholds():
    rng = np.random.default_rng(3)
    expected = rng.choice([Verdict.OK, Verdict.DISCLAIMER, Verdict.STOP], size=300, p=[0.5, 0.2, 0.3])
    leak = np.where(expected == Verdict.STOP, rng.beta(4, 2, 300), rng.beta(1, 4, 300))
    role = np.where(expected == Verdict.DISCLAIMER, rng.beta(4, 2, 300), rng.beta(1, 3, 300))
    contexts = [Context("personal", False)] * 300
    drafts = Judged(SIGNALS, VIEW_ROWS, np.column_stack([leak, role]), [{}] * 300, contexts, list(expected))
    tuned = tune_for_verdicts(drafts, LIKELY_AT_06)
    assert np.array_equal(tuned, _tune_by_rescoring_everything(drafts, LIKELY_AT_06))
    assert not np.array_equal(tuned, LIKELY_AT_06)  # the drafts do move the thresholds
