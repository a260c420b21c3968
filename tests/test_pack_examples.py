"""The default pack tests itself: every rule's flag examples trigger it, its pass examples do not."""

from __future__ import annotations

import pytest

from policy import Policy
from policy.selftest import rule_context, run_examples

POLICY = Policy.load()
CASES = [
    pytest.param(rule, kind, text, id=f"{rule.id}-{kind}-{n}")
    for rule in POLICY.rules
    for kind, texts in (("flag", rule.flag_examples), ("pass", rule.pass_examples))
    for n, text in enumerate(texts)
]


@pytest.mark.parametrize(("rule", "kind", "text"), CASES)
def test_rule_example(rule, kind, text):
    context = rule_context(rule)
    fired = [f for f in POLICY.check(text, context.account, context.on_duty).findings if f.rule == rule.id]
    if kind == "flag":
        assert fired, f"{rule.id} should flag {text!r}"
        start, end = fired[0].start, fired[0].end
        assert 0 <= start < end <= len(text)
    else:
        assert not fired, f"{rule.id} should pass {text!r}"


def test_every_rule_has_three_examples_of_each_kind():
    thin = [r.id for r in POLICY.rules if len(r.flag_examples) < 3 or len(r.pass_examples) < 3]
    assert thin == []


def test_every_reference_rule_is_in_the_default_pack():
    reference = {
        "conf.nonpublic",
        "conf.classified",
        "conf.procurement",
        "conf.enforcement",
        "conf.pending_matter",
        "conf.worksite_photo",
        "pii.ssn",
        "pii.contact",
        "pii.case_record",
        "pii.coworker",
        "pol.solicit",
        "pol.onduty_partisan",
        "pol.official_account",
        "pol.title_in_partisan",
        "pol.civic_ok",
        "pol.personal_affiliation",
        "disc.personal_disclaimer",
        "off.preapproval",
        "off.press",
        "off.speak_for_agency",
        "off.branding",
        "off.personal_views_on_official",
        "off.misuse_of_position",
        "end.title_endorsement",
        "conduct.threat",
        "conduct.harassment",
        "conduct.incivility",
        "sec.credentials",
        "sec.movements",
        "sec.facility",
        "a11y.alt_text",
        "a11y.camelcase",
        "rec.official_content",
        "copy.third_party_media",
    }
    assert reference <= {r.id for r in POLICY.rules}


def test_quiz_bank_covers_every_section():
    assert len(POLICY.questions) >= 30
    assert {q.section for q in POLICY.questions} == set(POLICY.sections)
    assert all(q.explanation for q in POLICY.questions)


def test_run_examples_reports_all_green_for_the_default_pack():
    results = run_examples(POLICY)
    assert results and all(r.ok for r in results)
