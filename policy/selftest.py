"""Run every rule's own examples: each `flag` example must trigger the rule, each `pass` must not."""

from __future__ import annotations

from dataclasses import dataclass

from policy.engine import Policy
from policy.model import Context
from policy.pack import Rule


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str  # flag | pass
    text: str
    ok: bool
    path: str
    line: int


def rule_context(rule: Rule) -> Context:
    """The context a rule's examples are checked in: one where the rule applies."""
    account = rule.account if rule.account != "any" else "personal"
    return Context(account, bool(rule.on_duty))


def run_examples(policy: Policy) -> list[ExampleResult]:
    results = []
    for rule in policy.rules:
        context = rule_context(rule)
        for kind, texts in (("flag", rule.flag_examples), ("pass", rule.pass_examples)):
            for text in texts:
                assessment = policy.check(text, context.account, context.on_duty)
                fired = any(f.rule == rule.id for f in assessment.findings)
                results.append(ExampleResult(rule.id, kind, text, fired == (kind == "flag"), str(rule.path), rule.line))
    return results
