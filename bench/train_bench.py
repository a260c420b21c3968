"""Time the cross-fitted heads' fitting with the folds one at a time and several at a time.

The drafts are synthetic, with the default pack's shapes (the two encoders' 896 dimensions,
23 signals, about 60 n-grams a draft), and every fold runs a fixed number of epochs, so the
two runs do the same work and only the wall time differs. Prints both and their ratio.

    python bench/train_bench.py [--drafts 6000] [--epochs 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from policy.crossfit import FOLDS, Drafts, fit_folds
from policy.network import FitSettings
from policy.ngrams import BUCKETS
from policy.training import available_cores

DIMENSIONS, SIGNALS, GRAMS = 896, 23, 60


def synthetic(count: int, seed: int = 5) -> Drafts:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = (rng.random((count, SIGNALS)) < 0.08).astype(np.float32)
    grams = [rng.integers(0, BUCKETS, size=GRAMS) for _ in range(count)]
    owners = np.sort(rng.choice(count, size=count // 10))  # one draft in ten is long: one chunk each here
    return Drafts(
        vectors,
        labels,
        grams,
        rng.integers(0, FOLDS, size=count),
        owners,
        vectors[owners],
        [grams[i] for i in owners],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=6000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=available_cores())
    args = parser.parse_args()
    data = synthetic(args.drafts)
    settings = FitSettings(epochs=args.epochs, patience=args.epochs)  # no early stop: equal work
    timings = {}
    for workers in (1, args.workers):
        started = time.perf_counter()
        fit_folds(data, settings, workers)
        timings[workers] = time.perf_counter() - started
    print(f"{args.drafts} drafts, {FOLDS} folds, {args.epochs} epochs each, {available_cores()} cores")
    print(f"{'workers':>8} {'seconds':>9} {'vs one':>7}")
    for workers, seconds in timings.items():
        print(f"{workers:>8} {seconds:>9.1f} {timings[1] / seconds:>6.2f}x")


if __name__ == "__main__":
    main()
