"""Verdicts, context, fixes and lookup of the default pack."""

from __future__ import annotations

import pytest

from policy import DraftError, Verdict


def test_verdict_is_the_most_severe_finding(policy):
    text = "As a county engineer I think we should fix roads. Call the office, (217) 555-0148, for details"
    assert policy.check(text).verdict is Verdict.STOP
    review = "As a county engineer I think we should fix roads. Email me at my personal Gmail about your permit"
    assessment = policy.check(review)
    assert assessment.verdict is Verdict.REVIEW
    assert {f.rule for f in assessment.findings} >= {"rec.official_content", "disc.personal_disclaimer"}


def test_disclaimer_advice_is_dropped_when_a_draft_must_not_be_posted(policy):
    assessment = policy.check("As a county engineer I think we should fix roads. The door code is 4471#")
    assert assessment.verdict is Verdict.STOP
    assert "disc.personal_disclaimer" not in {f.rule for f in assessment.findings}
    assert policy.disclaimer not in assessment.fixed


def test_a_title_endorsement_supersedes_the_disclaimer_finding(policy):
    assessment = policy.check("As a county inspector I think Ace Roofing is the best roofer in town, hire them.")
    rules = {f.rule for f in assessment.findings}
    assert "end.title_endorsement" in rules and "disc.personal_disclaimer" not in rules
    assert assessment.categories == ("endorsement",)


def test_context_changes_the_verdict(policy):
    text = "Go Democrats, win it all this year!"
    assert policy.check(text, "personal", on_duty=False).verdict is Verdict.OK
    assert policy.check(text, "personal", on_duty=True).verdict is Verdict.STOP
    assert policy.check(text, "official", on_duty=False).verdict is Verdict.STOP


def test_check_contexts_gives_every_context_from_one_scan(policy):
    verdicts = {c.describe(): a.verdict.label for c, a in policy.check_contexts("Go Republicans!").items()}
    assert verdicts["personal account, off duty"] == "ok"
    assert verdicts["personal account, on duty"] == "stop"


def test_fix_masks_personal_data_and_keeps_the_rest(policy):
    text = "Her cell is (217) 555-0148, tell her what you think"
    fixed = policy.check(text).fixed
    assert "555-0148" not in fixed and fixed.startswith("Her cell is (•••) •••-••••")


def test_fix_appends_the_disclaimer(policy):
    text = "As a public school teacher, I think phone bans are overdue."
    assessment = policy.check(text)
    assert assessment.verdict is Verdict.DISCLAIMER
    assert assessment.fixed == f"{text}\n\n{policy.disclaimer}"


def test_a_disclaimer_already_present_clears_the_rule(policy):
    text = "As a public school teacher, I think phone bans are overdue. Views are my own."
    assert policy.check(text).verdict is Verdict.OK


def test_findings_carry_section_and_offsets(policy):
    text = "Just finished scoring the bids, Northway wins, buy their stock"
    finding = policy.check(text).findings[0]
    assert finding.section.id == "confidential-information"
    assert text[finding.start : finding.end].lower().startswith(("scoring", "buy"))


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 50_000, "limit"),
        ("bad \udcff byte", "UTF-8"),
        ("nul\x00byte", "binary"),
    ],
)
def test_bad_drafts_get_a_clear_error(policy, draft, message):
    with pytest.raises(DraftError, match=message):
        policy.check(draft)


def test_control_characters_and_huge_allowed_drafts_get_an_answer(policy):
    assert policy.check("hello\x07\x1b[31m world").verdict is Verdict.OK
    long_text = ("The library is open today. " * 1400)[:39_000]
    assert policy.check(long_text).verdict is Verdict.OK


def test_lookup_ranks_the_matching_section_first(policy):
    assert policy.lookup("disclaimer")[0][0].id == "disclaimers"
    assert policy.lookup("hatch act")[0][0].id == "political-activity"
    assert policy.lookup("password")[0][0].id == "security"
    assert policy.lookup("zzzz") == []
