"""`policybot lookup` and `policybot intent train|eval`: questions about the policy."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import click

from bot.cli.checks import read_labelled
from bot.cli.common import load_policy, pack_option
from bot.intent import is_topic, understand
from policy import ModelError, PackError
from policy.encoder import EncoderSpec
from policy.encoders import shared_encoder
from policy.intent import INTENTS, MODEL_FILE, TRAINING_FILE, IntentClassifier, features, fit, read_training


@click.command()
@click.argument("topic")
@click.option("--json", "as_json", is_flag=True, help="Print the ranked sections as JSON.")
@pack_option
def lookup(topic, as_json, pack) -> None:
    """Look a policy topic or question up: the best passage and section, then the next best.
    Exit 1 when nothing matches, with or without --json."""
    policy = load_policy(pack, need_model=False)
    try:
        hits = policy.lookup(topic, topic=is_topic(topic))
    except ModelError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        rows = [
            {"id": h.section.id, "title": h.section.title, "score": round(h.score, 4), "passage": h.passage}
            for h in hits
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif hits:
        best = hits[0].section
        click.echo(click.style(best.title, bold=True) + f"  [{best.id}]\n\n> {hits[0].passage}\n\n{best.body}")
        if len(hits) > 1:
            click.echo("\nSee also: " + "; ".join(f"{h.section.title} [{h.section.id}]" for h in hits[1:]))
    else:
        click.echo(f"No section matches {topic!r}. Sections: " + ", ".join(policy.sections), err=True)
    if not hits:
        sys.exit(1)


@click.group()
def intent() -> None:
    """The classifier that tells drafts, questions and small talk apart."""


@intent.command()
def train() -> None:
    """Fit the intent classifier on policy/data/intent_train.jsonl and the retrieval tuning questions
    (policy/data/retrieval_tune*.jsonl); write policy/data/intent.npz."""
    started = time.perf_counter()
    rows = read_training()
    encoder = shared_encoder(EncoderSpec())
    model = fit(features([text for text, _ in rows], encoder.embed), [label for _, label in rows])
    model.save()
    sources = f"{TRAINING_FILE} and the retrieval tuning questions"
    click.echo(f"trained on {len(rows)} messages from {sources} in {time.perf_counter() - started:.1f} s")
    click.echo(f"wrote {MODEL_FILE}")


@intent.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_intent(file, as_json) -> None:
    """Score message routing on FILE (JSON lines with "text" and "intent": draft, question, command, smalltalk)."""
    try:
        classifier = IntentClassifier(shared_encoder(EncoderSpec()).embed)
    except (OSError, PackError) as error:
        raise click.ClickException(f"cannot load the intent classifier: {error}") from None
    cases, errors = read_labelled(file, "intent", (*INTENTS, "command"))
    confusion: Counter = Counter()
    misses = []
    for case in cases:
        got = understand(case["text"], classifier).kind
        confusion[(case["intent"], got)] += 1
        if got != case["intent"]:
            misses.append({"text": case["text"][:100], "expected": case["intent"], "got": got})
    correct = sum(n for (want, got), n in confusion.items() if want == got)
    report = {
        "messages": len(cases),
        "accuracy": round(correct / len(cases), 3) if cases else None,
        "questions_taken_for_drafts": confusion[("question", "draft")],
        "confusion": {f"{want}->{got}": n for (want, got), n in sorted(confusion.items())},
        "misses": misses,
        "errors": errors,
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _echo_intent_report(report)
    sys.exit(1 if errors else 0)


def _echo_intent_report(report: dict) -> None:
    accuracy = "-" if report["accuracy"] is None else f"{report['accuracy']:.3f}"
    click.echo(f"messages {report['messages']}  accuracy {accuracy}")
    click.echo("questions taken for drafts: " + str(report["questions_taken_for_drafts"]))
    for key, count in report["confusion"].items():
        click.echo(f"  {key:24} {count}")
    for miss in report["misses"]:
        click.echo(f"  expected {miss['expected']}, got {miss['got']}: {miss['text']}")
    for error in report["errors"]:
        click.echo(f"error: {error}")
