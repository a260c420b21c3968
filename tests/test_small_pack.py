"""Train a small pack's heads from scratch, then check drafts it has not seen; staleness; overlays."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policy import ModelError, Policy, Verdict
from policy.training import train
from tests.small_pack import write_pack


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    directory = write_pack(tmp_path_factory.mktemp("packs") / "small")
    report = train(directory, layers=6)
    assert report.trained + report.held_out == 64 and report.path.exists()
    return directory


def test_a_trained_small_pack_judges_drafts_it_has_not_seen(trained):
    policy = Policy.load(trained)
    assert policy.check("Vote for Maria Chen for city council!", "official", True).verdict is Verdict.STOP
    assert policy.check("Vote for Maria Chen for city council!", "personal", False).verdict is Verdict.OK
    assert policy.check("Just baked bread with my daughter", "official", True).verdict is Verdict.OK
    leak = policy.check("Not announced yet, but the pool closes for good in May, keep it quiet")
    assert leak.verdict >= Verdict.REVIEW and leak.findings[0].finding == "leak"


def test_detector_findings_need_no_model_output(trained):
    assessment = Policy.load(trained).check("Lovely garden today. My bike lock pin is 4471")
    assert assessment.verdict is Verdict.STOP
    assert "sec.credential" in {f.rule for f in assessment.findings}
    assert "4471" not in assessment.fixed


def test_a_missing_model_says_to_run_train(tmp_path):
    directory = write_pack(tmp_path / "fresh")
    with pytest.raises(ModelError, match="policybot policy train"):
        Policy.load(directory)
    assert Policy.load(directory, need_model=False).model_problem()


def test_new_examples_make_the_model_stale_until_retrained(trained, tmp_path):
    overlay = write_pack(tmp_path / "overlay", {"pack.yaml": f"name: overlay\nextends: {trained}\n"}, examples=False)
    for name in ("sections.yaml", "signals.yaml", "detectors.yaml", "table.yaml"):
        (overlay / name).unlink()
    Policy.load(overlay)  # no examples of its own: the base model is current
    (overlay / "examples").mkdir()
    extra = {"text": "Between us, the recycling depot closes in June", "signals": ["leak"], "detectors": []}
    (overlay / "examples" / "local.jsonl").write_text(json.dumps(extra) + "\n")
    with pytest.raises(ModelError, match="older than the pack's examples"):
        Policy.load(overlay)
    train(overlay, layers=6)
    assert (overlay / "model" / "heads.npz").exists()
    assert Policy.load(overlay).model_problem() == ""


def test_a_relabelled_verdict_keeps_the_model_current_also_for_a_quick_start(trained, tmp_path):
    """The heads learn signals, not verdicts: changing an example's `expected` changes the files'
    bytes but not what the model was trained on, whether the examples are read at once or later."""
    copy = tmp_path / "copy"
    shutil.copytree(trained, copy)
    path = next((copy / "examples").glob("*.jsonl"))
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    first["expected"] = "review" if first.get("expected") != "review" else "ok"
    path.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    for lazy in (False, True):
        policy = Policy.load(copy, lazy=lazy)
        assert policy.model_problem() == "" and len(policy.examples) == 64, lazy
    first["signals"] = sorted(set(first["signals"]) ^ {"leak"})  # a label the heads learn from changes
    path.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    with pytest.raises(ModelError, match="older than the pack's examples"):
        Policy.load(copy, lazy=True)


def test_an_overlay_can_disable_and_change_table_rows(trained, tmp_path):
    overlay = tmp_path / "local"
    overlay.mkdir()
    (overlay / "pack.yaml").write_text(f"name: local\nextends: {trained}\n")
    (overlay / "table.yaml").write_text(
        "rows:\n  - id: sec.credential\n    disabled: true\n  - id: conf.leak\n    verdict: review\n"
    )
    policy = Policy.load(overlay)
    assert policy.check("Lovely garden today. My bike lock pin is 4471").verdict is Verdict.OK
    assert policy.check("Not announced yet, but the pool closes for good in May").verdict <= Verdict.REVIEW


def test_cli_validate_train_and_test_on_a_pack(tmp_path):
    directory = write_pack(tmp_path / "cli")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "adapters.main", *args], capture_output=True, timeout=300)

    stale = run("policy", "validate", str(directory))
    assert stale.returncode == 1 and b"policybot policy train" in stale.stderr
    nowhere = run("policy", "train", str(directory), "--doubts", str(tmp_path / "missing" / "doubts.jsonl"))
    assert nowhere.returncode == 1 and b"cannot write --doubts" in nowhere.stderr
    assert b"no such directory" in nowhere.stderr and not (directory / "model" / "heads.npz").exists()
    trained = run("policy", "train", str(directory), "--layers", "6", "--doubts", str(tmp_path / "doubts.jsonl"))
    assert trained.returncode == 0 and b"trained 2 signal heads" in trained.stdout
    doubts = [json.loads(line) for line in (tmp_path / "doubts.jsonl").read_text().splitlines()]
    assert f"{len(doubts)} labels doubted by the heads: wrote".encode() in trained.stdout
    for doubt in doubts:  # each names a training draft, and its score contradicts its label
        assert doubt["file"] == "drafts.jsonl" and 1 <= doubt["line"] <= 64 and doubt["signal"] in ("partisan", "leak")
        assert doubt["out_of_fold"] < 0.05 if doubt["labelled"] else doubt["out_of_fold"] > 0.95
    assert re.search(rb"neighbours' sharpness (20|40|70|100) \(chosen on the calibration drafts\)", trained.stdout)
    assert b"model: current" in run("policy", "validate", str(directory)).stdout
    scores = json.loads(run("policy", "test", str(directory), "--json").stdout)
    assert set(scores["signals"]) == {"partisan", "leak", "credential"}
    assert scores["categories"] == {}  # the pack's drafts carry signals, not categories to score
    printed = run("policy", "test", str(directory))
    assert printed.returncode == 0, printed.stderr
    printed = printed.stdout
    assert b"per signal and detector" in printed and b"per category" not in printed and b"cases: " in printed


def test_the_gap_tool_reports_what_each_signal_would_gain(trained):
    tool = Path(__file__).resolve().parent.parent / "tools" / "gap_by_signal.py"
    out = subprocess.run([sys.executable, str(tool), str(trained)], capture_output=True, text=True, check=True).stdout
    held_out = re.search(r"held-out split, (\d+) drafts: accuracy ([\d.]+)", out)
    assert held_out and int(held_out[1]) > 0 and 0 <= float(held_out[2]) <= 1
    gains = dict(re.findall(r"^  (\w+) +([+-]\d+)", out, re.M))
    assert set(gains) == {s.id for s in Policy.load(trained).signals}
    assert all(int(g) >= 0 for g in gains.values())  # labels never lose verdicts on a consistent pack
    assert 'without the "possible" band' in out


def test_training_keeps_the_neighbours_sharpness_that_judged_calibration_best(trained):
    from policy.training import SHARPNESS_GRID

    heads = Policy.load(trained).heads()
    tried = heads.meta["calibration_right"]
    assert sorted(float(s) for s in tried) == sorted(SHARPNESS_GRID)
    assert heads.sharpness in SHARPNESS_GRID
    assert tried[str(heads.sharpness)] == max(tried.values())


def test_the_heads_read_both_encoders_and_a_model_from_another_second_encoder_is_stale(trained, tmp_path):
    from policy.encoder import DIM
    from policy.heads import Heads
    from policy.use_encoder import USE_DIM, use_fingerprint

    policy = Policy.load(trained)
    heads = policy.heads()
    assert heads.meta["second_encoder"] == use_fingerprint()
    assert heads.w1.shape[0] == DIM + USE_DIM
    assert policy.scorer().second is not None

    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(trained), str(copy)], check=True)
    model = copy / "model" / "heads.npz"
    older = Heads.load(model)
    older.meta["second_encoder"] = "use-m3_0.0.1"
    older.save(model)
    problem = Policy.load(copy, need_model=False).model_problem()
    assert "another version of the second encoder" in problem and "policybot policy train" in problem
    with pytest.raises(ModelError, match="second encoder"):
        Policy.load(copy)


def test_a_draft_that_fits_the_encoders_window_is_read_whole_and_a_longer_one_in_chunks(trained):
    scorer = Policy.load(trained).scorer()
    medium = "We walked along the river this morning and stopped for coffee at the little kiosk. " * 5
    long = "Then we walked further along the river and talked about the garden and the books. " * 25
    assert 300 < len(medium) < 500 and len(long) > 2000
    assert scorer.heads.meta["reads_whole"] is True
    read_medium, read_long = scorer.score_many([medium, long])
    assert len(read_medium) == 1 and len(read_medium[0].pieces) == 5  # one pass, every sentence
    assert len(read_long) > 5
    scorer.heads.meta.pop("reads_whole")  # heads trained before: calibrated on 300-character chunks
    assert len(scorer.score_many([medium])[0]) == 2
