"""A bad pack names file, line and reason, and never loads half-way."""

from __future__ import annotations

import subprocess
import sys

import pytest

from policy import PackError, Policy
from tests.small_pack import FILES, write_pack

TABLE = FILES["table.yaml"]


@pytest.mark.parametrize(
    ("overrides", "file", "line", "reason"),
    [
        ({"table.yaml": "rows:\n  - id: x\n    verdict: [\n"}, "table.yaml", 4, "invalid YAML"),
        ({"table.yaml": TABLE.replace("verdict: stop", "verdict: maybe", 1)}, "table.yaml", 2, "'verdict' must be"),
        ({"table.yaml": TABLE.replace("section: politics", "section: nope", 1)}, "table.yaml", 2, "unknown section"),
        ({"table.yaml": TABLE.replace("finding: partisan", "finding: partisn", 1)}, "table.yaml", 2, "'partisn'"),
        ({"table.yaml": TABLE.replace("message:", "mesage:", 1)}, "table.yaml", 2, "unknown key 'mesage'"),
        ({"signals.yaml": "signals:\n  - id: partisan\n"}, "signals.yaml", 2, "'description' is required"),
        (
            {"detectors.yaml": FILES["detectors.yaml"].replace("kind: credential", "kind: magic")},
            "detectors.yaml",
            2,
            "'kind' must be one of",
        ),
        (
            {"detectors.yaml": FILES["detectors.yaml"].replace("[password,", '["re:(?<=x)a",')},
            "detectors.yaml",
            2,
            "does not compile",
        ),
        ({"examples/bad.jsonl": '{"text": "fine", "signals": []}\n{oops\n'}, "examples/bad.jsonl", 2, "not valid JSON"),
        (
            {"examples/bad.jsonl": '{"text": "x", "signals": ["nope"]}\n'},
            "examples/bad.jsonl",
            1,
            "unknown signal 'nope'",
        ),
        ({"examples/bad.jsonl": '{"text": "x", "expected": "maybe"}\n'}, "examples/bad.jsonl", 1, "'expected' must be"),
        ({"pack.yaml": "name: x\ncolour: blue\ndisclaimer: d\n"}, "pack.yaml", 1, "unknown setting 'colour'"),
        (
            {"pack.yaml": "name: x\ndisclaimer: d\npublic_email_names: press\n"},
            "pack.yaml",
            1,
            "setting 'public_email_names' must be a list",
        ),
        (
            {"table.yaml": TABLE.replace("message:", "messages: {fr: ''}\n            message:", 1)},
            "table.yaml",
            2,
            "'messages' must map language codes (fr, es) to message texts",
        ),
        (
            {"sections.yaml": FILES["sections.yaml"].replace("title:", "titles: [fr]\n            title:", 1)},
            "sections.yaml",
            2,
            "'titles' must map language codes (fr, es) to titles",
        ),
        (
            {
                "quiz.yaml": "questions:\n  - id: q1\n    section: politics\n    prompt: P?\n    options: [a, b]\n"
                "    answer: 0\n    translations:\n      fr: {prompt: P ?, options: [a]}\n"
            },
            "quiz.yaml",
            2,
            "'translations' must map language codes (fr, es) to a prompt, the same number of options",
        ),
        (
            {
                "sections.yaml": FILES["sections.yaml"].replace(
                    "title:", "bodies: {fr: 'Un.\n\n\n  Deux.'}\n            title:", 1
                )
            },
            "sections.yaml",
            2,
            "'bodies' must map language codes (fr, es) to bodies of 1 paragraphs",
        ),
        (
            {"pack.yaml": "name: x\ndisclaimer: d\ndisclaimers:\n  french: Mes opinions.\n"},
            "pack.yaml",
            4,
            "'disclaimers' must map language codes",
        ),
    ],
)
def test_broken_pack_names_file_line_and_reason(tmp_path, overrides, file, line, reason):
    directory = write_pack(tmp_path / "pack", overrides)
    with pytest.raises(PackError) as caught:
        Policy.load(directory, need_model=False)
    problems = [p for p in caught.value.problems if p.path.name == file.split("/")[-1]]
    assert problems, caught.value.problems
    assert any(p.line == line and reason in p.reason for p in problems), problems


def test_cli_validate_prints_every_problem_with_file_and_line(tmp_path):
    directory = write_pack(tmp_path / "pack", {"table.yaml": TABLE.replace("verdict: stop", "verdict: maybe")})
    result = subprocess.run(
        [sys.executable, "-m", "adapters.main", "policy", "validate", str(directory)], capture_output=True
    )
    assert result.returncode == 1
    assert f"{directory.resolve()}/table.yaml:2: row 'pol.official'".encode() in result.stderr
    assert b"Traceback" not in result.stderr


def test_duplicate_examples_are_reported(tmp_path):
    line = '{"text": "Same post", "signals": []}\n'
    directory = write_pack(tmp_path / "pack", {"examples/twice.jsonl": line + line})
    with pytest.raises(PackError, match="already an example"):
        Policy.load(directory, need_model=False)


def test_an_extends_cycle_and_a_missing_directory_are_clear_errors(tmp_path):
    directory = write_pack(tmp_path / "pack", {"pack.yaml": "name: a\nextends: .\ndisclaimer: d\n"})
    with pytest.raises(PackError, match="cycle"):
        Policy.load(directory, need_model=False)
    with pytest.raises(PackError, match="not a policy pack directory") as missing:
        Policy.load(tmp_path / "nowhere", need_model=False)
    assert len(missing.value.problems) == 1  # not also "no sections" and "disclaimer is required"


def test_the_default_pack_and_its_model_are_current():
    policy = Policy.load()
    assert policy.model_problem() == ""
    assert len(policy.examples) >= 4000
    assert {lang for e in policy.examples for lang in [e.lang]} >= {"en", "fr", "es"}
