"""Where the held-out split's wrong verdicts come from: what each signal, made perfect, would gain.

Maintainers only. Scores the pack's held-out split once, then for each signal in turn replaces
its findings with the labels and applies the table again; also scores the split with the
"possible" band dropped, and counts the wrong verdicts. A draft with no context is read as a
personal post off duty, and one with no expected verdict expects the verdict its labels give.
Nothing is fitted here.

    python tools/gap_by_signal.py [PACK]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from policy import Context, Policy
from policy.table import Presence


def as_labelled(names: set[str]) -> dict[str, Presence]:
    return {name: Presence(name, "likely", ((0, 0),)) for name in names}


def main(argv: list[str]) -> None:
    policy = Policy.load(argv[0] if argv else None)
    cases = [e for e in policy.examples if e.held_out]
    contexts = [e.context or Context("personal", False) for e in cases]
    expected = [
        (e.expected or policy.assess(e.text, as_labelled(e.signals | e.detectors), context).verdict).label
        for e, context in zip(cases, contexts, strict=True)
    ]
    if not cases:
        sys.exit("the pack has no held-out drafts")
    found: list[dict[str, Presence]] = []
    for start in range(0, len(cases), 64):
        found += policy.find_many([e.text for e in cases[start : start + 64]])

    def verdicts(findings: list[dict[str, Presence]]) -> Counter:
        return Counter(
            (wanted, policy.assess(e.text, f, context).verdict.label)
            for e, f, context, wanted in zip(cases, findings, contexts, expected, strict=True)
        )

    def summary(counts: Counter) -> str:
        right = sum(n for (expected, got), n in counts.items() if expected == got)
        stops = sum(n for (expected, _), n in counts.items() if expected == "stop")
        caught = sum(n for (expected, got), n in counts.items() if expected == "stop" and got in ("stop", "review"))
        return f"accuracy {right / len(cases):.4f}, stop answered stop or review {caught / max(stops, 1):.4f}"

    shipped = verdicts(found)
    print(f"held-out split, {len(cases)} drafts: {summary(shipped)}")
    right = sum(n for (expected, got), n in shipped.items() if expected == got)
    gains = []
    for signal in (s.id for s in policy.signals):
        perfect = []
        for example, findings in zip(cases, found, strict=True):
            changed = {k: v for k, v in findings.items() if k != signal}
            if signal in example.signals:
                kept = findings.get(signal)
                changed[signal] = kept if kept and kept.sure else as_labelled({signal})[signal]
            perfect.append(changed)
        counts = verdicts(perfect)
        gains.append((sum(n for (e, g), n in counts.items() if e == g) - right, signal))
    print("verdicts gained if one signal were perfect:")
    for gain, signal in sorted(gains, reverse=True):
        print(f"  {signal:<24}{gain:+6d}  ({gain / len(cases):+.4f})")
    certain = [{k: v for k, v in f.items() if v.band != "possible"} for f in found]
    print(f'without the "possible" band: {summary(verdicts(certain))}')
    wrong = Counter((e, g) for (e, g), n in shipped.items() for _ in range(n) if e != g)
    print("wrong verdicts (expected -> answered):")
    for (expected, got), n in wrong.most_common():
        print(f"  {expected} -> {got}: {n}")


if __name__ == "__main__":
    main(sys.argv[1:])
