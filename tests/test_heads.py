"""The heads learn from labels that are known only: a chunk of a long draft does not say which
of its draft's signals it carries."""

import numpy as np

from policy.network import FitSettings, fit_one
from policy.ngrams import RowsOf8Bits, features, fit_lexical, lexical_probabilities
from policy.training import long_draft_chunks

SETTINGS = FitSettings(hidden=16, epochs=60, patience=60, learning_rate=1e-2)


def predict(params, x):
    w1, b1, w2, b2 = params
    return 1 / (1 + np.exp(-(np.maximum(x @ w1 + b1, 0) @ w2 + b2)))


def test_rows_whose_label_is_unknown_do_not_teach_the_network_it_is_absent():
    rng = np.random.default_rng(0)
    carrier = rng.normal(size=8).astype(np.float32)
    positives = carrier + 0.1 * rng.normal(size=(40, 8)).astype(np.float32)
    negatives = rng.normal(size=(40, 8)).astype(np.float32)
    chunks = carrier + 0.1 * rng.normal(size=(80, 8)).astype(np.float32)  # look like the carrier
    x = np.concatenate([positives, negatives, chunks])
    y = np.concatenate([np.ones((40, 1)), np.zeros((40, 1)), np.zeros((80, 1))]).astype(np.float32)
    known = np.concatenate([np.ones((80, 1)), np.zeros((80, 1))]).astype(np.float32)
    x_val, y_val = np.concatenate([positives[:5], negatives[:5]]), np.array([[1]] * 5 + [[0]] * 5, np.float32)
    masked = predict(fit_one(x, y, x_val, y_val, SETTINGS, known), carrier[None])[0, 0]
    unmasked = predict(fit_one(x, y, x_val, y_val, SETTINGS), carrier[None])[0, 0]
    assert masked > 0.8 and unmasked < masked


def test_the_lexical_view_skips_unknown_labels_too():
    texts = ["leak the memo now"] * 10 + ["nice walk today"] * 10
    y = np.array([[1]] * 10 + [[0]] * 10, np.float32)
    ids = [features(t) for t in texts]
    unknown_copies = [features("leak the memo now")] * 30
    y_all = np.concatenate([y, np.zeros((30, 1), np.float32)])
    known = np.concatenate([np.ones((20, 1)), np.zeros((30, 1))]).astype(np.float32)
    weights, bias = fit_lexical(ids + unknown_copies, y_all, known=known)
    assert lexical_probabilities(weights, bias, [features("leak the memo now")])[0, 0] > 0.8


def test_only_drafts_cut_into_several_chunks_are_learned_chunk_by_chunk():
    short = "A short post about the weekend."
    long = " ".join(f"Sentence number {i} of a long reflection about the years at the office." for i in range(20))
    owners, pieces = long_draft_chunks([short, long])
    assert set(owners.tolist()) == {1} and len(pieces) >= 3
    assert all(len(p) <= 300 for p in pieces) and "".join(pieces).replace(" ", "") == long.replace(" ", "")


def test_sharper_neighbours_trust_the_nearest_draft_more_even_when_all_are_far():
    from policy.heads import nearest_labels

    labels = np.zeros((12, 1), bool)
    labels[0] = True  # only the nearest draft has the signal
    similarity = np.linspace(0.10, 0.05, 12, dtype=np.float32)[None, :]  # every draft far away
    soft, sharp = (float(nearest_labels(similarity, labels, s)[0, 0]) for s in (20.0, 100.0))
    assert 0 < soft < sharp < 1
    assert np.isfinite(nearest_labels(similarity - 0.9, labels, 1000.0)).all()


def test_the_lexical_weights_kept_in_8_bits_give_the_float_probabilities_within_a_step():
    rng = np.random.default_rng(3)
    weights = rng.normal(0, 0.5, (64, 3)).astype(np.float32)
    weights[5] = 0.0  # a bucket no draft used
    rows, bias = RowsOf8Bits.of(weights), np.zeros(3, np.float32)
    assert rows.values.dtype == np.int8 and len(rows) == 64
    assert np.abs(rows.rows(np.arange(64)) - weights).max() <= rows.scales.max() / 2 + 1e-6
    assert np.array_equal(rows.rows(np.array([5])), np.zeros((1, 3), np.float32))
    ids = [np.array([1, 2, 3, 70]), np.array([5]), np.arange(64)]
    exact = lexical_probabilities(weights, bias, ids)
    assert np.abs(lexical_probabilities(rows, bias, ids) - exact).max() < 0.01
    assert not np.allclose(exact[0], exact[2])  # the rows differ, so the comparison means something
