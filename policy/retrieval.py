"""Find the policy passages that answer a question: two sentence encoders and BM25 (SQLite FTS5),
fused by reciprocal rank, so a question in the reader's own words or language finds its section.

Passages are the sections' paragraphs. Their embeddings are computed once per pack and encoder
(`policybot policy train` writes them beside the heads; otherwise on the first question).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policy.model import Section, paragraphs
from policy.normalize import fold

# Five rankings of the sections, fused by reciprocal rank (weight / (RRF_K + rank)): each encoder
# (e5, and USE as the second) over the sections' sentences and whole text and over the pack's FAQ
# (questions each section answers, as a vote of the nearest FAQ_NEIGHBOURS), and BM25 over
# paragraphs. USE, trained on question-answer pairs among other things, finds the FAQ question a
# reader means more often than e5, above all in French and Spanish. Weights chosen on the
# questions of policy/data/retrieval_tune*.jsonl (bench/retrieval_bench.py).
RRF_K = 5
FAQ_NEIGHBOURS = 5
WEIGHTS = {"text": 1.0, "faq": 1.0, "keywords": 1.0, "text_second": 1.0, "faq_second": 2.0}
RETRIEVAL_LAYERS = 12  # all of the encoder: retrieval gains far more from depth than the heads
_TOKENS = re.compile(r"\w{2,}")
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+")
# words that say nothing about a topic, so "the xyzzy" is not taken as known
_FUNCTION_WORDS = frozenset(
    "the and for what how who why can about with from this that are est les des une pour que qui dans sur avec "
    "los las una por para como del con sobre".split()
)


Embed = Callable[[list[str], bool], np.ndarray]


@dataclass(frozen=True)
class Vectors:
    """Embeddings of the text units and the FAQ questions, by the first encoder and the second."""

    units: np.ndarray
    faq: np.ndarray
    units_second: np.ndarray
    faq_second: np.ndarray


@dataclass(frozen=True)
class Passage:
    section_id: str
    text: str


@dataclass(frozen=True)
class Hit:
    section: Section
    passage: str
    score: float


def split_passages(sections: dict[str, Section]) -> list[Passage]:
    passages = []
    for section in sections.values():
        passages.extend(Passage(section.id, text) for text in paragraphs(section.body))
    return passages


def passages_digest(texts: list[str], encoder_name: str) -> str:
    digest = hashlib.sha256(encoder_name.encode())
    for text in texts:
        digest.update(b"\x00" + text.encode())
    return digest.hexdigest()[:16]


class Retriever:
    """Thread-safe. `embed(texts, query)` is the sentence encoder and `second` another one (or
    None); `faq` pairs a question with the id of the section that answers it."""

    def __init__(
        self,
        sections: dict[str, Section],
        embed: Embed,
        encoder_name: str,
        cache: Path | None = None,
        faq: tuple[tuple[str, str], ...] = (),
        weights: dict[str, float] | None = None,
        second: Embed | None = None,
    ) -> None:
        self.sections = sections
        self.passages = split_passages(sections)
        self.weights = {**WEIGHTS, **(weights or {})}
        self._embed = embed
        self._second = second
        # What the encoder reads: two-sentence windows of each paragraph, then each whole section.
        self._units: list[tuple[str, int | None]] = []  # (section id, paragraph index or None)
        texts = []
        for index, passage in enumerate(self.passages):
            title = sections[passage.section_id].title
            sentences = _SENTENCE_END.split(passage.text)
            for start in range(len(sentences)):
                self._units.append((passage.section_id, index))
                texts.append(f"{title}. {' '.join(sentences[start : start + 2])}")
        for section in sections.values():
            self._units.append((section.id, None))
            texts.append(f"{section.title}. {' '.join(section.keywords)}. {' '.join(section.body.split())}")
        self._faq = [pair for pair in faq if pair[1] in sections]
        self._faq_words: set[str] | None = None
        self._texts = texts
        self._digest = passages_digest(texts + [f"{q}\x00{sid}" for q, sid in self._faq], encoder_name)
        self._cache = cache
        self._vectors: Vectors | None = None
        self._lock = threading.Lock()
        self._index = sqlite3.connect(":memory:", check_same_thread=False)
        self._index.execute(
            "CREATE VIRTUAL TABLE passages USING fts5(title, keywords, body, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        self._index.executemany(
            "INSERT INTO passages(rowid, title, keywords, body) VALUES (?, ?, ?, ?)",
            [
                (i, sections[p.section_id].title, " ".join(sections[p.section_id].keywords), p.text)
                for i, p in enumerate(self.passages)
            ],
        )

    def vectors(self) -> Vectors:
        """The embeddings of the text units and of the FAQ questions (cached, or computed once)."""
        with self._lock:
            if self._vectors is None:
                cached = self._load_cache()
                self._vectors = cached if cached is not None else self._compute()
            return self._vectors

    def save(self) -> Path | None:
        """Write the embeddings to the cache file (done by `policybot policy train`)."""
        if self._cache is None:
            return None
        vectors = self.vectors()
        self._cache.parent.mkdir(parents=True, exist_ok=True)
        with self._cache.open("wb") as handle:
            np.savez_compressed(handle, digest=np.array(self._digest), **vars(vectors))
        return self._cache

    @property
    def cache_is_current(self) -> bool:
        return self._load_cache() is not None

    def search(self, question: str, limit: int = 4, topic: bool = False) -> list[Hit]:
        """Sections that best answer `question`, best first, each with its best paragraph.
        `topic`: a short topic ("disclaimer") finds nothing unless the pack uses one of its words,
        since the encoder ranks sections for gibberish too."""
        if not question.strip() or (topic and not self.knows(question)):
            return []
        vectors, asked = self.vectors(), [question[:2000]]
        fused: dict[str, float] = {}
        best_paragraph = self._add_encoder(fused, self._embed(asked, True)[0], vectors.units, vectors.faq, "")
        if self._second is not None:
            query = self._second(asked, True)[0]
            self._add_encoder(fused, query, vectors.units_second, vectors.faq_second, "_second")
        self._add_ranking(fused, self._keyword_ranking(question), "keywords")
        named = self._named(question)
        ranked = sorted(fused, key=lambda sid: (sid not in named, -fused[sid]))[:limit]
        return [
            Hit(self.sections[sid], self.passages[best_paragraph[sid][1]].text, fused[sid])
            for sid in ranked
            if sid in best_paragraph
        ]

    def knows(self, topic: str) -> bool:
        """Whether a section (title, keywords or text, stemmed) or a FAQ question uses a word of `topic`."""
        words = [w for w in _TOKENS.findall(fold(topic)) if len(w) >= 3 and w not in _FUNCTION_WORDS][:16]
        if not words:
            return False
        if self._faq_words is None:
            self._faq_words = {w for question, _ in self._faq for w in _TOKENS.findall(fold(question))}
        if any(w in self._faq_words for w in words):
            return True
        match = " OR ".join(f'"{w}"' for w in words)
        with self._lock:
            return (
                self._index.execute("SELECT 1 FROM passages WHERE passages MATCH ? LIMIT 1", (match,)).fetchone()
                is not None
            )

    def _named(self, topic: str) -> set[str]:
        """Sections whose id, title or a keyword contains a short topic as a whole phrase ("hatch act")."""
        words = _TOKENS.findall(fold(topic))
        if not words or len(words) > 4:
            return set()
        # a plural finds the singular and the singular the plural ("elections", "election")
        plural = [re.escape(w.removesuffix("s")) + "s?" if len(w) > 3 else re.escape(w) for w in words]
        phrase = re.compile(r"\b" + r"\W+".join(plural) + r"\b")
        return {
            section.id
            for section in self.sections.values()
            if phrase.search(fold(f"{section.id.replace('-', ' ')} {section.title} {' / '.join(section.keywords)}"))
        }

    def _add_encoder(
        self, fused: dict[str, float], query: np.ndarray, units: np.ndarray, faq: np.ndarray, suffix: str
    ) -> dict[str, tuple[float, int]]:
        """Add one encoder's two rankings; each section's best paragraph by it, (score, index)."""
        text_best: dict[str, float] = {}
        best_paragraph: dict[str, tuple[float, int]] = {}
        for (section_id, paragraph), score in zip(self._units, units @ query, strict=True):
            text_best[section_id] = max(text_best.get(section_id, -1.0), float(score))
            if paragraph is not None and score > best_paragraph.get(section_id, (-1.0, 0))[0]:
                best_paragraph[section_id] = (float(score), paragraph)
        self._add_ranking(fused, sorted(text_best, key=text_best.__getitem__, reverse=True), "text" + suffix)
        if len(self._faq):
            self._add_ranking(fused, self._faq_ranking(faq @ query), "faq" + suffix)
        return best_paragraph

    def _add_ranking(self, fused: dict[str, float], ranking: list[str], name: str) -> None:
        for rank, section_id in enumerate(ranking):
            fused[section_id] = fused.get(section_id, 0.0) + self.weights[name] / (RRF_K + rank + 1)

    def _faq_ranking(self, similarity: np.ndarray) -> list[str]:
        votes: dict[str, float] = {}
        for index in np.argsort(-similarity, kind="stable")[:FAQ_NEIGHBOURS]:
            section_id = self._faq[index][1]
            votes[section_id] = votes.get(section_id, 0.0) + float(similarity[index])
        return sorted(votes, key=votes.__getitem__, reverse=True)

    def _keyword_ranking(self, question: str) -> list[str]:
        tokens = sorted(set(_TOKENS.findall(fold(question))))[:64]
        if not tokens:
            return []
        match = " OR ".join(f'"{token}"' for token in tokens)
        with self._lock:
            rows = self._index.execute(
                "SELECT rowid FROM passages WHERE passages MATCH ? ORDER BY bm25(passages, 3.0, 2.0, 1.0)",
                (match,),
            ).fetchall()
        return list(dict.fromkeys(self.passages[row[0]].section_id for row in rows))

    def _load_cache(self) -> Vectors | None:
        if self._cache is None or not self._cache.exists():
            return None
        try:
            with np.load(self._cache) as stored:
                if str(stored["digest"]) != self._digest:
                    return None
                vectors = Vectors(**{name: stored[name].astype(np.float32) for name in Vectors.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None
        sizes = (len(self._texts), len(self._faq))
        first, second = (len(vectors.units), len(vectors.faq)), (len(vectors.units_second), len(vectors.faq_second))
        return vectors if first == sizes and second == (sizes if self._second else (0, 0)) else None

    def _compute(self) -> Vectors:
        questions = [q for q, _ in self._faq]
        units, faq = self._embed(self._texts, False), self._embed(questions, True)
        if self._second is None:
            return Vectors(units, faq, np.zeros((0, 0), np.float32), np.zeros((0, 0), np.float32))
        return Vectors(units, faq, self._second(self._texts, False), self._second(questions, True))
