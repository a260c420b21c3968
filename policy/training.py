"""`policybot policy train`: fit the signal heads on a pack's training drafts and write the model.

The held-out fifth of the examples is never embedded here. The rest is split again: most
of it fits the heads, a fixed slice picks the stopping point and each signal's band
thresholds. Embeddings are cached beside the model (by text), so a retrain after adding
a few examples embeds only those.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policy.calibration import Judged
from policy.crossfit import Drafts, calibrate, calibrating, fit_folds, fold_of, out_of_fold
from policy.doubts import Doubt, doubtful_labels
from policy.encoder import EncoderSpec
from policy.encoders import shared_encoder
from policy.engine import Policy
from policy.heads import Heads
from policy.neighbours import Pool
from policy.network import FitSettings
from policy.ngrams import RowsOf8Bits, features
from policy.normalize import Shadow
from policy.scoring import chunks, fits_window, sentences
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
    doubts: list[Doubt]  # training labels the out-of-fold heads contradict, most doubted first


def train(
    pack: str | Path | None, layers: int = 12, settings: FitSettings | None = None, workers: int | None = None
) -> TrainReport:
    """`workers`: folds fitted at a time, each in its own process; by default the cores available."""
    started = time.perf_counter()
    policy = Policy.load(pack, need_model=False)
    heads, embedded, doubts = fit_heads(policy, layers, settings, workers or available_cores())
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
        doubts,
    )


def fit_heads(
    policy: Policy, layers: int = 12, settings: FitSettings | None = None, workers: int = 1
) -> tuple[Heads, int, list[Doubt]]:
    """The heads fitted on the pack's training drafts, how many texts were newly embedded, and
    the labels the out-of-fold heads doubt.

    A draft over 300 characters is also learned chunk by chunk, as a check reads it when it does
    not fit the encoder's window (see `scoring`): each chunk lacks the signals its draft lacks, and
    where the draft has a signal, which chunk carries it is unknown, so that label does not count. The
    blend and the thresholds are chosen on every training draft's out-of-fold scores, taken as a
    check takes them (a signal's best chunk); see `crossfit`."""
    signals = tuple(s.id for s in policy.signals)
    rows = [i for i, e in enumerate(policy.examples) if not e.held_out]
    examples = [policy.examples[i] for i in rows]
    texts = [Shadow.of(e.text).text for e in examples]
    owners, chunk_texts = long_draft_chunks(texts)
    spec = EncoderSpec(layers=layers)
    encoder = shared_encoder(spec)
    read_whole = np.array([fits_window(encoder, t) for t in texts], dtype=bool)
    model_path = policy._built.model_paths[0]
    embedded_all, embedded = _embed_cached(texts + chunk_texts, spec, model_path.parent / CACHE_FILE)
    labels = np.array([[s in e.signals for s in signals] for e in examples], dtype=np.float32)
    data = Drafts(
        embedded_all[: len(texts)],
        labels,
        [features(t) for t in texts],
        np.array([fold_of(e.text) for e in examples], dtype=np.int64),
        owners,
        embedded_all[len(texts) :],
        [features(t) for t in chunk_texts],
        read_whole,
    )
    fitted = fit_folds(data, settings or FitSettings(), workers)
    lexical_w, lexical_b = fitted.lexical
    heads = Heads(
        signals,
        *fitted.network,
        np.zeros((len(signals), 3), np.float32),
        Pool.of(data.vectors),
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
            "reads_whole": True,  # drafts that fit the encoder's window are calibrated whole
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        RowsOf8Bits.of(lexical_w),
        lexical_b,
        example_texts=tuple(e.text for e in examples),
    )
    chosen_on = calibrating([e.text for e in examples])
    choosing = [e for e, c in zip(examples, chosen_on, strict=True) if c]
    judged = np.array([j for j, e in enumerate(choosing) if e.expected is not None and e.context is not None], int)
    drafts = Judged(
        signals,
        policy.rows,
        np.zeros((len(judged), len(signals)), np.float32),
        [policy.detect(choosing[j].text) for j in judged],
        [choosing[j].context for j in judged],
        [choosing[j].expected for j in judged],
    )
    results = {s: calibrate(fitted, data, chosen_on, judged, drafts, s) for s in SHARPNESS_GRID}
    heads.sharpness = max(results, key=lambda sharpness: results[sharpness].right)  # ties: the softest
    chosen = results[heads.sharpness]
    heads.stack, heads.thresholds = chosen.stack, chosen.thresholds
    heads.meta["possible_share"] = chosen.share
    heads.meta["calibration_right"] = {str(sharpness): result.right for sharpness, result in results.items()}
    heads.meta["calibrated_on"] = int(chosen_on.sum())
    scores = out_of_fold(fitted, data, heads.stack, heads.sharpness)
    doubts = doubtful_labels([(e.path, e.line) for e in examples], signals, labels, scores)
    return heads, embedded, doubts


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, as a container limits them
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def long_draft_chunks(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """The chunks of each draft over 300 characters, and the index of the draft of each."""
    owners: list[int] = []
    pieces: list[str] = []
    for index, text in enumerate(texts):
        plan = chunks(text, sentences(text))
        if len(plan) > 1:
            owners += [index] * len(plan)
            pieces += [text[c[0].start : c[-1].end] for c in plan]
    return np.array(owners, dtype=np.int64), pieces


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
