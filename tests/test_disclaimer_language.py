"""The disclaimer added to a draft is in the draft's language when the pack has that translation."""

from __future__ import annotations

import pytest

from policy import Policy
from policy.language import language_of

ROLE_VIEWS = {
    "en": "As a state park ranger I think the new trail fees are a disgrace.",
    "fr": "En tant que garde forestière de la province, je trouve les nouveaux frais de sentier honteux.",
    "es": "Como guardabosques del estado, creo que las nuevas tarifas de los senderos son una vergüenza.",
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_fix_adds_the_disclaimer_in_the_drafts_language_and_then_passes(policy, language):
    draft = ROLE_VIEWS[language]
    expected = policy.meta["disclaimers"].get(language, policy.disclaimer)
    assessment = policy.check(draft, "personal", False)
    assert assessment.verdict.label == "disclaimer"
    assert assessment.fixed.endswith(expected) and policy.disclaimer_for(draft) == expected
    assert policy.check(assessment.fixed, "personal", False).verdict.label == "ok"


def test_an_overlay_with_its_own_disclaimer_drops_the_base_translations(tmp_path):
    (tmp_path / "pack.yaml").write_text("name: ours\nextends: default\ndisclaimer: Opinions mine, not the Bureau's.\n")
    overlay = Policy.load(tmp_path, need_model=False)
    assert overlay.disclaimer_for(ROLE_VIEWS["fr"]) == "Opinions mine, not the Bureau's."
    (tmp_path / "pack.yaml").write_text(
        "name: ours\nextends: default\ndisclaimer: Opinions mine.\ndisclaimers:\n  fr: Opinions à moi.\n"
    )
    overlay = Policy.load(tmp_path, need_model=False)
    assert overlay.disclaimer_for(ROLE_VIEWS["fr"]) == "Opinions à moi."
    assert overlay.disclaimer_for(ROLE_VIEWS["es"]) == "Opinions mine."


@pytest.mark.parametrize(("text", "language"), [("", None), ("🙂🙂🙂 !!!", None), (ROLE_VIEWS["es"], "es")])
def test_the_language_is_named_only_when_the_identifier_is_sure(text, language):
    assert language_of(text) == language
