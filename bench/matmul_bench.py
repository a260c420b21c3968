"""Float32 matrices against onnxruntime's 4-bit MatMulNBits, on the encoder's real weights.

The onnx runtime ran each layer's 4-bit matrices dequantized into float32 (7 MB a layer) until
2026-12-04, which kept twelve layers out of the memory budget; it now hands onnxruntime the 4-bit
blocks themselves (`com.microsoft.MatMulNBits`, `WeightsFile.nibble_blocks`). This prints, side by
side, the time of one layer's six matrices for one draft of about 80 tokens on one thread: in
float32, in 4-bit with float32 activations (accuracy level 0, exact), and in 4-bit as the encoder
runs them (`policy.e5graph.ACCURACY_LEVEL`); the bytes each way; and how far each 4-bit product is
from the float one.

    python bench/matmul_bench.py
"""

from __future__ import annotations

import time

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from policy.e5graph import ACCURACY_LEVEL
from policy.encoder import DIM, mapped_weights, weights_path
from policy.onnx_encoder import _MATRICES

TOKENS = 80  # a 280-character draft
RUNS = 300


def session(node, initializers, k: int, n: int) -> ort.InferenceSession:
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, k])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, n])]
    model = helper.make_model(
        helper.make_graph([node], "m", inputs, outputs, initializers),
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
    )
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def timed(run, x: np.ndarray) -> float:
    for _ in range(20):
        run(x)
    start = time.perf_counter()
    for _ in range(RUNS):
        run(x)
    return (time.perf_counter() - start) / RUNS * 1000


def nbits_session(packed: np.ndarray, scales: np.ndarray, rows: int, columns: int, level: int):
    node = helper.make_node(
        "MatMulNBits",
        ["x", "w", "s"],
        ["y"],
        domain="com.microsoft",
        K=columns,
        N=rows,
        bits=4,
        block_size=32,
        accuracy_level=level,
    )
    initializers = [numpy_helper.from_array(packed, "w"), numpy_helper.from_array(scales, "s")]
    return session(node, initializers, columns, rows)


def main() -> None:
    file, _ = mapped_weights(weights_path(), tuned=False)
    rng = np.random.default_rng(0)
    kinds = ("float32", "4-bit, level 0", f"4-bit, level {ACCURACY_LEVEL}")
    ms = dict.fromkeys(kinds, 0.0)
    worst = dict.fromkeys(kinds[1:], 0.0)
    float_bytes = nbits_bytes = 0
    for kind, (rows, columns) in _MATRICES.items():
        name = f"l0.{kind}.w"
        dense = file.matrix(name, rows, columns)
        packed, scales = file.nibble_blocks(name, rows, columns)
        x = rng.standard_normal((TOKENS, columns)).astype(np.float32)
        weights = [numpy_helper.from_array(np.ascontiguousarray(dense.T), "w")]
        sessions = {
            kinds[0]: session(helper.make_node("MatMul", ["x", "w"], ["y"]), weights, columns, rows),
            kinds[1]: nbits_session(packed, scales, rows, columns, 0),
            kinds[2]: nbits_session(packed, scales, rows, columns, ACCURACY_LEVEL),
        }
        expected = sessions[kinds[0]].run(None, {"x": x})[0]
        for label, run in sessions.items():
            ms[label] += timed(lambda v, s=run: s.run(None, {"x": v}), x)
            if label in worst:
                got = run.run(None, {"x": x})[0]
                worst[label] = max(worst[label], float(np.abs(got - expected).max() / np.abs(expected).max()))
        float_bytes += dense.nbytes
        nbits_bytes += packed.nbytes + scales.nbytes
    print(f"one layer's six matrices, {TOKENS} tokens, one thread ({DIM}-wide encoder)")
    for label in kinds:
        line = f"  {label:<18}{ms[label]:>7.2f} ms  {ms[label] / ms[kinds[0]]:.2f}x"
        if label in worst:
            line += f"  largest difference of a product, relative to its largest value: {worst[label]:.1e}"
        print(line)
    print(f"  memory per layer: float32 {float_bytes / 2**20:.2f} MB, 4-bit {nbits_bytes / 2**20:.2f} MB")
    print(f"  memory, 12 layers: float32 {12 * float_bytes / 2**20:.1f} MB, 4-bit {12 * nbits_bytes / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
