"""The heads' network: a two-layer network over the sentence embedding, one sigmoid per signal,
trained with Adam in plain NumPy. Training fits one per fold and merges them into one wider network
(`crossfit`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from policy.ngrams import positive_weights


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass(frozen=True)
class FitSettings:
    hidden: int = 256
    epochs: int = 400
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    batch: int = 128
    seed: int = 7
    patience: int = 40


def fit_one(
    x: np.ndarray,
    y: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    settings: FitSettings = FitSettings(),
    known: np.ndarray | None = None,
):
    """Train on (x, y), keep the weights with the best validation loss. Returns (w1, b1, w2, b2)."""
    rng = np.random.default_rng(settings.seed)
    known = np.ones_like(y) if known is None else known.astype(np.float32)
    dim, k = x.shape[1], y.shape[1]
    params = {
        "w1": rng.normal(0, np.sqrt(2 / dim), (dim, settings.hidden)).astype(np.float32),
        "b1": np.zeros(settings.hidden, np.float32),
        "w2": rng.normal(0, np.sqrt(1 / settings.hidden), (settings.hidden, k)).astype(np.float32),
        "b2": np.zeros(k, np.float32),
    }
    pos_weight = positive_weights(y, known)
    moments = {name: (np.zeros_like(p), np.zeros_like(p)) for name, p in params.items()}
    best, best_loss, waited, step = dict(params), np.inf, 0, 0
    for _epoch in range(settings.epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), settings.batch):
            rows = order[start : start + settings.batch]
            grads = _gradients(params, x[rows], y[rows], pos_weight, known[rows])
            step += 1
            for name, grad in grads.items():
                grad = grad + settings.weight_decay * params[name]
                m, v = moments[name]
                m[:] = 0.9 * m + 0.1 * grad
                v[:] = 0.999 * v + 0.001 * grad * grad
                m_hat, v_hat = m / (1 - 0.9**step), v / (1 - 0.999**step)
                params[name] = params[name] - settings.learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)
        loss = _loss(params, x_val, y_val, pos_weight)
        if loss < best_loss - 1e-5:
            best, best_loss, waited = {n: p.copy() for n, p in params.items()}, loss, 0
        else:
            waited += 1
            if waited >= settings.patience:
                break
    return best["w1"], best["b1"], best["w2"], best["b2"]


def forward(network: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The probabilities of a fitted (w1, b1, w2, b2) network."""
    w1, b1, w2, b2 = network
    return _forward({"w1": w1, "b1": b1, "w2": w2, "b2": b2}, x)[1]


def _forward(params, x):
    hidden = np.maximum(x @ params["w1"] + params["b1"], 0.0)
    return hidden, _sigmoid(hidden @ params["w2"] + params["b2"])


def _loss(params, x, y, pos_weight) -> float:
    _, p = _forward(params, x)
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(pos_weight * y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def _gradients(params, x, y, pos_weight, known):
    hidden, p = _forward(params, x)
    # d(weighted BCE)/d(logit) = p*(w*y + 1 - y) - w*y
    d_logit = known * (p * (pos_weight * y + 1 - y) - pos_weight * y) / (len(x) * y.shape[1])
    d_hidden = (d_logit @ params["w2"].T) * (hidden > 0)
    return {
        "w2": hidden.T @ d_logit,
        "b2": d_logit.sum(axis=0),
        "w1": x.T @ d_hidden,
        "b1": d_hidden.sum(axis=0),
    }
