"""The policy table: findings (signals and detectors) x account x on duty -> verdict and section.

A row fires when its finding is present in the draft, every `with` finding is present,
at least one `with_any` finding (if listed) is present, no `without` finding is present
and the context matches. Confidence matters: a signal counts as present from the band
"likely" up; a stop row whose signal is only "possible" gives review instead (a person
should look).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from policy.model import Context, Verdict

FIXES = ("none", "placeholder", "add_disclaimer", "remove")
LIKELY = ("likely", "very likely")


@dataclass(frozen=True)
class Presence:
    """What was found in a draft: an id, its band, where, and the nearest labelled example."""

    id: str
    band: str  # possible | likely | very likely (detectors: very likely)
    spans: tuple[tuple[int, int], ...]
    probability: float = 1.0
    like: str = ""
    is_detector: bool = False

    @property
    def sure(self) -> bool:
        return self.band in LIKELY


@dataclass(frozen=True)
class Row:
    id: str
    finding: str
    verdict: Verdict
    categories: tuple[str, ...]
    section: str
    message: str
    account: str = "any"  # personal | official | any
    on_duty: bool | None = None
    with_all: tuple[str, ...] = ()
    with_any: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    fix: str = "none"
    supersedes: tuple[str, ...] = ()
    messages: tuple[tuple[str, str], ...] = ()  # (language, message): the message in other languages

    def message_in(self, language: str) -> str:
        return dict(self.messages).get(language, self.message)

    def applies(self, context: Context) -> bool:
        return self.account in ("any", context.account) and self.on_duty in (None, context.on_duty)


@dataclass(frozen=True)
class Fired:
    row: Row
    presence: Presence
    verdict: Verdict  # the row's verdict, or review for a stop row on a "possible" signal


def settle(found: dict[str, Presence], opinions: dict[str, bool]) -> dict[str, Presence]:
    """Apply a second opinion on signals that were only "possible": confirmed ones count as likely,
    rejected ones are dropped. Detectors and other signals are kept as they are."""
    settled = {}
    for key, presence in found.items():
        verdict = opinions.get(key) if not presence.is_detector and presence.band == "possible" else None
        if verdict is None:
            settled[key] = presence
        elif verdict:
            settled[key] = replace(presence, band="likely")
    return settled


def apply_table(rows: list[Row], found: dict[str, Presence], context: Context) -> list[Fired]:
    fired: list[Fired] = []
    for row in rows:
        presence = found.get(row.finding)
        if presence is None or not row.applies(context):
            continue
        if not all(_sure(found, f) for f in row.with_all):
            continue
        if row.with_any and not any(_sure(found, f) for f in row.with_any):
            continue
        if any(_sure(found, f) for f in row.without):
            continue
        if presence.sure:
            fired.append(Fired(row, presence, row.verdict))
        elif row.verdict is Verdict.STOP:
            fired.append(Fired(row, presence, Verdict.REVIEW))
    dropped = {other for f in fired for other in f.row.supersedes}
    stop = any(f.verdict is Verdict.STOP for f in fired)
    # Once a draft must not be posted at all, advice to add a disclaimer is moot.
    return [f for f in fired if f.row.id not in dropped and not (stop and f.verdict is Verdict.DISCLAIMER)]


def _sure(found: dict[str, Presence], finding: str) -> bool:
    presence = found.get(finding)
    return presence is not None and presence.sure
