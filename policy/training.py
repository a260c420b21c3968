"""`policybot policy train`: fit the signal heads on a pack's training drafts and write the model.

The held-out fifth of the examples is never embedded here. The rest is split again: most
of it fits the heads, a fixed slice picks the stopping point and each signal's band
thresholds. Embeddings are cached beside the model (by text), so a retrain after adding
a few examples embeds only those.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from policy.calibration import Judged, possible_share, tune_for_verdicts
from policy.encoder import EncoderSpec
from policy.encoders import shared_encoder
from policy.engine import Policy
from policy.heads import Heads, choose_thresholds, fit_stack
from policy.neighbours import Pool
from policy.network import FitSettings, fit
from policy.ngrams import RowsOf8Bits, features, fit_lexical
from policy.normalize import Shadow
from policy.scoring import chunks, sentences
from policy.use_encoder import joined as joined_views
from policy.use_encoder import shared_use_encoder, use_fingerprint

CACHE_FILE = "embeddings-cache.npz"
# the neighbours' softmax temperature: each is tried on the calibration drafts, the best kept
# (sharper trusts the nearest draft more; 20 was fixed until 2026-12-04)
SHARPNESS_GRID = (20.0, 40.0, 70.0, 100.0)


@dataclass(frozen=True)
class TrainReport:
    path: Path
    trained: int
    held_out: int
    signals: int
    embedded: int
    seconds: float
    sharpness: float  # the neighbours', chosen on the calibration drafts


def train(pack: str | Path | None, layers: int = 12, settings: FitSettings | None = None) -> TrainReport:
    started = time.perf_counter()
    policy = Policy.load(pack, need_model=False)
    heads, embedded = fit_heads(policy, layers, settings)
    heads.save(policy._built.model_paths[0])
    policy.retriever().save()  # the sections' and FAQ embeddings, so the first question is fast
    return TrainReport(
        policy._built.model_paths[0],
        len(heads.example_ids),
        len(policy.examples) - len(heads.example_ids),
        len(heads.signals),
        embedded,
        time.perf_counter() - started,
        heads.sharpness,
    )


def fit_heads(policy: Policy, layers: int = 12, settings: FitSettings | None = None) -> tuple[Heads, int]:
    """The heads fitted on the pack's training drafts, and how many texts were newly embedded.

    A draft the scorer cuts into chunks (see `scoring`) is also learned chunk by chunk, since that
    is how it is read when checked: each chunk lacks the signals its draft lacks, and where the
    draft has a signal, which chunk carries it is unknown, so that label does not count. The
    thresholds are chosen on the calibration drafts scored as a check scores them (a signal's
    best chunk)."""
    signals = tuple(s.id for s in policy.signals)
    rows = [i for i, e in enumerate(policy.examples) if not e.held_out]
    texts = [Shadow.of(policy.examples[i].text).text for i in rows]
    owners, chunk_texts = long_draft_chunks(texts)
    spec = EncoderSpec(layers=layers)
    model_path = policy._built.model_paths[0]
    embedded_all, embedded = _embed_cached(texts + chunk_texts, spec, model_path.parent / CACHE_FILE)
    vectors, chunk_vectors = embedded_all[: len(texts)], embedded_all[len(texts) :]
    labels = np.array([[s in policy.examples[i].signals for s in signals] for i in rows], dtype=np.float32)
    calibration = np.array([calibrates(policy.examples[i].text) for i in rows])
    fitting = ~calibration
    chunk_fitting = fitting[owners]
    chunk_known = 1.0 - labels[owners]
    x = np.concatenate([vectors[fitting], chunk_vectors[chunk_fitting]])
    y = np.concatenate([labels[fitting], np.zeros_like(chunk_known[chunk_fitting])])
    known = np.concatenate([np.ones_like(labels[fitting]), chunk_known[chunk_fitting]])
    w1, b1, w2, b2 = fit(x, y, vectors[calibration], labels[calibration], settings or FitSettings(), known)
    grams = [features(t) for t in texts]
    chunk_grams = [features(t) for t in chunk_texts]
    fitting_grams = [g for g, f in zip(grams, fitting, strict=True) if f]
    fitting_grams += [g for g, f in zip(chunk_grams, chunk_fitting, strict=True) if f]
    lexical_w, lexical_b = fit_lexical(fitting_grams, y, known=known)
    heads = Heads(
        signals,
        w1,
        b1,
        w2,
        b2,
        np.zeros((len(signals), 3), np.float32),
        Pool.of(vectors),
        np.array(rows, dtype=np.int32),
        labels > 0.5,
        {
            "digest": policy.examples_digest,
            "files": policy.files_digest,
            "encoder": spec.name,
            "layers": spec.layers,
            "runtime": spec.runtime,
            "encoder_fingerprint": spec.fingerprint(),
            "second_encoder": use_fingerprint(),
            "trained_on": len(rows),
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        RowsOf8Bits.of(lexical_w),
        lexical_b,
        example_texts=tuple(policy.examples[i].text for i in rows),
    )
    calibration_grams = [g for g, c in zip(grams, calibration, strict=True) if c]
    calibration_examples = [policy.examples[i] for i in np.array(rows)[calibration]]
    judged = [j for j, e in enumerate(calibration_examples) if e.expected is not None and e.context is not None]
    slice_ = CalibrationSlice(
        vectors[calibration],
        heads.lexical(calibration_grams),
        labels[calibration],
        np.flatnonzero(calibration),
        (owners, chunk_vectors, chunk_grams),
        (vectors[fitting], labels[fitting] > 0.5),  # a calibration draft is not its own neighbour
        judged,
        Judged(
            signals,
            policy.rows,
            np.zeros((len(judged), len(signals)), np.float32),
            [policy.detect(calibration_examples[j].text) for j in judged],
            [calibration_examples[j].context for j in judged],
            [calibration_examples[j].expected for j in judged],
        ),
    )
    results = {sharpness: calibrate(heads, slice_, sharpness) for sharpness in SHARPNESS_GRID}
    heads.sharpness = max(results, key=lambda sharpness: results[sharpness][0])  # ties: the softest
    _, heads.stack, heads.thresholds, share = results[heads.sharpness]
    heads.meta["possible_share"] = share
    heads.meta["calibration_right"] = {str(sharpness): result[0] for sharpness, result in results.items()}
    return heads, embedded


@dataclass(frozen=True)
class CalibrationSlice:
    """The calibration drafts as training scores them: vectors, n-gram view, labels, their rows
    among the training drafts, the chunks of long drafts, the fitting drafts as neighbours, and
    the drafts with a context and an expected verdict (their probabilities filled in later)."""

    vectors: np.ndarray
    lexical: np.ndarray
    labels: np.ndarray
    rows: np.ndarray
    chunked: tuple
    others: tuple[np.ndarray, np.ndarray]
    judged: list[int]
    drafts: Judged


def calibrate(heads: Heads, cal: CalibrationSlice, sharpness: float) -> tuple[int, np.ndarray, np.ndarray, float]:
    """With the neighbours at this sharpness: the blend, each signal's bands (F1, then moved on
    verdicts), the "possible" share, and how many calibration verdicts come out right."""
    heads.sharpness = sharpness
    heads.stack = fit_stack(heads.views(cal.vectors, cal.lexical, cal.others), cal.labels)
    probabilities = heads.probabilities(cal.vectors, cal.lexical, cal.others)
    probabilities = _as_checked(heads, probabilities, cal.rows, cal.chunked, cal.others)
    drafts = replace(cal.drafts, probabilities=probabilities[cal.judged])
    thresholds = tune_for_verdicts(drafts, choose_thresholds(probabilities, cal.labels))
    share = possible_share(drafts, thresholds)
    thresholds[:, 0] = thresholds[:, 1] * share
    return drafts.rates(thresholds)[0], heads.stack, thresholds, share


def long_draft_chunks(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """The chunks of each draft the scorer cuts into several, and the index of the draft of each."""
    owners: list[int] = []
    pieces: list[str] = []
    for index, text in enumerate(texts):
        plan = chunks(text, sentences(text))
        if len(plan) > 1:
            owners += [index] * len(plan)
            pieces += [text[c[0].start : c[-1].end] for c in plan]
    return np.array(owners, dtype=np.int64), pieces


def _as_checked(heads: Heads, whole: np.ndarray, drafts: np.ndarray, chunked, others) -> np.ndarray:
    """The probabilities of the given drafts as a check computes them: a draft cut into chunks
    takes each signal's best chunk instead of its whole-draft score. `chunked` is (the draft of
    each chunk, the chunks' embeddings, their n-grams)."""
    owners, chunk_vectors, chunk_grams = chunked
    out = whole.copy()
    mine = np.flatnonzero(np.isin(owners, drafts))
    if not len(mine):
        return out
    scored = heads.probabilities(chunk_vectors[mine], heads.lexical([chunk_grams[i] for i in mine]), others)
    rows = np.searchsorted(drafts, owners[mine])  # each chunk's row among the drafts (sorted)
    best = np.zeros_like(out)
    np.maximum.at(best, rows, scored)
    chunked_rows = np.unique(rows)
    out[chunked_rows] = best[chunked_rows]
    return out


def calibrates(text: str) -> bool:
    """A second, independent split of the training drafts: a seventh of them calibrates."""
    return hashlib.sha256(("calibrate:" + text).encode("utf-8")).digest()[0] % 7 == 0


def _embed_cached(texts: list[str], spec: EncoderSpec, cache_path: Path) -> tuple[np.ndarray, int]:
    """Each text's embeddings by e5 with this spec and by the second encoder (USE), joined, from
    the cache where it has them; and how many texts e5 embedded anew."""
    cache: dict[str, np.ndarray] = {}
    if cache_path.exists():
        try:
            with np.load(cache_path, allow_pickle=False) as data:
                cache = {k: data[k] for k in data.files}  # other layer counts are kept too
        except (OSError, ValueError):
            cache = {}
    digests = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:24] for t in texts]
    views, counts = [], []
    encoders = ((spec.fingerprint(), lambda: shared_encoder(spec)), (use_fingerprint(), shared_use_encoder))
    for prefix, encoder in encoders:
        keys = [f"{prefix}_{d}" for d in digests]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache}.items())
        for start in range(0, len(missing), 64):
            batch = missing[start : start + 64]
            for (key, _), vector in zip(batch, encoder().embed([t for _, t in batch]), strict=True):
                cache[key] = vector
        views.append(np.stack([cache[k] for k in keys]).astype(np.float32))
        counts.append(len(missing))
    if any(counts):
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        with cache_path.open("wb") as handle:
            np.savez(handle, **cache)
    return joined_views(*views), counts[0]
