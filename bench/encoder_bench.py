"""The tuned encoder's two onnxruntime layouts side by side, on one thread: `onnx` (4-bit blocks
as shipped, the tuning's low-rank deltas multiplied beside each product) and `onnx8` (each delta
added to its matrix, held in 8-bit blocks). Prints the time to load each, the time to embed a
280-character draft (alternating runs, so the host's speed moves both alike), the ratio, and how
close their embeddings are.

    python bench/encoder_bench.py [--drafts 80] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from check_bench import drafts_of  # bench/ is on the path when a bench runs as a script

from policy import Policy
from policy.encoder import EncoderSpec
from policy.onnx_encoder import OnnxEncoder

LAYOUTS = ("onnx", "onnx8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    held_out = [e.text for e in Policy.load(need_model=False).examples if e.held_out]
    drafts = drafts_of(held_out, 280, args.drafts)
    encoders, loads = {}, {}
    for layout in LAYOUTS:
        started = time.perf_counter()
        encoders[layout] = OnnxEncoder(EncoderSpec(runtime=layout), threads=1)
        loads[layout] = time.perf_counter() - started
        encoders[layout]._embed(drafts[:1], False)  # warm-up: onnxruntime's first run allocates
    times: dict[str, list[float]] = {layout: [] for layout in LAYOUTS}
    for _ in range(args.rounds):
        for layout, encoder in encoders.items():
            started = time.perf_counter()
            for draft in drafts:
                encoder._embed([draft], False)  # uncached, one draft a run, as a chat check
            times[layout].append((time.perf_counter() - started) / len(drafts) * 1000)
    vectors = {layout: encoder._embed(drafts, False) for layout, encoder in encoders.items()}
    cosine = np.sum(vectors["onnx"] * vectors["onnx8"], axis=1)
    print(f"{len(drafts)} drafts of 280 characters, one thread, {args.rounds} alternating rounds")
    for layout in LAYOUTS:
        rounds = " ".join(f"{t:.1f}" for t in times[layout])
        median = statistics.median(times[layout])
        print(f"  {layout:6s} load {loads[layout]:.2f} s   embed median {median:5.1f} ms  ({rounds})")
    ratio = statistics.median(times["onnx"]) / statistics.median(times["onnx8"])
    print(f"  onnx / onnx8: {ratio:.2f}x   cosine onnx8 to onnx: mean {cosine.mean():.4f}, lowest {cosine.min():.4f}")


if __name__ == "__main__":
    main()
