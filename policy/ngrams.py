"""Hashed word and character n-grams of the shadow text: a learned lexical view beside the encoder.

The weights over these features are learned from the pack's examples like the heads; nothing
here lists words. Words give the exact cues an encoder blurs ("SSN", a party's name), and
character 4-grams carry them across spelling, inflection and the three languages.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass

import numpy as np
import re2

BUCKETS = 1 << 19  # few collisions between n-grams; the weights are 14 MB as 8-bit rows
_TOKEN = re2.compile(r"[^\W_]+|[^\w\s]")


def features(text: str, limit: int = 4000) -> np.ndarray:
    """Sorted unique bucket ids for a text (the first `limit` tokens)."""
    tokens = [t for t in _TOKEN.findall(text.lower())[:limit]]
    grams: list[str] = [f"w:{t}" for t in tokens]
    grams += [f"b:{a} {b}" for a, b in itertools.pairwise(tokens)]
    for token in tokens:
        if len(token) > 3 and token.isalnum():
            padded = f"<{token}>"
            grams += [f"c:{padded[i : i + 4]}" for i in range(len(padded) - 3)]
    ids = {zlib.crc32(g.encode("utf-8")) % BUCKETS for g in grams}
    return np.fromiter(sorted(ids), dtype=np.int32, count=len(ids))


def fit_lexical(ids: list[np.ndarray], y: np.ndarray, epochs: int = 16, rate: float = 0.5, seed: int = 7, known=None):
    """Per-signal logistic regression over hashed n-grams, by plain SGD. `known` (rows, signals) is
    0 where a row's label is unknown. Returns (weights, bias)."""
    rng = np.random.default_rng(seed)
    known = np.ones_like(y) if known is None else known.astype(np.float32)
    k = y.shape[1]
    weights = np.zeros((BUCKETS, k), np.float32)
    bias = np.zeros(k, np.float32)
    pos_weight = positive_weights(y, known)
    for _epoch in range(epochs):
        for row in rng.permutation(len(ids)):
            grams, truth = ids[row], y[row]
            scale = 1.0 / np.sqrt(len(grams) + 1)
            p = _sigmoid(weights[grams].sum(axis=0) * scale + bias)
            grad = known[row] * (p * (pos_weight * truth + 1 - truth) - pos_weight * truth)
            weights[grams] -= rate * scale * grad
            bias -= 0.1 * rate * grad
    return weights, bias


def positive_weights(y: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Per signal, how much more a positive label weighs, from its rate among the known labels:
    rare signals weigh more, so that a signal seen in 3% of drafts is still learned."""
    positive_rate = np.clip((y * known).sum(axis=0) / np.maximum(known.sum(axis=0), 1), 0.01, 0.5)
    return np.sqrt((1 - positive_rate) / positive_rate).astype(np.float32)


@dataclass(frozen=True)
class RowsOf8Bits:
    """The n-gram weights as 8-bit rows with one scale each: 14 MB where float16 took 24. Training
    calibrates the heads on these same rows, so a check reads exactly what was calibrated."""

    values: np.ndarray  # (buckets, signals) int8
    scales: np.ndarray  # (buckets,) float32

    @classmethod
    def of(cls, weights: np.ndarray) -> RowsOf8Bits:
        scales = np.abs(weights).max(axis=1) / 127
        steps = np.where(scales > 0, scales, 1.0)[:, None]
        return cls(np.rint(weights / steps).astype(np.int8), scales.astype(np.float32))

    def __len__(self) -> int:
        return len(self.values)

    def rows(self, ids: np.ndarray) -> np.ndarray:
        return self.values[ids].astype(np.float32) * self.scales[ids, None]


def lexical_probabilities(weights: np.ndarray | RowsOf8Bits, bias: np.ndarray, ids: list[np.ndarray]) -> np.ndarray:
    """`weights`: 8-bit rows, or float16 in models saved before."""
    buckets = len(weights)  # a power of two: a model trained with fewer buckets reads the same ids
    rows = weights.rows if isinstance(weights, RowsOf8Bits) else weights.__getitem__
    out = np.empty((len(ids), len(bias)), np.float32)
    for row, grams in enumerate(ids):
        out[row] = rows(grams % buckets).astype(np.float32, copy=False).sum(axis=0) / np.sqrt(len(grams) + 1) + bias
    return _sigmoid(out)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))
