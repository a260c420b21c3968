"""Signals from the model: embed a draft in chunks of sentences, score every signal, find the
sentence that carries each one and the nearest labelled example of the pack.

A draft the encoder reads whole (up to its window of 128 tokens, about 500 characters of prose)
is one chunk and one encoder pass, as the heads were trained on drafts. A longer draft is cut at
sentence ends into chunks of about 300 characters, so that one bad sentence in a long post is
not lost past the window. Until 2026-12-06 every draft over 300 characters was cut; read whole,
the drafts that fit are judged better (on the out-of-fold scores of the calibration drafts that
were cut, 804 of 925 verdicts right when cut, 836 whole). When a signal fires in a chunk of
several sentences, the n-gram view (no encoder pass) scores each sentence to point at the one
that carries it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import re2

from policy.e5weights import MAX_TOKENS
from policy.encoder import Encoder
from policy.heads import Heads
from policy.ngrams import features
from policy.table import Presence
from policy.use_encoder import UseEncoder, joined

CHUNK_CHARS = 300
WHOLE_CHARS = 1_000  # longer than this, a draft is read in chunks without counting its tokens
_SENTENCE_END = re2.compile(r"[.!?…。]+[\"')\]]*\s+|\n+")
_LETTER_RUN = re2.compile(r"[^\W\d_]+")
MAX_WORD = 30


@dataclass(frozen=True)
class Piece:
    start: int
    end: int


@dataclass(frozen=True)
class ScoredChunk:
    pieces: list[Piece]  # the chunk's sentences
    probabilities: np.ndarray  # per signal
    similarity: np.ndarray | None  # to every training draft; None when the encoder was skipped


def sentences(text: str) -> list[Piece]:
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            pieces.append(Piece(start, match.start() + len(match.group().rstrip())))
        start = match.end()
    if start < len(text) and text[start:].strip():
        pieces.append(Piece(start, len(text)))
    return [p for p in pieces if text[p.start : p.end].strip()]


def chunks(text: str, parts: list[Piece]) -> list[list[Piece]]:
    """Consecutive sentences grouped up to CHUNK_CHARS; a longer sentence is cut by itself."""
    out: list[list[Piece]] = []
    for part in parts:
        for start in range(part.start, part.end, CHUNK_CHARS * 2):
            piece = Piece(start, min(part.end, start + CHUNK_CHARS * 2))
            if out and piece.end - out[-1][0].start <= CHUNK_CHARS:
                out[-1].append(piece)
            else:
                out.append([piece])
    return out


def reading_plan(text: str, fits_window: bool) -> list[list[Piece]]:
    """The chunks a check reads: the whole text if it fits the encoder's window, else chunks."""
    parts = sentences(text)
    return ([parts] if parts else []) if fits_window else chunks(text, parts)


def fits_window(encoder: Encoder, text: str) -> bool:
    """Whether a check reads `text` whole. Up to CHUNK_CHARS it is one chunk either way; no draft
    of the default pack over 600 characters fits, so a longer one is not tokenized to find out."""
    if len(text) <= CHUNK_CHARS:
        return True
    return len(text) <= WHOLE_CHARS and encoder.tokens(text) <= MAX_TOKENS


def first_chunk(text: str) -> str:
    """The first chunk of about 300 characters of a (shadow) text, which the intent classifier
    reads: for a draft that short it is what a check embeds too, so that pass is a cache hit."""
    plan = chunks(text, sentences(text))
    return text[plan[0][0].start : plan[0][-1].end] if plan else text[:CHUNK_CHARS]


def has_words(text: str) -> bool:
    """A cheap first pass: a draft with no word at all (a run of one letter, digits, emoji) needs no encoder."""
    return any(2 <= len(run) <= MAX_WORD for run in _LETTER_RUN.findall(text[:20_000]))


TOKEN_BUDGET = 200  # encoder tokens per draft: about 800 characters of prose (~0.6 ms a token)
MAX_CHUNK_TOKENS = 128  # a 300-character chunk of prose is about 70 tokens


class Scorer:
    def __init__(
        self,
        heads: Heads,
        encoder: Encoder,
        example_texts: Callable[[], list[str]],
        skip_below: float = 0.0,
        second: UseEncoder | None = None,
    ) -> None:
        self.heads, self.encoder, self.second = heads, encoder, second  # second: for heads trained on both
        self.skip_below = skip_below  # 0: every chunk with words is embedded
        self.encoded = self.skipped = 0  # chunks, for the bench
        self.example_texts = example_texts

    def score_many(self, texts: list[str]) -> list[list[ScoredChunk]]:
        """For each text, its scored chunks; one encoder batch."""
        # heads trained before drafts were read whole were calibrated on chunks of 300 characters
        whole = bool(self.heads.meta.get("reads_whole"))
        plans = [reading_plan(t, whole and fits_window(self.encoder, t)) if has_words(t) else [] for t in texts]
        flat = [t[c[0].start : c[-1].end] for t, plan in zip(texts, plans, strict=True) for c in plan]
        lexical = self.heads.lexical([features(t) for t in flat]) if flat else np.zeros((0, len(self.heads.signals)))
        # The first pass: a chunk whose n-gram scores are all far below "possible" skips the encoder,
        # and a draft sends its most suspect chunks to it only up to TOKEN_BUDGET tokens (the others
        # keep their n-gram scores), so no draft costs more than a bounded amount of encoder time.
        suspicion = (lexical / self.heads.thresholds[:, 0]).max(axis=1, initial=0.0)
        needs_encoder = suspicion >= self.skip_below
        clipped = list(flat)
        row = 0
        for plan in plans:
            rows = np.arange(row, row + len(plan))
            wanted = rows[needs_encoder[rows]]
            spent = 0
            for i in wanted[np.argsort(-suspicion[wanted], kind="stable")]:
                clipped[i], cost = self.encoder.clip(flat[i], MAX_CHUNK_TOKENS)
                if spent and spent + cost > TOKEN_BUDGET:
                    needs_encoder[i] = False  # keeps its n-gram scores
                else:
                    spent += cost
            row += len(plan)
        probabilities = lexical.copy()
        similarities: list[np.ndarray | None] = [None] * len(flat)
        if needs_encoder.any():
            encoded = np.flatnonzero(needs_encoder)
            batch = [clipped[i] for i in encoded]
            vectors = self.encoder.embed(batch)
            if self.second is not None:
                vectors = joined(vectors, self.second.embed(batch))
            similarity = self.heads.similarity(vectors)  # once: for the neighbours and for "like: ..."
            probabilities[encoded] = self.heads.probabilities(vectors, lexical[encoded], similarity=similarity)
            for j, i in enumerate(encoded):
                similarities[i] = similarity[j]
        self.encoded += int(needs_encoder.sum())
        self.skipped += int(len(flat) - needs_encoder.sum())
        out, row = [], 0
        for plan in plans:
            out.append([ScoredChunk(c, probabilities[row + i], similarities[row + i]) for i, c in enumerate(plan)])
            row += len(plan)
        return out

    def presences(self, text: str, scored: list[ScoredChunk]) -> list[Presence]:
        """One Presence per signal found in any chunk, with the carrying sentence and a like-example."""
        if not scored:
            return []
        found: list[Presence] = []
        sentence_scores: dict[int, np.ndarray] = {}  # per chunk: its sentences' n-gram scores
        table = np.stack([c.probabilities for c in scored])  # (chunks, signals)
        best_chunks = table.argmax(axis=0)
        for k, signal in enumerate(self.heads.signals):
            best = int(best_chunks[k])
            chunk = scored[best]
            band = self.heads.band(k, float(table[best, k]))
            if band is None:
                continue
            pieces = chunk.pieces
            if len(pieces) > 1 and best not in sentence_scores:
                sentence_scores[best] = self.heads.lexical([features(text[p.start : p.end]) for p in pieces])
            piece = pieces[int(np.argmax(sentence_scores[best][:, k]))] if len(pieces) > 1 else pieces[0]
            like = self._like(chunk.similarity, k)
            found.append(Presence(signal, band, ((piece.start, piece.end),), float(table[best, k]), like))
        return found

    def _like(self, similarity: np.ndarray | None, k: int) -> str:
        """The most similar training draft that carries signal k."""
        labelled = self.heads.example_signals[:, k]
        if not labelled.any() or similarity is None:
            return ""
        nearest = int(np.argmax(np.where(labelled, similarity, -np.inf)))
        if self.heads.example_texts:
            return self.heads.example_texts[nearest]
        example_row = int(self.heads.example_ids[nearest])
        texts = self.example_texts()
        return texts[example_row] if 0 <= example_row < len(texts) else ""
