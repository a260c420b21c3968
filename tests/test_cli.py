"""The `policybot` command line, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED_EVAL


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "adapters.main", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=1200,  # a hang guard, not a speed test: eval scores the held-out split (about 7,000 drafts) too
    )


def test_check_prints_verdict_section_and_fix():
    result = run("check", "As a city engineer I think roundabouts are safer than stop signs.")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "Verdict: DISCLAIMER" in out and "3. Disclaimers" in out and "do not represent" in out


def test_check_json_with_context_flags():
    result = run("check", "Go Republicans!", "--on-duty", "--json")
    data = json.loads(result.stdout)
    assert data["verdict"] == "stop" and data["categories"] == ["political"]
    assert data["findings"][0]["section"] == "political-activity"


def test_empty_draft_exits_2_with_a_message():
    result = run("check", "   ")
    assert result.returncode == 2 and b"empty" in result.stderr


def test_jsonl_processes_good_lines_and_names_bad_ones():
    lines = b"\n".join(
        [
            json.dumps({"id": "a", "text": "Polls close at 8."}).encode(),
            b"{not json",
            b'{"id": "c", "text": "\xff\xfe bad bytes"}',
            json.dumps({"id": "d", "text": "ssn 536-22-8079", "on_duty": True}).encode(),
            json.dumps({"id": "e", "text": ""}).encode(),
        ]
    )
    result = run("check", "--jsonl", "-", stdin=lines)
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o.get("verdict") for o in out] == ["ok", None, None, "stop", None]
    assert out[0]["id"] == "a" and "pii.national_id" in {f["rule"] for f in out[3]["findings"]}
    assert "8079" not in out[3]["fixed"]
    stderr = result.stderr.decode()
    assert "line 2: not JSON" in stderr and "line 3: not valid UTF-8" in stderr and "line 5" in stderr
    assert result.returncode == 1


def test_a_megabyte_draft_gets_a_clear_error_not_a_hang():
    result = run("check", stdin=b"word " * 200_000)
    assert result.returncode == 2 and b"limit" in result.stderr


def test_invalid_utf8_on_stdin_is_a_usage_error():
    result = run("check", stdin=b"caf\xe9 menu")
    assert result.returncode == 2 and b"UTF-8" in result.stderr


def test_lookup_shows_the_section_and_see_also():
    out = run("lookup", "disclaimer").stdout.decode()
    assert out.startswith("3. Disclaimers") and "See also:" in out


def test_lookup_of_a_topic_the_policy_never_mentions_exits_1():
    result = run("lookup", "xyzzy")
    assert result.returncode == 1 and b"No section matches 'xyzzy'" in result.stderr and not result.stdout


def test_policy_validate_on_the_default_pack_says_the_model_is_current():
    pack = str(ROOT / "policy" / "packs" / "default")
    out = run("policy", "validate", pack).stdout
    assert b"ok:" in out and b"model: current" in out


def test_policy_validate_reports_file_and_line(tmp_path):
    (tmp_path / "pack.yaml").write_text("name: x\ndisclaimer: mine\nbogus: 1\n")
    result = run("policy", "validate", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path.resolve()}/pack.yaml:1: unknown setting 'bogus'".encode() in result.stderr


def test_eval_reports_accuracy_confusion_and_misses(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(c)
            for c in [
                {"id": "1", "text": "Polls close at 8.", "expected": "ok", "categories": []},
                {"id": "2", "text": "The door code is 4471#", "expected": "stop", "categories": ["security"]},
                {
                    "id": "3",
                    "text": "Nice day at the lake.",
                    "expected": "review",
                    "categories": [],
                    "why": "made up",
                },
            ]
        )
    )
    data = json.loads(run("eval", str(cases), "--json", "--skip-held-out").stdout)
    assert data["accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert data["confusion"]["review"]["ok"] == 1
    assert data["misses"][0]["why"] == "made up"
    assert data["categories"]["security"]["recall"] == 1.0


def test_eval_names_the_lines_it_could_not_score_and_exits_1(tmp_path):
    cases = tmp_path / "cases.jsonl"
    good = json.dumps({"text": "Polls close at 8.", "expected": "ok"})
    cases.write_text(good + "\n{not json\n" + json.dumps({"text": "No label here."}) + "\n")
    scored = run("eval", str(cases), "--skip-held-out")
    out = scored.stdout.decode()
    assert scored.returncode == 1 and "cases: 1" in out
    assert "error: line 2: not JSON" in out and "error: line 3:" in out
    cases.write_text("{not json\n")
    nothing = run("eval", str(cases), "--skip-held-out")
    assert nothing.returncode == 1 and "cases: 0" in nothing.stdout.decode()
    assert "error: line 1: not JSON" in nothing.stdout.decode()


def test_intent_eval_names_bad_lines_instead_of_a_traceback(tmp_path):
    messages = tmp_path / "messages.jsonl"
    good = json.dumps({"text": "What does the policy say about disclaimers?", "intent": "question"})
    messages.write_text(good + "\nnot json\n" + json.dumps({"text": "hi", "intent": "chitchat"}) + "\n")
    result = run("intent", "eval", str(messages), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["messages"] == 1 and b"Traceback" not in result.stderr
    assert report["errors"][0].startswith("line 2: not JSON") and report["errors"][1].startswith('line 3: "intent"')
    messages.write_text("")
    empty = run("intent", "eval", str(messages))
    assert empty.returncode == 0 and "messages 0  accuracy -" in empty.stdout.decode()


@pytest.mark.skipif(not SHARED_EVAL.exists(), reason="the shared dev set is not beside this checkout")
def test_dev_set_stays_above_its_measured_floor():
    """Measured, never trained on: the dev set beside the checkout. The floors sit a little under
    what this model reached (see README), so a retrain's noise passes and a regression does not: on
    150 drafts the heads' seed alone moves accuracy by about three points (0.940 shipped, 0.920 the model before)."""
    data = json.loads(run("eval", str(SHARED_EVAL), "--json", "--skip-held-out").stdout)
    assert data["accuracy"] >= 0.90
    assert data["stop_recall"] >= 0.95
    assert data["false_stop_rate_on_ok"] <= 0.05


def test_the_held_out_split_and_drafts_written_apart_keep_their_floors():
    """The pack's held-out split (no head or tuning saw it) and tests/data/heldout.jsonl (drafts an
    earlier version was tuned on, never seen by this model)."""
    data = json.loads(run("eval", str(ROOT / "tests" / "data" / "heldout.jsonl"), "--json").stdout)
    held_out = data["held_out"]
    assert held_out["total"] >= 6000 and held_out["accuracy"] >= 0.86
    assert held_out["stop_recall"] >= 0.94 and held_out["false_stop_rate_on_ok"] <= 0.04
    assert data["signals"]["partisan"]["recall"] >= 0.6
    assert data["total"] >= 500
    assert data["accuracy"] >= 0.85
    assert data["false_stop_rate_on_ok"] <= 0.05


# Drafts written apart from the pack and never trained on, with the floors they keep (see README):
# fresh_themes.jsonl, six themes (security exposures, speaking for the agency and the press,
# endorsements and favours, news not yet public in French and Spanish, public guidance's cases in
# the US and abroad), scores 0.911, stop answered stop or review 0.993; fresh_dec07.jsonl, three
# briefs (workplace posts, guidance's worked examples, near misses), 0.949, 0.978, no fine draft
# answered stop.
@pytest.mark.parametrize(
    ("name", "total", "accuracy", "stop_recall", "ok_stopped"),
    [("fresh_themes.jsonl", 1220, 0.86, 0.93, 0.06), ("fresh_dec07.jsonl", 593, 0.90, 0.95, 0.03)],
)
def test_drafts_written_apart_keep_their_floors(name, total, accuracy, stop_recall, ok_stopped):
    data = json.loads(run("eval", str(ROOT / "tests" / "data" / name), "--json", "--skip-held-out").stdout)
    assert data["total"] == total
    assert data["accuracy"] >= accuracy
    assert data["stop_recall"] >= stop_recall
    assert data["false_stop_rate_on_ok"] <= ok_stopped
