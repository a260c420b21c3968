"""The training drafts' embeddings, kept as 8-bit blocks and searched by onnxruntime.

A check compares each chunk's embedding with every training draft's (about 25,000 of them in
the default pack). As float32 that product reads 39 MB per check and is bound by memory speed
(3.3 ms on one core). Here each embedding is stored as blocks of 32 signed 8-bit values with one
scale per block, the format of onnxruntime's `MatMulNBits` with `bits=8`, which multiplies by
them directly: 11 MB, about 0.3 ms, and cosine similarities within 0.002 of float32
(`bench/neighbours_bench.py`). The graph is built when the pool is made (at training) and saved
with it, so that checking never imports `onnx`. onnxruntime multiplies 8-bit blocks on the CPU
from 1.22 on (1.20 and 1.21 refuse: "Only 4b quantization is supported").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import onnxruntime as ort

from policy.onnx_session import BLOCK, blocks_of_8_bits, external_weight, open_session


@dataclass
class Pool:
    blocks: np.ndarray  # (n, dim // BLOCK, BLOCK) uint8, value + 128
    scales: np.ndarray  # (n * dim // BLOCK,) float32
    graph: bytes  # MatMulNBits over the blocks; its weights are supplied at load
    _session: ort.InferenceSession | None = field(default=None, repr=False)
    _values: list = field(default_factory=list, repr=False)  # what the session reads, kept alive with it

    @classmethod
    def of(cls, vectors: np.ndarray) -> Pool:
        blocks, scales = blocks_of_8_bits(vectors)
        return cls(blocks, scales, similarity_graph(*vectors.shape))

    def __len__(self) -> int:
        return len(self.blocks)

    def vectors(self) -> np.ndarray:
        """The embeddings as float32 again (to within the 8-bit steps)."""
        values = self.blocks.astype(np.float32) - 128
        return (values * self.scales.reshape(values.shape[:2])[..., None]).reshape(len(self), -1)

    def similarity(self, vectors: np.ndarray) -> np.ndarray:
        """Cosine similarity of each (normalised) vector to every pooled draft: (rows, pool)."""
        if len(self) == 0 or len(vectors) == 0:
            return np.zeros((len(vectors), len(self)), np.float32)
        (out,) = self.session().run(None, {"vectors": np.ascontiguousarray(vectors, np.float32)})
        return out

    def session(self) -> ort.InferenceSession:
        if self._session is None:  # a race here only builds a second, identical session
            self._session, self._values = open_session(self.graph, {"blocks": self.blocks, "scales": self.scales})
        return self._session


def similarity_graph(rows: int, dim: int) -> bytes:
    """vectors (batch, dim) times the pool's blocks: (batch, rows)."""
    from onnx import TensorProto, helper

    product = helper.make_node(
        "MatMulNBits",
        ["vectors", "blocks", "scales"],
        ["similarity"],
        domain="com.microsoft",
        K=dim,
        N=rows,
        bits=8,
        block_size=BLOCK,
        accuracy_level=4,  # the query too is quantized to 8 bits per block (level 0 is 100x slower)
    )
    weights = [
        external_weight("blocks", TensorProto.UINT8, (rows, dim // BLOCK, BLOCK)),
        external_weight("scales", TensorProto.FLOAT, (rows * dim // BLOCK,)),
    ]
    graph = helper.make_graph(
        [product],
        "neighbours",
        [helper.make_tensor_value_info("vectors", TensorProto.FLOAT, ["batch", dim])],
        [helper.make_tensor_value_info("similarity", TensorProto.FLOAT, ["batch", rows])],
        initializer=weights,
    )
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets, ir_version=9).SerializeToString()
