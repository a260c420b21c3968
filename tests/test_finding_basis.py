"""Each signal's finding says how sure the check is and which labelled example of the pack it reads
like; a detector's finding says neither. Every platform shows it."""

from __future__ import annotations

from adapters.console import render
from adapters.slack.render import verdict_blocks
from adapters.teams.render import verdict_container
from bot.messages import FindingView, Reply, VerdictBlock

ROLE_VIEW = "personal: off duty: As a school bus inspector for the county I think the new routes are a fiasco."


async def test_a_signal_finding_carries_its_band_and_a_pack_example(alice, bot):
    reply = await alice.say(ROLE_VIEW)
    (verdict,) = [b for b in reply.blocks if isinstance(b, VerdictBlock)]
    signal_findings = [f for f in verdict.findings if f.band]
    assert signal_findings and all(f.band in ("possible", "likely", "very likely") for f in signal_findings)
    examples = {" ".join(e.text.split()) for e in bot.policy.examples}
    assert all(f.like in examples for f in signal_findings)

    detected = await alice.say("personal: off duty: my SSN is 123-45-6789")
    (verdict,) = [b for b in detected.blocks if isinstance(b, VerdictBlock)]
    assert [f.basis() for f in verdict.findings] == [""]


def test_every_platform_shows_the_basis_and_clips_a_long_example():
    finding = FindingView(
        "disc", "disclaimer", "Add a disclaimer.", "disclaimers", "3. Disclaimers", (), "likely", "x" * 500
    )
    basis = finding.basis()
    assert basis.startswith("likely; reads like: “x") and basis.endswith("…”") and len(basis) < 200
    block = VerdictBlock("disclaimer", "Add a disclaimer.", (finding,))
    assert basis in render(Reply([block]), colour=False)[0]
    assert basis in verdict_blocks(block)[1]["text"]["text"]
    assert basis.capitalize() in [item.get("text") for item in verdict_container(block)["items"]]
