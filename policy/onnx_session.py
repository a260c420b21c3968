"""onnxruntime sessions over graphs that hold only their structure: the weights are declared
external ("supplied at load") in the graph and handed over as NumPy arrays when the session is
made, so nothing is written to disk or copied twice. The encoder (`e5graph`, `onnx_encoder`)
and the neighbours (`neighbours`) are made this way."""

from __future__ import annotations

import ctypes
import functools
import os

import numpy as np
import onnxruntime as ort


def external_weight(name: str, kind: int, shape: tuple[int, ...]):
    """A graph initializer whose values `open_session` supplies; `kind` is an onnx TensorProto type."""
    from onnx import TensorProto  # only graph builders (training, regeneration) need onnx; checking never does

    tensor = TensorProto(name=name, data_type=kind, dims=shape)
    tensor.data_location = TensorProto.EXTERNAL
    tensor.external_data.add(key="location", value="supplied-at-load")
    return tensor


BLOCK = 32  # MatMulNBits' block: one scale per 32 numbers of a row
LEVELS = 127  # 8 bits, symmetric: -127..127 around MatMulNBits' default offset of 128


def blocks_of_8_bits(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A float32 matrix (n, k) as MatMulNBits' `bits=8` reads it: (n, k // BLOCK, BLOCK) bytes,
    each value plus 128, and one float32 scale per block, (n * k // BLOCK,)."""
    count, width = rows.shape
    grouped = np.asarray(rows, np.float32).reshape(count, width // BLOCK, BLOCK)
    scales = np.abs(grouped).max(axis=-1) / LEVELS
    steps = np.where(scales > 0, scales, 1.0)[..., None]
    values = np.clip(np.rint(grouped / steps), -LEVELS, LEVELS).astype(np.int16) + 128
    return values.astype(np.uint8), scales.astype(np.float32).reshape(-1)


def open_session(
    structure: bytes, weights: dict[str, np.ndarray], threads: int | None = None
) -> tuple[ort.InferenceSession, list[ort.OrtValue]]:
    """A CPU session of the serialised graph with its external weights, and the OrtValues that
    wrap them (the arrays are used in place: keep both alive as long as the session).
    `threads`: intra-op threads; by default OMP_NUM_THREADS, or all cores."""
    _large_buffers_mapped()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or int(os.environ.get("OMP_NUM_THREADS", "0") or 0)  # 0: all cores
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.enable_cpu_mem_arena = False
    values = [ort.OrtValue.ortvalue_from_numpy(array) for array in weights.values()]
    options.add_external_initializers(list(weights), values)
    return ort.InferenceSession(structure, options, providers=["CPUExecutionProvider"]), values


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
LARGE_BUFFER = 512 * 1024


@functools.cache
def _large_buffers_mapped() -> None:
    """Have glibc map every buffer over 512 kB and unmap it when freed. A run's intermediates are
    several MB each; by default glibc raises its mapping threshold after the first is freed, the
    later ones come from the heap, and a long batch fragments it: the batch bench's peak RSS went
    from about 345 MB to 425-465 MB, depending on the order the buffer sizes came in. A fixed
    threshold keeps it at the former. No-op where the C library has no mallopt (macOS); musl's
    ignores it."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_MMAP_THRESHOLD, LARGE_BUFFER)
