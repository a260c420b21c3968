"""`policybot check` and `policybot eval`: drafts against the policy."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TextIO

import click

from bot.cli.common import load_policy, pack_option
from bot.evaluation import evaluate, format_report, format_signals, held_out_cases, signal_scores
from policy import Assessment, Context, DraftError, Policy, Verdict

VERDICT_COLOURS = {
    Verdict.OK: "green",
    Verdict.DISCLAIMER: "cyan",
    Verdict.REVIEW: "yellow",
    Verdict.STOP: "red",
}


@click.command()
@click.argument("text", required=False)
@click.option("--official", is_flag=True, help="The post is for an official agency account.")
@click.option("--on-duty", is_flag=True, help="You are on duty (working hours, telework, government device).")
@click.option("--jsonl", "jsonl", type=click.File("rb"), help="Check one JSON object per line ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pack_option
def check(text, official, on_duty, jsonl, as_json, pack) -> None:
    """Check a draft post. With no TEXT, the draft is read from stdin."""
    policy = load_policy(pack, lazy=True)
    if jsonl is not None:
        sys.exit(check_jsonl(policy, jsonl, sys.stdout))
    if text is None:
        raw = sys.stdin.buffer.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise click.UsageError(f"the draft on stdin is not valid UTF-8 (byte {error.start})") from None
    try:
        assessment = policy.check(text, account="official" if official else "personal", on_duty=on_duty)
    except DraftError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_assessment(text, assessment))


def check_jsonl(policy: Policy, stream, out: TextIO, batch: int = 32) -> int:
    """One JSON result per input line, checked in batches; a bad line gets an error object."""
    failures = 0
    pending: list[tuple[int, dict]] = []

    def flush() -> None:
        nonlocal failures
        drafts = []
        for _number, case in pending:
            try:
                drafts.append((policy.validate(case["text"]), Context(case["account"], case["on_duty"])))
            except DraftError as error:
                drafts.append((None, error))
        good = [(text, context) for text, context in drafts if text is not None]
        results = iter(policy.check_many(good) if good else [])
        for (number, case), (text, context) in zip(pending, drafts, strict=True):
            if text is None:
                failures += 1
                click.echo(f"line {number}: {context}", err=True)
                out.write(json.dumps({"id": number, "line": number, "error": str(context)}) + "\n")
            else:
                result = {"id": case.get("id", number), **_summary(next(results))}
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
        pending.clear()

    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            pending.append((number, parse_case(raw)))
        except ValueError as error:
            flush()
            failures += 1
            click.echo(f"line {number}: {error}", err=True)
            out.write(json.dumps({"id": number, "line": number, "error": str(error)}, ensure_ascii=False) + "\n")
        if len(pending) >= batch:
            flush()
    flush()
    return 1 if failures else 0


def parse_case(raw: bytes) -> dict:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not valid UTF-8 (byte {error.start})") from None
    try:
        case = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(case, dict) or not isinstance(case.get("text"), str):
        raise ValueError('expected an object with a "text" string')
    account = case.get("account", "personal")
    if account not in ("personal", "official"):
        raise ValueError('"account" must be "personal" or "official"')
    return {**case, "account": account, "on_duty": bool(case.get("on_duty", False))}


def read_labelled(file: Path, key: str, allowed: tuple[str, ...]) -> tuple[list[dict], list[str]]:
    """The lines of a labelled JSONL file whose `key` is one of `allowed`, and a "line N: reason"
    for every other non-blank line."""
    cases, errors = [], []
    with file.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                case = parse_case(raw)
                if case.get(key) not in allowed:
                    raise ValueError(f'"{key}" must be ' + ", ".join(allowed[:-1]) + f" or {allowed[-1]}")
                cases.append(case)
            except ValueError as error:
                errors.append(f"line {number}: {error}")
    return cases, errors


def _summary(assessment: Assessment) -> dict:
    return {
        "verdict": assessment.verdict.label,
        "categories": list(assessment.categories),
        "findings": [
            {k: f.to_dict()[k] for k in ("rule", "category", "section", "message", "start", "end", "finding", "band")}
            for f in assessment.findings
        ],
        "fixed": assessment.fixed,
    }


def format_assessment(text: str, assessment: Assessment) -> str:
    colour = VERDICT_COLOURS[assessment.verdict]
    lines = [
        click.style(f"Verdict: {assessment.verdict.label.upper()}", fg=colour, bold=True),
        f"checked as: {assessment.context.describe()}",
    ]
    for finding in assessment.findings:
        quoted = ", ".join(f'"{text[s:e]}"' for s, e in finding.spans[:3])
        band = f" ({finding.band})" if finding.band else ""
        lines.append(f"- [{finding.verdict.label}] {finding.section.title} ({finding.rule}){band}: {finding.message}")
        if quoted:
            lines.append(f"    found: {quoted}")
        if finding.like:
            lines.append(f'    like: "{finding.like}"')
    if assessment.fixed != text and assessment.verdict is not Verdict.REVIEW:
        lines += ["", "Fixed version:", assessment.fixed or "(nothing is left once the flagged sentences are removed)"]
    return "\n".join(lines)


@click.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--skip-held-out", is_flag=True, help="Do not also score the pack's held-out split (faster).")
@pack_option
def eval_command(file, as_json, skip_held_out, pack) -> None:
    """Score the policy on a labelled JSONL file (text, account, on_duty, expected, categories)."""
    policy = load_policy(pack)
    cases, errors = read_labelled(file, "expected", tuple(v.label for v in Verdict))
    show_progress = len(cases) > 500 and sys.stderr.isatty()
    with click.progressbar(cases, label="checking", file=sys.stderr) if show_progress else nullcontext(cases) as items:
        report = evaluate(policy, list(items))
    report.errors = errors
    data = report.to_dict()
    if skip_held_out:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else format_report(data))
    else:
        _echo_with_held_out(policy, data, as_json)
    sys.exit(1 if errors else 0)


def _echo_with_held_out(policy: Policy, data: dict, as_json: bool) -> None:
    held_out = evaluate(policy, held_out_cases(policy)).to_dict()
    signals = signal_scores(policy)
    if as_json:
        data = {**data, "held_out": {k: held_out[k] for k in _HEADLINE}, "signals": signals}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(format_report(data))
    click.echo(f"\nthe pack's held-out split ({held_out['total']} drafts no head was trained on):")
    click.echo("\n".join(f"  {k}: {held_out[k]}" for k in _HEADLINE if k != "total"))
    click.echo("\n" + format_signals(signals))


_HEADLINE = ("total", "accuracy", "stop_recall", "stop_exact_recall", "false_stop_rate_on_ok")
