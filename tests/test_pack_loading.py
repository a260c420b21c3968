"""Bad packs are reported with file, line and reason and never half-load; overlays work by rule id."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from policy import PackError, Policy
from policy.pack import BUILTIN_PACKS


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


MINIMAL = {
    "pack.yaml": "name: tiny\ndisclaimer: Views are my own.\n",
    "sections.yaml": """\
        sections:
          - id: security
            title: Security
            body: Keep secrets secret.
        """,
    "rules/security.yaml": """\
        rules:
          - id: sec.pin
            category: security
            verdict: stop
            section: security
            match:
              patterns: ['\\bpin (?:is|:) \\d{4}\\b']
            message: Do not post PINs.
            examples:
              flag: ["my pin is 1234"]
              pass: ["pin the tail on the donkey"]
        """,
}


def test_a_minimal_pack_loads_and_checks(tmp_path):
    policy = Policy.load(write(tmp_path, MINIMAL))
    assert policy.check("the pin is 4821").verdict.label == "stop"
    assert policy.check("pin it to the board").verdict.label == "ok"


@pytest.mark.parametrize(
    ("broken", "file", "line", "reason"),
    [
        (
            {"rules/security.yaml": "rules:\n  - id: x\n    verdict: [\n"},
            "rules/security.yaml",
            4,
            "invalid YAML",
        ),
        (
            {"rules/security.yaml": MINIMAL["rules/security.yaml"].replace("verdict: stop", "verdict: maybe")},
            "rules/security.yaml",
            2,
            "'verdict' must be ok, disclaimer, review or stop",
        ),
        (
            {"rules/security.yaml": MINIMAL["rules/security.yaml"].replace("section: security", "section: nope")},
            "rules/security.yaml",
            2,
            "unknown section 'nope'",
        ),
        (
            {"rules/security.yaml": MINIMAL["rules/security.yaml"].replace("\\d{4}", "(?<=x)\\d")},
            "rules/security.yaml",
            2,
            "does not compile",
        ),
        (
            {"rules/security.yaml": MINIMAL["rules/security.yaml"].replace("message:", "mesage:")},
            "rules/security.yaml",
            2,
            "unknown key 'mesage'",
        ),
        ({"pack.yaml": "name: tiny\n"}, "pack.yaml", 1, "'disclaimer' (the disclaimer template) is required"),
    ],
)
def test_broken_pack_names_file_line_and_reason(tmp_path, broken, file, line, reason):
    write(tmp_path, {**MINIMAL, **broken})
    with pytest.raises(PackError) as raised:
        Policy.load(tmp_path)
    problem = raised.value.problems[0]
    assert problem.path == (tmp_path / file).resolve() or problem.path.name == Path(file).name
    assert problem.line == line
    assert reason in problem.reason


def test_catastrophic_pattern_is_linear_time_not_a_hang(tmp_path):
    rules = MINIMAL["rules/security.yaml"].replace("\\bpin (?:is|:) \\d{4}\\b", "(a+)+$")
    policy = Policy.load(write(tmp_path, {**MINIMAL, "rules/security.yaml": rules}))
    assert policy.check("a" * 5000 + "!").verdict.label == "ok"  # RE2 cannot backtrack


def test_overlay_disables_overrides_and_adds_rules(tmp_path):
    overlay = write(
        tmp_path / "agency",
        {
            "pack.yaml": f"name: agency\nextends: {BUILTIN_PACKS / 'default'}\ndisclaimer: Mine, not the agency's.\n",
            "rules/local.yaml": """\
            rules:
              - id: pol.civic_ok
                disabled: true
              - id: conduct.incivility
                verdict: stop
              - id: local.project_name
                category: confidential
                verdict: stop
                section: confidential-information
                match: {phrases: [project bluebird]}
                message: Project Bluebird is not public.
            """,
        },
    )
    policy = Policy.load(overlay)
    ids = {r.id for r in policy.rules}
    assert "pol.civic_ok" not in ids and "local.project_name" in ids
    assert policy.check("Project Bluebird kicks off soon").verdict.label == "stop"
    assert policy.check("what a bunch of idiots").verdict.label == "stop"
    assert policy.disclaimer == "Mine, not the agency's."
    assert "Mine, not the agency's." in policy.check("As a city engineer I think roundabouts are safer.").fixed


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(PackError, match="not a policy pack directory"):
        Policy.load(tmp_path / "nowhere")
