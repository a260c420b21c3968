"""The 8-bit pool of training drafts' embeddings: close to float32, and kept through a save."""

import json
from pathlib import Path

import numpy as np

from policy.heads import Heads
from policy.neighbours import Pool


def unit_rows(count: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((count, 384)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_similarity_is_within_a_hundredth_of_float32_and_keeps_the_nearest_drafts():
    pool_vectors, queries = unit_rows(3000, 1), unit_rows(16, 2)
    queries[:8] = pool_vectors[[5, 50, 500, 900, 1200, 2000, 2500, 2999]] + 0.01 * queries[:8]
    exact = queries @ pool_vectors.T
    got = Pool.of(pool_vectors).similarity(queries)
    assert got.shape == (16, 3000)
    assert np.abs(got - exact).max() < 0.01
    assert list(got[:8].argmax(axis=1)) == [5, 50, 500, 900, 1200, 2000, 2500, 2999]


def test_an_empty_pool_or_no_query_gives_an_empty_answer_without_running():
    assert Pool.of(np.zeros((0, 384), np.float32)).similarity(unit_rows(2, 3)).shape == (2, 0)
    assert Pool.of(unit_rows(40, 4)).similarity(np.zeros((0, 384), np.float32)).shape == (0, 40)


def test_a_zero_vector_in_the_pool_is_kept_as_zeros():
    vectors = unit_rows(40, 5)
    vectors[7] = 0
    pool = Pool.of(vectors)
    assert np.all(pool.vectors()[7] == 0)
    assert np.abs(pool.vectors() - vectors).max() < 0.01


def test_the_pool_survives_saving_the_heads(tmp_path: Path):
    signals, vectors = ("a", "b"), unit_rows(30, 6)
    heads = Heads(
        signals,
        np.zeros((384, 4), np.float32),
        np.zeros(4, np.float32),
        np.zeros((4, 2), np.float32),
        np.zeros(2, np.float32),
        np.tile(np.array([0.25, 0.5, 0.8], np.float32), (2, 1)),
        Pool.of(vectors),
        np.arange(30, dtype=np.int32),
        np.zeros((30, 2), bool),
        {},
        np.zeros((16, 2), np.float32),
        np.zeros(2, np.float32),
    )
    heads.save(tmp_path / "heads.npz")
    loaded = Heads.load(tmp_path / "heads.npz")
    assert np.array_equal(loaded.pool.blocks, heads.pool.blocks)
    assert np.allclose(loaded.similarity(vectors[:3]), heads.similarity(vectors[:3]))


def test_a_model_saved_with_float_embeddings_loads_them_into_a_pool(tmp_path: Path):
    vectors = unit_rows(30, 7)
    np.savez(  # the layout of heads.npz before the pool (2026-12-04)
        tmp_path / "heads.npz",
        w1=np.zeros((384, 4), np.float32),
        b1=np.zeros(4, np.float32),
        w2=np.zeros((4, 2), np.float32),
        b2=np.zeros(2, np.float32),
        thresholds=np.tile(np.array([0.25, 0.5, 0.8], np.float32), (2, 1)),
        example_vectors=vectors,
        example_ids=np.arange(30, dtype=np.int32),
        example_signals=np.zeros((30, 2), bool),
        lexical_w=np.zeros((16, 2), np.float16),
        lexical_b=np.zeros(2, np.float32),
        stack=np.zeros((0, 4), np.float32),
        meta=np.array(json.dumps({"signals": ["a", "b"]})),
    )
    loaded = Heads.load(tmp_path / "heads.npz")
    assert loaded.sharpness == 20.0
    assert np.abs(loaded.similarity(vectors[:4]) - vectors[:4] @ vectors.T).max() < 0.01
