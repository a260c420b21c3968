"""Signal heads: three views of a draft, blended per signal.

- a small two-layer network over the sentence embedding (one sigmoid per signal; the embedding
  is e5's joined with USE's, `use_encoder.joined`, in models that record a `second_encoder`);
- a logistic regression over hashed n-grams of the same text (`ngrams`);
- the labels of the nearest training drafts in embedding space, weighted by similarity.

They fail differently (the encoder generalises across wording and languages, the n-grams
keep exact cues it blurs, the neighbours remember rare cases). Their logits are blended with
per-signal weights fitted on the calibration drafts (`fit_stack`); on the held-out split the
blend beats each view alone and their plain average.
Plain NumPy, trained on the pack's labelled drafts; nothing here needs torch.
The saved file (`model/heads.npz`) holds the weights, each signal's band thresholds, the
embeddings of the training drafts (8-bit, see `neighbours`; for the neighbours view and
"like: ...") and a digest of the examples it was trained on, so that a stale model is noticed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from policy.neighbours import Pool
from policy.network import forward
from policy.ngrams import RowsOf8Bits, lexical_probabilities

BANDS = ("possible", "likely", "very likely")
SHARPNESS = 20.0  # the neighbours' softmax temperature over cosine similarity, in models saved before
TEXT_SEPARATOR = "\x1e"  # between the training drafts' texts in the model file


@dataclass
class Heads:
    signals: tuple[str, ...]
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    thresholds: np.ndarray  # (signals, 3): possible, likely, very likely
    pool: Pool  # the training drafts' embeddings
    example_ids: np.ndarray  # (n,) int: row in the pack's example list
    example_signals: np.ndarray  # (n, signals) bool: the labels of those drafts
    meta: dict
    lexical_w: RowsOf8Bits | np.ndarray | None = None  # (BUCKETS, signals); float16 in older models
    lexical_b: np.ndarray | None = None
    stack: np.ndarray | None = None  # (signals, 4): weights of the three views' logits and a bias
    example_texts: Sequence[str] = ()  # the training drafts themselves, for "like: ..."
    sharpness: float = SHARPNESS  # the neighbours' softmax temperature, chosen at training

    def lexical(self, grams: list[np.ndarray]) -> np.ndarray:
        """The n-gram view alone: no encoder needed."""
        return lexical_probabilities(self.lexical_w, self.lexical_b, grams)

    def views(
        self, vectors: np.ndarray, lexical: np.ndarray | None = None, neighbours=None, similarity=None
    ) -> list[np.ndarray]:
        """Each view's probabilities per row and signal. `lexical` is the n-gram view of the same
        rows; `neighbours` (vectors, labels) replaces the stored training drafts, so that training
        can score drafts against the others only; `similarity` (rows, pool) is `similarity()`
        when the caller has it already."""
        views = [forward((self.w1, self.b1, self.w2, self.b2), vectors)]
        if lexical is not None:
            views.append(lexical)
        if neighbours is not None:
            pool, labels = neighbours
            if len(pool) >= NEIGHBOURS:
                views.append(nearest_labels(vectors @ pool.T, labels, self.sharpness))
        elif len(self.pool) >= NEIGHBOURS:
            similarity = self.similarity(vectors) if similarity is None else similarity
            views.append(nearest_labels(similarity, self.example_signals, self.sharpness))
        return views

    def similarity(self, vectors: np.ndarray) -> np.ndarray:
        """Cosine similarity of each vector to every training draft (rows, pool)."""
        return self.pool.similarity(vectors)

    def probabilities(
        self, vectors: np.ndarray, lexical: np.ndarray | None = None, neighbours=None, similarity=None
    ) -> np.ndarray:
        """The blended views (their average where no blend was fitted or a view is missing)."""
        views = self.views(vectors, lexical, neighbours, similarity)
        if self.stack is None or len(views) != 3:
            return sum(views) / len(views)
        return stacked(self.stack, views)

    def band(self, signal_index: int, probability: float) -> str | None:
        return band_of(self.thresholds[signal_index], probability)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez(  # stored, not compressed: loading it costs no decompression at start-up
                handle,
                w1=self.w1,
                b1=self.b1,
                w2=self.w2,
                b2=self.b2,
                thresholds=self.thresholds,
                pool_blocks=self.pool.blocks,
                pool_scales=self.pool.scales,
                pool_graph=np.frombuffer(self.pool.graph, np.uint8),
                example_ids=self.example_ids,
                example_signals=self.example_signals,
                **_lexical_arrays(self.lexical_w),
                lexical_b=self.lexical_b,
                stack=self.stack if self.stack is not None else np.zeros((0, 4), np.float32),
                meta=np.array(json.dumps({**self.meta, "signals": list(self.signals), "sharpness": self.sharpness})),
                example_texts=np.frombuffer(TEXT_SEPARATOR.join(self.example_texts).encode("utf-8"), np.uint8),
            )

    @classmethod
    def load(cls, path: Path) -> Heads:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            return cls(
                tuple(meta.pop("signals")),
                data["w1"],
                data["b1"],
                data["w2"],
                data["b2"],
                data["thresholds"],
                _pool(data),
                data["example_ids"],
                data["example_signals"].astype(bool),
                meta,
                _lexical(data),
                data["lexical_b"],
                data["stack"] if "stack" in data.files and len(data["stack"]) else None,
                _texts(data["example_texts"]) if "example_texts" in data.files else (),
                meta.pop("sharpness", SHARPNESS),
            )


def _lexical_arrays(weights: RowsOf8Bits | np.ndarray) -> dict[str, np.ndarray]:
    if isinstance(weights, RowsOf8Bits):
        return {"lexical_q": weights.values, "lexical_scales": weights.scales}
    return {"lexical_w": weights.astype(np.float16)}


def _lexical(data) -> RowsOf8Bits | np.ndarray:
    if "lexical_q" in data.files:
        return RowsOf8Bits(data["lexical_q"], data["lexical_scales"])
    return data["lexical_w"]


def _pool(data) -> Pool:
    """The stored pool, or one made from the float embeddings models saved before stored."""
    if "pool_blocks" in data.files:
        return Pool(data["pool_blocks"], data["pool_scales"], data["pool_graph"].tobytes())
    return Pool.of(data["example_vectors"].astype(np.float32))


def _texts(stored: np.ndarray) -> Sequence[str]:
    """The training drafts: UTF-8 bytes, or one string in models saved before."""
    if stored.dtype == np.uint8:
        return PackedTexts(stored)
    return tuple(str(stored).split(TEXT_SEPARATOR))


class PackedTexts(Sequence[str]):
    """The training drafts as the model file stores them, UTF-8 joined by TEXT_SEPARATOR, each
    decoded only when a finding quotes it. Decoded all at once, the default pack's 37,000 drafts
    took 40 MB more at start-up (one joined string, four bytes a character once an emoji is in
    it, then the pieces) and kept 8 MB."""

    def __init__(self, joined: np.ndarray) -> None:
        self._bytes = joined
        ends = np.flatnonzero(joined == ord(TEXT_SEPARATOR))
        self._starts = np.concatenate(([0], ends + 1)) if len(joined) else np.zeros(0, np.int64)
        self._ends = np.concatenate((ends, [len(joined)])) if len(joined) else np.zeros(0, np.int64)

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._bytes[self._starts[index] : self._ends[index]].tobytes().decode("utf-8")


def band_of(thresholds: np.ndarray, probability: float) -> str | None:
    """The band of a probability given one signal's (possible, likely, very likely) thresholds."""
    possible, likely, very = thresholds
    if probability >= very:
        return BANDS[2]
    if probability >= likely:
        return BANDS[1]
    if probability >= possible:
        return BANDS[0]
    return None


def band_indices(thresholds: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """`band_of` for many probabilities of one signal: 0 below "possible", then 1, 2, 3 for
    possible, likely and very likely."""
    return (probabilities[:, None] >= thresholds[None, :]).sum(axis=1)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def stacked(stack: np.ndarray, views: list[np.ndarray]) -> np.ndarray:
    """Combine the views' logits with per-signal weights learned on the calibration drafts."""
    logits = np.stack([_logit(v) for v in views], axis=-1)  # (rows, signals, 3)
    return _sigmoid((logits * stack[:, :3]).sum(axis=-1) + stack[:, 3])


def fit_stack(views: list[np.ndarray], y: np.ndarray, steps: int = 800, rate: float = 0.1) -> np.ndarray:
    """Per signal, a logistic regression over the three views' logits (a small L2 keeps the weights
    near an even blend when a signal has few calibration drafts)."""
    logits = np.stack([_logit(v) for v in views], axis=-1)
    k = y.shape[1]
    weights = np.tile(np.array([1 / 3, 1 / 3, 1 / 3, 0.0], np.float32), (k, 1))
    prior = weights.copy()
    for _step in range(steps):
        p = _sigmoid((logits * weights[:, :3]).sum(axis=-1) + weights[:, 3])
        error = (p - y) / len(y)
        grad = np.concatenate([(error[..., None] * logits).sum(axis=0), error.sum(axis=0)[:, None]], axis=1)
        weights -= rate * (grad + 0.01 * (weights - prior))
    return weights


NEIGHBOURS = 10


def nearest_labels(similarity: np.ndarray, labels: np.ndarray, sharpness: float = SHARPNESS) -> np.ndarray:
    """Similarity-weighted average of the labels of each row's nearest pool drafts."""
    near, closeness = nearest(similarity)
    return weighted_labels(near, closeness, labels, sharpness)


def nearest(similarity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's NEIGHBOURS nearest pool drafts (columns) and their similarities."""
    near = np.argpartition(-similarity, NEIGHBOURS - 1, axis=1)[:, :NEIGHBOURS]
    return near, np.take_along_axis(similarity, near, axis=1)


def weighted_labels(near: np.ndarray, closeness: np.ndarray, labels: np.ndarray, sharpness: float) -> np.ndarray:
    """The labels of the drafts `near` each row, weighted by a softmax of their `closeness`."""
    weights = np.exp(sharpness * (closeness - closeness.max(axis=1, keepdims=True)))  # the nearest weighs 1
    weights /= weights.sum(axis=1, keepdims=True)
    return np.einsum("nk,nks->ns", weights, labels[near].astype(np.float32))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


DEFAULT_THRESHOLDS = (0.25, 0.5, 0.8)
POSSIBLE_SHARE = 0.5  # "possible" starts at half of "likely": a stop-level signal there gets a review
MIN_POSITIVES = 5  # fewer calibration positives than this: keep the default thresholds


def choose_thresholds(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per signal: 'likely' in the middle of the best-F1 plateau on the calibration drafts
    (kept within 0.2-0.9), 'possible' lower for recall, 'very likely' where precision
    reaches 0.95 (or a step above 'likely')."""
    out = np.tile(np.array(DEFAULT_THRESHOLDS, np.float32), (y.shape[1], 1))
    grid = np.linspace(0.05, 0.95, 91)
    for k in range(y.shape[1]):
        truth = y[:, k] > 0.5
        if truth.sum() < MIN_POSITIVES:
            continue
        f1 = np.array([2 * np.sum((p[:, k] >= t) & truth) / max(1, np.sum(p[:, k] >= t) + truth.sum()) for t in grid])
        plateau = grid[f1 >= f1.max() - 1e-9]
        likely = float(np.clip(np.median(plateau), 0.2, 0.9))
        very = next(
            (t for t in grid if t > likely and _precision(p[:, k] >= t, truth) >= 0.95),
            min(0.97, likely + 0.2),
        )
        out[k] = (likely * POSSIBLE_SHARE, likely, max(very, likely + 0.05))
    return out


def _precision(predicted: np.ndarray, truth: np.ndarray) -> float:
    return float(np.sum(predicted & truth) / predicted.sum()) if predicted.sum() >= 3 else 0.0
