"""Verdicts, context, findings, fixes and bad input with the default pack and its trained model."""

from __future__ import annotations

import json

import pytest

from policy import Context, DraftError, Verdict

# The drafts of issue 10's table, with the verdict each must get.
ISSUE_TABLE = [
    ("Vote for Jane Smith on Tuesday!", "official", True, "stop"),
    (
        "Como ingeniero del condado, creo que el nuevo puente es un desperdicio de dinero.",
        "personal",
        False,
        "disclaimer",
    ),
    (
        "If that inspector writes me up one more time I know which car is his in the lot. Just saying.",
        "personal",
        False,
        "stop",
    ),
    (
        "Heads up to my friends in construction: the school district has already picked the winning roofing bid, "
        "announcement is next week.",
        "personal",
        False,
        "stop",
    ),
    ("I'm a county cartographer and honestly our parks are underfunded.", "personal", False, "disclaimer"),
    ("Between us, the budget for our kid's soccer team is a mess.", "personal", False, "ok"),
    ("Photo of our labrador at the beach!", "personal", False, "ok"),
    ("The council meeting is set to begin at 7.", "official", True, "ok"),
]


@pytest.mark.parametrize(("text", "account", "on_duty", "expected"), ISSUE_TABLE)
def test_the_issue_table_gets_the_should_be_column(policy, text, account, on_duty, expected):
    assert policy.check(text, account, on_duty).verdict.label == expected


# Stop drafts hidden from a naive matcher: zero-width characters, look-alike letters,
# leetspeak, full-width digits and spelled-out numbers.
OBFUSCATED_STOPS = [
    "Our wifi p\u200ba\u200bs\u200bs\u200bw\u200bo\u200br\u200bd is Maple#7742, use it when the guest network is down",
    "the back door c\u043ede to the records room is 4417, let yourselves in",
    "My client's SSN is \uff15\uff13\uff16-\uff12\uff12-\uff18\uff10\uff17\uff19, can someone update her file",
    "her social is five three six, two two, eight zero seven nine",
    "call my coworker at (\uff16\uff10\uff18) \uff15\uff15\uff15-\uff10\uff11\uff19\uff12 and tell her what you think",
    "Gate c0de for the depot is 9931, don't tell the contractors",
    "ＴＨＥ SECRET//NOFORN cable says the talks collapsed",
]


@pytest.mark.parametrize("text", OBFUSCATED_STOPS)
def test_obfuscated_stop_drafts_still_stop(policy, text):
    assert policy.check(text).verdict is Verdict.STOP


def test_context_changes_the_verdict_for_the_same_partisan_post(policy):
    verdicts = {c.describe(): a.verdict for c, a in policy.check_contexts("Re-elect Mayor Dana Ortiz!").items()}
    assert verdicts["personal account, off duty"] is Verdict.OK
    assert verdicts["personal account, on duty"] is Verdict.STOP
    assert verdicts["official account, on duty"] is Verdict.STOP


def test_findings_name_signal_band_section_and_nearest_example(policy):
    text = "Internal memo I saw today: the county closes the Elm Street clinic in March. Not announced yet, shh."
    assessment = policy.check(text)
    assert assessment.verdict is Verdict.STOP
    finding = next(f for f in assessment.findings if f.verdict is Verdict.STOP)
    assert finding.band in ("possible", "likely", "very likely") and finding.finding
    assert finding.section.id in policy.sections
    assert finding.like and finding.like != text
    assert text[finding.start : finding.end].strip()
    assert json.dumps(assessment.to_dict())  # serialisable for --json


def test_the_sentence_carrying_a_signal_is_highlighted(policy):
    text = (
        "Lovely weekend at the lake with the kids. We grilled and swam until sunset. "
        "Also, the water plant's back gate lock has been broken since March, anyone can walk in."
    )
    finding = policy.check(text).findings[0]
    assert finding.verdict >= Verdict.REVIEW and finding.finding == "security"
    assert "gate" in text[finding.start : finding.end]
    assert "lake" not in text[finding.start : finding.end]


def test_detector_fixes_use_labelled_placeholders(policy):
    text = "Text Maria at (312) 555-0187 about the car pool"
    assessment = policy.check(text)
    assert assessment.verdict is Verdict.STOP
    assert "555-0187" not in assessment.fixed and "[phone number removed]" in assessment.fixed


def test_the_disclaimer_fix_appends_the_packs_template(policy):
    text = "Twelve years as a county librarian and I think cutting weekend hours was a terrible decision."
    assessment = policy.check(text)
    assert assessment.verdict is Verdict.DISCLAIMER
    assert assessment.fixed == f"{text}\n\n{policy.disclaimer}"


def test_an_explicit_disclaimer_clears_the_disclaimer_finding(policy):
    text = (
        "Twelve years as a county librarian and I think cutting weekend hours was a terrible decision. "
        "Views are my own, not my employer's."
    )
    assert policy.check(text).verdict is Verdict.OK


def test_advice_given_on_the_strength_of_a_public_job_needs_a_disclaimer(policy):
    """Rule 17 reads a plea to the public from a named public job as the agency's word; the same
    plea from a private trade, or a public job with only a story, needs nothing."""
    public = "Water-meter reader for the city here: if your bill doubles overnight, check the toilet flapper first."
    private = "Plumber here: if your bill doubles overnight, check the toilet flapper first."
    story = "Water-meter reader for the city here. A very small, very loud chihuahua chased me down Elm today."
    assert policy.check(public).verdict is Verdict.DISCLAIMER
    assert policy.check(private).verdict is Verdict.OK
    assert policy.check(story).verdict is Verdict.OK


def test_disclaimer_advice_is_dropped_when_a_draft_must_not_be_posted(policy):
    text = "As a county engineer I think the bridge plan is a waste. The site office door code is 4471#"
    assessment = policy.check(text)
    assert assessment.verdict is Verdict.STOP
    assert all(f.verdict is not Verdict.DISCLAIMER for f in assessment.findings)


def test_copying_a_whole_article_needs_review_even_on_a_personal_account(policy):
    """The reference allows others' media on personal accounts, except wholesale reproduction."""
    pasted = (
        "Since the Gazette locks everything behind a subscription, "
        "here is their entire feature on the river cleanup, copied below."
    )
    assessment = policy.check(pasted, "personal", False)
    assert assessment.verdict is Verdict.REVIEW
    assert [f.section.id for f in assessment.findings] == ["copyright"]
    linked = "The Gazette ran a good feature on the river cleanup this week, link in the comments."
    assert policy.check(linked, "personal", False).verdict is Verdict.OK


def test_batch_and_single_checks_agree(policy):
    drafts = [(t, Context(a, d)) for t, a, d, _ in ISSUE_TABLE[:6]]
    batch = policy.check_many(drafts)
    single = [policy.check(t, c.account, c.on_duty) for t, c in drafts]
    assert [a.verdict for a in batch] == [a.verdict for a in single]


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 50_000, "limit"),
        ("bad \udcff byte", "UTF-8"),
        ("nul\x00byte", "binary"),
        (b"bytes", "must be text"),
    ],
)
def test_bad_drafts_get_a_clear_error(policy, draft, message):
    with pytest.raises(DraftError, match=message):
        policy.check(draft)


def test_wordless_and_huge_drafts_get_an_answer(policy):
    assert policy.check("a" * 39_000).verdict is Verdict.OK
    assert policy.check("7" * 39_000).verdict in (Verdict.OK, Verdict.STOP)
    assert policy.check("hello\x07\x1b[31m world").verdict is Verdict.OK
    long_text = ("The library is open today until six. " * 1000)[:30_000]
    assert policy.check(long_text).verdict is Verdict.OK


def test_lookup_ranks_the_matching_section_first(policy):
    assert policy.lookup("disclaimer")[0].section.id == "disclaimers"
    assert policy.lookup("hatch act")[0].section.id == "political-activity"
    assert policy.lookup("password")[0].section.id == "security"
    assert policy.lookup("   ") == []
