"""Cross-fitting: each draft is scored by models that never saw it, and the drafts the encoder was
tuned on never choose the bands."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from policy.crossfit import FOLDS, Drafts, calibrating, digest, fit_folds, out_of_fold
from policy.heads import stacked
from policy.network import FitSettings
from policy.ngrams import BUCKETS

SETTINGS = FitSettings(hidden=8, epochs=5, patience=5)


def synthetic(drafts: int = 140, dim: int = 32, seed: int = 3) -> Drafts:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(drafts, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = (rng.random((drafts, 2)) < 0.3).astype(np.float32)
    grams = [rng.integers(0, BUCKETS, size=12) for _ in range(drafts)]
    owners = np.array([0, 0, 5, 5, 5], np.int64)
    return Drafts(
        vectors, labels, grams, np.arange(drafts) % FOLDS, owners, vectors[owners], [grams[i] for i in owners]
    )


def test_out_of_fold_neighbours_come_from_other_folds_only():
    data = synthetic()
    fitted = fit_folds(data, SETTINGS)
    own_fold = data.folds[:, None]
    assert (data.folds[fitted.drafts.near] != own_fold).all()
    assert (fitted.drafts.near != np.arange(len(data.vectors))[:, None]).all()
    chunk_folds = data.folds[data.owners][:, None]
    assert (data.folds[fitted.chunks.near] != chunk_folds).all()


def test_a_duplicate_in_another_fold_is_found_and_one_in_the_same_fold_is_not():
    data = synthetic()
    vectors = data.vectors.copy()
    vectors[1] = vectors[0]  # folds 0 and 1
    vectors[7] = vectors[14]  # both in fold 0
    fitted = fit_folds(replace(data, vectors=vectors), SETTINGS)
    assert 1 in fitted.drafts.near[0] and np.isclose(fitted.drafts.closeness[0].max(), 1.0)
    assert 7 not in fitted.drafts.near[14] and fitted.drafts.closeness[14].max() < 0.99


def test_the_merged_network_holds_one_network_per_fold():
    data = synthetic()
    fitted = fit_folds(data, SETTINGS)
    w1, _, w2, _ = fitted.network
    assert w1.shape == (32, FOLDS * SETTINGS.hidden) and w2.shape == (FOLDS * SETTINGS.hidden, 2)
    assert ((fitted.drafts.network > 0) & (fitted.drafts.network < 1)).all()
    assert ((fitted.drafts.lexical > 0) & (fitted.drafts.lexical < 1)).all()


def test_folds_fitted_in_two_processes_match_folds_fitted_in_one():
    data = synthetic()
    alone, shared = fit_folds(data, SETTINGS), fit_folds(data, SETTINGS, workers=2)
    for mine, theirs in zip(alone.network, shared.network, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(alone.lexical[0], shared.lexical[0], atol=1e-6)
    np.testing.assert_allclose(alone.drafts.network, shared.drafts.network, atol=1e-5)
    assert (alone.drafts.near == shared.drafts.near).all()


def test_drafts_the_encoder_was_tuned_on_do_not_calibrate(tmp_path):
    texts = ["Vote for Sam on Tuesday", "Our dog learned to fetch", "The depot closes in June, keep it quiet"]
    tuned_on = tmp_path / "tuned-on.npy"
    np.save(tuned_on, np.array([digest(texts[1])], np.uint64))
    assert calibrating(texts, tuned_on).tolist() == [True, False, True]
    assert calibrating(texts, tmp_path / "absent.npy").all()  # no list: every draft calibrates


def test_a_draft_read_whole_is_calibrated_on_its_own_score_and_a_longer_one_on_its_best_chunk():
    data = synthetic()
    fitted = fit_folds(data, SETTINGS)
    stack = np.ones((2, 4), np.float32)  # per signal: a weight for each of three views and a bias
    whole = stacked(stack, fitted.drafts.views(data.labels, 40.0))
    chunk = stacked(stack, fitted.chunks.views(data.labels, 40.0))
    read_whole = np.zeros(len(data.vectors), bool)
    read_whole[0] = True  # draft 0 fits the encoder's window; draft 5 does not
    scores = out_of_fold(fitted, replace(data, read_whole=read_whole), stack, 40.0)
    np.testing.assert_allclose(scores[0], whole[0])
    np.testing.assert_allclose(scores[5], chunk[2:5].max(axis=0))
    np.testing.assert_allclose(scores[1], whole[1])  # never cut
    before = out_of_fold(fitted, data, stack, 40.0)  # heads from before: every cut draft by its chunks
    np.testing.assert_allclose(before[0], chunk[0:2].max(axis=0))
