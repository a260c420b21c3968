"""The `policybot` commands that need no chat platform: check, lookup, eval, policy, report, review."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TextIO

import click

from bot.cli_questions import intent, lookup_command
from bot.evaluation import evaluate, format_report, format_signals, held_out_cases, signal_scores
from policy import Assessment, Context, DraftError, ModelError, PackError, Policy, Verdict

VERDICT_COLOURS = {
    Verdict.OK: "green",
    Verdict.DISCLAIMER: "cyan",
    Verdict.REVIEW: "yellow",
    Verdict.STOP: "red",
}

pack_option = click.option(
    "--pack",
    "pack",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="POLICYBOT_PACK",
    help="Policy pack directory (default: the built-in pack).",
)


def load_policy(pack: Path | None, need_model: bool = True) -> Policy:
    try:
        return Policy.load(pack, need_model=need_model)
    except (PackError, ModelError) as error:
        raise click.ClickException(str(error)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policybot")
def cli() -> None:
    """policybot: check social-media drafts against your agency's policy."""


@cli.command()
@click.argument("text", required=False)
@click.option("--official", is_flag=True, help="The post is for an official agency account.")
@click.option("--on-duty", is_flag=True, help="You are on duty (working hours, telework, government device).")
@click.option("--jsonl", "jsonl", type=click.File("rb"), help="Check one JSON object per line ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pack_option
def check(text, official, on_duty, jsonl, as_json, pack) -> None:
    """Check a draft post. With no TEXT, the draft is read from stdin."""
    policy = load_policy(pack)
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


cli.add_command(lookup_command(load_policy, pack_option))
cli.add_command(intent)


@cli.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--skip-held-out", is_flag=True, help="Do not also score the pack's held-out split (faster).")
@pack_option
def eval_command(file, as_json, skip_held_out, pack) -> None:
    """Score the policy on a labelled JSONL file (text, account, on_duty, expected, categories)."""
    policy = load_policy(pack)
    cases, errors = [], []
    with file.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                case = parse_case(raw)
                if case.get("expected") not in [v.label for v in Verdict]:
                    raise ValueError('"expected" must be ok, disclaimer, review or stop')
                cases.append(case)
            except ValueError as error:
                errors.append(f"line {number}: {error}")
    show_progress = len(cases) > 500 and sys.stderr.isatty()
    with click.progressbar(cases, label="checking", file=sys.stderr) if show_progress else nullcontext(cases) as items:
        report = evaluate(policy, list(items))
    report.errors = errors
    data = report.to_dict()
    if skip_held_out:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else format_report(data))
        return
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


@cli.group()
def policy() -> None:
    """Validate and test policy packs."""


@policy.command()
@click.argument("directory", type=click.Path(path_type=Path))
def validate(directory) -> None:
    """Check a pack: every problem with its file, line and reason, and whether its model is current."""
    try:
        loaded = Policy.load(directory, need_model=False)
    except PackError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s); the pack was not loaded.", err=True)
        sys.exit(1)
    click.echo(
        f"ok: {len(loaded.sections)} sections, {len(loaded.signals)} signals, {len(loaded.detectors)} detectors, "
        f"{len(loaded.rows)} table rows, {len(loaded.examples)} examples, {len(loaded.questions)} quiz questions"
    )
    problem = loaded.model_problem()
    if problem:
        click.echo(f"model: {problem}", err=True)
        sys.exit(1)
    click.echo(f"model: current ({loaded.model_path})")


@policy.command(name="test")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def test_pack(directory, as_json) -> None:
    """Score the pack on its own held-out examples: verdicts, and each signal's precision and recall."""
    loaded = load_policy(directory)
    report = evaluate(loaded, held_out_cases(loaded)).to_dict()
    signals = signal_scores(loaded)
    if as_json:
        click.echo(json.dumps({**report, "signals": signals}, ensure_ascii=False, indent=2))
        return
    click.echo(format_report(report) + "\n\n" + format_signals(signals))


@policy.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--layers", default=6, show_default=True, type=click.IntRange(1, 12), help="Encoder layers to use.")
def train(directory, layers) -> None:
    """Fit the signal heads on the pack's examples and write DIR/model/heads.npz."""
    from policy.training import train as train_pack

    try:
        result = train_pack(directory, layers=layers)
    except (PackError, ModelError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"trained {result.signals} signal heads on {result.trained} drafts ({result.embedded} newly embedded) "
        f"in {result.seconds:.1f} s; {result.held_out} drafts held out\nwrote {result.path}"
    )


def main() -> None:
    cli()


@cli.group()
def report() -> None:
    """Reports for administrators: training completion and the review queue."""


def _run_with_store(database: str | None, work):
    import asyncio

    from bot.app import core_settings, open_store
    from bot.config import ConfigError
    from bot.store import StoreError

    async def run():
        store = await open_store(core_settings({"database": database})["database"])
        try:
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except (ConfigError, StoreError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


@report.command()
@click.option("--db", "database", help="SQLite file or postgresql:// URL (default: POLICYBOT_DATABASE).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV instead of a table.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Count quizzes from this date (UTC).")
@click.option("--overdue-days", default=365, show_default=True, help="Overdue when no quiz in this many days.")
def training(database, as_csv, since, overdue_days) -> None:
    """Per user: quizzes taken, last completion, score, overdue; then totals per team."""
    import csv
    import time
    from datetime import UTC, datetime

    from bot.reports import training_report

    since_ts = since.replace(tzinfo=UTC).timestamp() if since else None
    rows, teams = _run_with_store(database, lambda s: training_report(s, time.time(), since_ts, overdue_days))

    def day(ts):
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d") if ts else ""

    table = [
        [
            r.user,
            r.name,
            r.team,
            r.quizzes,
            day(r.last_completed),
            f"{r.score:.0%}" if r.score is not None else "",
            "yes" if r.overdue else "no",
        ]
        for r in rows
    ]
    header = ["user", "name", "team", "quizzes", "last_completed", "score", "overdue"]
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(table)
        return
    widths = [max(len(str(x)) for x in column) for column in zip(header, *table, strict=False)]
    for line in [header, *table]:
        click.echo("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
    click.echo("\nteam totals:")
    for team in teams:
        click.echo(
            f"  {team['team']}: {team['users']} users, {team['trained']} trained, "
            f"{team['overdue']} overdue, {team['quizzes']} quizzes"
        )


@report.command()
@click.option("--db", "database", help="SQLite file or postgresql:// URL (default: POLICYBOT_DATABASE).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def reviews(database, as_json) -> None:
    """The review queue: open, decided, and time to decision."""
    from bot.reports import reviews_report

    data = _run_with_store(database, reviews_report)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    waits = data["hours_to_decision"]
    click.echo(f"open: {data['open']}\ndecided: {data['decided']}")
    for key, count in data["by_kind_and_status"].items():
        click.echo(f"  {key}: {count}")
    click.echo(f"hours to decision: median {waits['median']}, p90 {waits['p90']}, max {waits['max']}")
