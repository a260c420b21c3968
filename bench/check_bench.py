"""Check latency and throughput of the policy engine, beside a naive baseline, in one run.

The naive baseline is what the engine replaces: every phrase and pattern of every rule
compiled as its own regex (Python's re) and scanned over the text separately, rule by
rule: no combined RE2 set, no skipping of term sets that do not occur.

    python bench/check_bench.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import time

import re2

from policy import Policy
from policy.matching import Near, TermSet
from policy.normalize import Shadow

SHORT = (
    "As a county building inspector I think Hartwell Roofing does the cleanest work in town. "
    "Pic from the job site today! Call me at (217) 555-0148 or email me at my personal Gmail, "
    "and the door code for the annex is 4471#. Go vote, polls close at 8. #waterquality"
)[:280]
LONG = (
    "Ten years at the Social Security Administration have taught me that plain language matters. "
    "Every confusing letter we send turns into a phone call or a field office visit. "
) * 60


def naive_check(policy: Policy, patterns: list, text: str) -> int:
    """Scan each rule's patterns one by one over the normalised text."""
    shadow = Shadow.of(text).text
    hits = 0
    for rule_patterns in patterns:
        for regex in rule_patterns:
            hits += sum(1 for _ in regex.finditer(shadow))
    return hits


def rule_patterns(policy: Policy) -> list[list]:
    """Per rule, every phrase and pattern compiled on its own."""
    out = []
    for rule in policy.rules:
        compiled = []
        for clause in (*rule.match, *rule.require, *rule.unless):
            for side in (clause.a, clause.b) if isinstance(clause, Near) else (clause,):
                assert isinstance(side, TermSet)
                for part in side.parts:
                    try:
                        compiled.append(re.compile(part, re.IGNORECASE))
                    except re.error:
                        compiled.append(re2.compile("(?i)" + part))
        out.append(compiled)
    return out


def measure(function, seconds: float) -> tuple[float, float, float]:
    samples = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    samples.sort()
    p50 = statistics.median(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return p50 * 1000, p99 * 1000, len(samples) / sum(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = parser.parse_args()
    policy = Policy.load()
    sets = rule_patterns(policy)
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}")
    print(f"pack: {len(policy.rules)} rules, {sum(map(len, sets))} patterns; one core, {args.seconds:.0f} s a row\n")
    print(
        f"{'draft':<14}{'engine p50':>12}{'p99':>9}{'checks/s':>11}   {'naive p50':>10}{'p99':>11}"
        f"{'checks/s':>11}   {'speed-up':>8}"
    )
    for name, text in (("280 chars", SHORT), (f"{len(LONG) // 1000} kB", LONG)):
        policy.check(text)
        engine = measure(lambda t=text: policy.check(t), args.seconds)
        naive = measure(lambda t=text: naive_check(policy, sets, t), args.seconds)
        print(
            f"{name:<14}{engine[0]:>10.3f}ms{engine[1]:>7.3f}ms{engine[2]:>11.0f}   "
            f"{naive[0]:>8.3f}ms{naive[1]:>9.3f}ms{naive[2]:>11.0f}   {engine[2] and naive[0] / engine[0]:>7.1f}x"
        )


if __name__ == "__main__":
    main()
