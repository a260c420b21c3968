"""Cross-fitting: every training draft calibrates, none calibrates a model that saw it.

The training drafts fall into FOLDS folds (by a hash of the text). For each fold, a network and
an n-gram regression are fitted on the other folds, and the fold's drafts are scored by them and
by their nearest drafts among the other folds: out-of-fold scores, as an unseen draft gets. The
blend, each signal's bands and the neighbours' sharpness are then chosen on the out-of-fold scores
of every training draft the encoder was not tuned on (`calibrating`), not of one seventh of them,
so they move less from one training to the next. A draft the encoder was tuned on is left out of
that choice: the encoder learned to separate it, so it scores as no unseen draft does (on the
default pack, 0.93 of its verdicts come out right out of fold, against 0.90 for the others).
The model that checks drafts averages the folds' networks (one wider network) and their n-gram
weights, each fitted on six sevenths of the drafts.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from policy.calibration import PLATEAU, Judged, possible_share, tune_for_verdicts
from policy.heads import NEIGHBOURS, choose_thresholds, fit_stack, nearest, stacked, weighted_labels
from policy.network import FitSettings, fit_one, forward
from policy.ngrams import RowsOf8Bits, fit_lexical, lexical_probabilities

FOLDS = 7
BLOCK = 1024  # rows of the similarity matrix at a time
TUNED_ON_FILE = Path(__file__).parent / "data" / "encoder-tuned-on.npy"  # written by tools/tune_encoder.py
Network = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # w1, b1, w2, b2
FoldModels = tuple[Network, tuple[np.ndarray, np.ndarray]]  # a fold's network and n-gram weights, bias


def fold_of(text: str) -> int:
    """Fold 0 is also the slice the encoder's tuning leaves out."""
    return hashlib.sha256(("calibrate:" + text).encode("utf-8")).digest()[0] % FOLDS


def digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def calibrating(texts: list[str], tuned_on: Path = TUNED_ON_FILE) -> np.ndarray:
    """Which drafts may choose the blend and the bands: those the encoder was not tuned on."""
    seen = np.load(tuned_on) if tuned_on.exists() else np.zeros(0, np.uint64)
    return ~np.isin(np.array([digest(t) for t in texts], np.uint64), seen)


@dataclass(frozen=True)
class Drafts:
    """The training drafts and the chunks of the long ones, as the heads read them."""

    vectors: np.ndarray  # (drafts, dim)
    labels: np.ndarray  # (drafts, signals) 0/1
    grams: list[np.ndarray]
    folds: np.ndarray  # (drafts,)
    owners: np.ndarray  # (chunks,): the draft of each chunk
    chunk_vectors: np.ndarray
    chunk_grams: list[np.ndarray]
    read_whole: np.ndarray | None = None  # (drafts,) a check reads it whole, not by its chunks


@dataclass
class OutOfFold:
    """Each view's out-of-fold scores, for the drafts and for the chunks."""

    network: np.ndarray
    lexical: np.ndarray
    near: np.ndarray  # (rows, NEIGHBOURS): rows of the nearest drafts of other folds
    closeness: np.ndarray  # (rows, NEIGHBOURS): their cosine similarities

    def views(self, labels: np.ndarray, sharpness: float) -> list[np.ndarray]:
        return [self.network, self.lexical, weighted_labels(self.near, self.closeness, labels, sharpness)]


@dataclass(frozen=True)
class Fitted:
    network: Network
    lexical: tuple[np.ndarray, np.ndarray]
    drafts: OutOfFold
    chunks: OutOfFold


def fit_folds(data: Drafts, settings: FitSettings, workers: int = 1) -> Fitted:
    """The folds' models merged, and every draft's and chunk's out-of-fold views. With `workers`
    above 1 the folds are fitted that many at a time, each in its own process."""
    signals = data.labels.shape[1]
    drafts = _empty(len(data.vectors), signals)
    chunks = _empty(len(data.chunk_vectors), signals)
    networks, lexicals = [], []
    chunk_folds = data.folds[data.owners]
    folds = [f for f in range(FOLDS) if (data.folds != f).any() and (data.folds == f).any()]
    for fold, (network, (weights, bias)) in zip(folds, _fitted(data, settings, folds, workers), strict=True):
        inside, chunk_inside = data.folds != fold, chunk_folds != fold
        networks.append(network)
        lexicals.append((weights, bias))
        rows_of_8_bits = RowsOf8Bits.of(weights)  # as a check reads them
        pool = data.vectors[inside]
        rows_of_pool = np.flatnonzero(inside)
        for out, rows, vectors, grams_of in (
            (drafts, np.flatnonzero(~inside), data.vectors, data.grams),
            (chunks, np.flatnonzero(~chunk_inside), data.chunk_vectors, data.chunk_grams),
        ):
            out.network[rows] = forward(network, vectors[rows])
            out.lexical[rows] = lexical_probabilities(rows_of_8_bits, bias, [grams_of[r] for r in rows])
            out.near[rows], out.closeness[rows] = _nearest(vectors[rows], pool, rows_of_pool)
    # one wider network whose logits are the folds' average
    merged = (
        np.concatenate([n[0] for n in networks], axis=1).astype(np.float32),
        np.concatenate([n[1] for n in networks]).astype(np.float32),
        (np.concatenate([n[2] for n in networks], axis=0) / len(networks)).astype(np.float32),
        np.mean([n[3] for n in networks], axis=0).astype(np.float32),
    )
    lexical = (np.mean([w for w, _ in lexicals], axis=0), np.mean([b for _, b in lexicals], axis=0))
    return Fitted(merged, lexical, drafts, chunks)


def fit_fold(data: Drafts, settings: FitSettings, fold: int) -> FoldModels:
    """The network and the n-gram regression fitted on every fold but `fold`. The long drafts'
    chunks teach only the signals their draft lacks (see `training.fit_heads`)."""
    signals = data.labels.shape[1]
    inside, chunk_inside = data.folds != fold, data.folds[data.owners] != fold
    x = np.concatenate([data.vectors[inside], data.chunk_vectors[chunk_inside]])
    y = np.concatenate([data.labels[inside], np.zeros((chunk_inside.sum(), signals), np.float32)])
    known = np.concatenate([np.ones_like(data.labels[inside]), 1.0 - data.labels[data.owners[chunk_inside]]])
    mine = replace(settings, seed=settings.seed + 1000 * fold)
    network = fit_one(x, y, data.vectors[~inside], data.labels[~inside], mine, known)
    grams = [g for g, i in zip(data.grams, inside, strict=True) if i]
    grams += [g for g, i in zip(data.chunk_grams, chunk_inside, strict=True) if i]
    return network, fit_lexical(grams, y, seed=7 + fold, known=known)


def _fitted(data: Drafts, settings: FitSettings, folds: list[int], workers: int) -> Iterator[FoldModels]:
    """Each fold's models, in the order of `folds`."""
    if workers <= 1 or len(folds) <= 1:
        yield from (fit_fold(data, settings, fold) for fold in folds)
        return
    # spawned, not forked: a fork would copy the parent's BLAS threads; each worker gets one, so
    # that the workers do not fight over the cores, and gets the drafts once
    context = multiprocessing.get_context("spawn")
    workers = min(workers, len(folds))
    with ProcessPoolExecutor(workers, context, _receive, (data, settings)) as pool:
        with _one_thread_each():  # the workers start at the first submits
            futures = [pool.submit(_fit_received, fold) for fold in folds]
        yield from (future.result() for future in futures)


_received: tuple[Drafts, FitSettings] | None = None  # a worker's copy of the drafts


def _receive(data: Drafts, settings: FitSettings) -> None:
    global _received
    _received = (data, settings)


def _fit_received(fold: int) -> FoldModels:
    assert _received is not None
    return fit_fold(*_received, fold)


@contextmanager
def _one_thread_each() -> Iterator[None]:
    """Child processes started inside get one BLAS/OpenMP thread; the parent keeps its own."""
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    before = {name: os.environ.get(name) for name in names}
    os.environ.update(dict.fromkeys(names, "1"))
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass(frozen=True)
class Calibrated:
    right: int  # judged drafts whose verdict comes out right
    stack: np.ndarray
    thresholds: np.ndarray
    share: float


def calibrate(
    fitted: Fitted, data: Drafts, chosen_on: np.ndarray, judged: np.ndarray, drafts: Judged, sharpness: float
) -> Calibrated:
    """At this sharpness: the blend fitted on the out-of-fold views of the drafts `chosen_on`
    (a mask), the bands chosen on their probabilities as a check computes them (a long draft's
    best chunk), and how many of `drafts` come out right (those of them with a verdict; `judged`
    are their rows among the drafts chosen on)."""
    views = fitted.drafts.views(data.labels, sharpness)
    stack = fit_stack([v[chosen_on] for v in views], data.labels[chosen_on])
    probabilities = out_of_fold(fitted, data, stack, sharpness, views)[chosen_on]
    drafts = replace(drafts, probabilities=probabilities[judged])
    # PLATEAU was set for one fold's drafts; the count's noise grows as the root of their number
    plateau = round(PLATEAU * np.sqrt(FOLDS * len(probabilities) / len(data.vectors)))
    thresholds = tune_for_verdicts(drafts, choose_thresholds(probabilities, data.labels[chosen_on]), plateau=plateau)
    share = possible_share(drafts, thresholds)
    thresholds[:, 0] = thresholds[:, 1] * share
    return Calibrated(drafts.rates(thresholds)[0], stack, thresholds, share)


def out_of_fold(
    fitted: Fitted, data: Drafts, stack: np.ndarray, sharpness: float, views: list[np.ndarray] | None = None
) -> np.ndarray:
    """Every training draft's out-of-fold probabilities with this blend, as a check computes
    them: a draft too long for the encoder's window gets its best chunk's. `views`: the drafts'
    views at this sharpness, when the caller has them already."""
    probabilities = stacked(stack, views if views is not None else fitted.drafts.views(data.labels, sharpness))
    if len(data.owners):
        scored = stacked(stack, fitted.chunks.views(data.labels, sharpness))
        best = np.zeros_like(probabilities)
        np.maximum.at(best, data.owners, scored)
        chunked = np.unique(data.owners)
        if data.read_whole is not None:
            chunked = chunked[~data.read_whole[chunked]]
        probabilities[chunked] = best[chunked]
    return probabilities


def _empty(rows: int, signals: int) -> OutOfFold:
    return OutOfFold(
        np.zeros((rows, signals), np.float32),
        np.zeros((rows, signals), np.float32),
        np.zeros((rows, NEIGHBOURS), np.int64),
        np.zeros((rows, NEIGHBOURS), np.float32),
    )


def _nearest(vectors: np.ndarray, pool: np.ndarray, rows_of_pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each vector's NEIGHBOURS nearest pool drafts (as rows of the training drafts) and their
    similarities, a block at a time so that the whole matrix is never held."""
    near = np.zeros((len(vectors), NEIGHBOURS), np.int64)
    closeness = np.zeros((len(vectors), NEIGHBOURS), np.float32)
    if len(pool) < NEIGHBOURS:
        return near, closeness
    for start in range(0, len(vectors), BLOCK):
        best, closeness[start : start + BLOCK] = nearest(vectors[start : start + BLOCK] @ pool.T)
        near[start : start + BLOCK] = rows_of_pool[best]
    return near, closeness
