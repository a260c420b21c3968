"""The neighbours' similarity: float32 in NumPy against the 8-bit pool (`policy/neighbours.py`).

A check compares each chunk's embedding with every training draft's. Until 2026-12-04 that was
a float32 product in NumPy over the default pack's 25,000 embeddings (39 MB read per check);
the pool now keeps them as 8-bit blocks that onnxruntime's MatMulNBits multiplies directly.
This prints, side by side on one thread, the time for one chunk and for a batch of 32, the
bytes held, and how far the 8-bit similarities are from float32: the largest difference, and
how many of each chunk's ten nearest drafts stay the same.

    python bench/neighbours_bench.py
"""

from __future__ import annotations

import os

os.environ["OMP_NUM_THREADS"] = "1"  # before NumPy and onnxruntime read it: both sides on one thread

import time

import numpy as np

from policy import Policy
from policy.neighbours import Pool

RUNS = 200


def timed(run) -> float:
    for _ in range(10):
        run()
    start = time.perf_counter()
    for _ in range(RUNS):
        run()
    return (time.perf_counter() - start) / RUNS * 1000


def main() -> None:
    heads = Policy.load(None).heads()
    vectors = heads.pool.vectors()  # the shipped pool, as float32 again
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pool = Pool.of(vectors)
    rng = np.random.default_rng(0)
    queries = vectors[rng.choice(len(vectors), 32, replace=False)] + rng.normal(0, 0.02, (32, vectors.shape[1]))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    exact, approximate = queries @ vectors.T, pool.similarity(queries)
    pairs = zip(exact, approximate, strict=True)
    kept = np.mean([len(set(np.argsort(-e)[:10]) & set(np.argsort(-a)[:10])) for e, a in pairs])
    print(f"pool: {len(pool):,} training drafts, {vectors.shape[1]} dimensions")
    print(f"{'':22}{'float32':>10}{'8-bit':>10}{'ratio':>8}")
    for rows in (1, 32):
        before = timed(lambda rows=rows: queries[:rows] @ vectors.T)
        after = timed(lambda rows=rows: pool.similarity(queries[:rows]))
        print(f"{f'{rows} chunk(s), ms':22}{before:10.2f}{after:10.2f}{before / after:7.1f}x")
    float_mb, pool_mb = vectors.nbytes / 1e6, (pool.blocks.nbytes + pool.scales.nbytes) / 1e6
    print(f"{'held, MB':22}{float_mb:10.1f}{pool_mb:10.1f}{float_mb / pool_mb:7.1f}x")
    print(f"largest difference in cosine similarity: {np.abs(exact - approximate).max():.4f}")
    print(f"ten nearest drafts kept, on average: {kept:.2f} of 10")


if __name__ == "__main__":
    main()
