"""`policybot policy validate|test|train`: policy packs and their trained heads."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.cli.common import load_policy
from bot.evaluation import evaluate, format_report, format_signals, held_out_cases, signal_scores
from policy import ModelError, PackError, Policy
from policy.training import train as train_pack


@click.group()
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
@click.option("--layers", default=12, show_default=True, type=click.IntRange(1, 12), help="Encoder layers to use.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Folds fitted at a time, each in its own process (default: the cores available, at most 7).",
)
@click.option(
    "--doubts",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the training labels the heads doubt (JSON lines: file, line, signal), most doubted first.",
)
def train(directory, layers, workers, doubts) -> None:
    """Fit the signal heads on the pack's examples and write DIR/model/heads.npz."""
    if doubts and not doubts.resolve().parent.is_dir():  # say so now, not after the training
        raise click.ClickException(f"cannot write --doubts {doubts}: no such directory {doubts.parent}")
    try:
        result = train_pack(directory, layers=layers, workers=workers)
    except (PackError, ModelError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"trained {result.signals} signal heads on {result.trained} drafts ({result.embedded} newly embedded) "
        f"in {result.seconds:.1f} s; {result.held_out} drafts held out; neighbours' sharpness "
        f"{result.sharpness:g} (chosen on the calibration drafts)\nwrote {result.path}"
    )
    if doubts:
        try:
            doubts.write_text("".join(json.dumps(d.to_dict()) + "\n" for d in result.doubts), encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"cannot write --doubts {doubts}: {error.strerror}") from None
        click.echo(f"{len(result.doubts)} labels doubted by the heads: wrote {doubts}")
    else:
        click.echo(f"{len(result.doubts)} labels doubted by the heads (list them with --doubts FILE)")
