"""A small policy pack for tests: two signals, one detector, a table and labelled drafts.

The drafts are written for these tests only: short posts about elections and about work
news, next to everyday posts, so that two tiny heads can tell them apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

PARTISAN = [
    "Vote for Sam Lee for mayor on Tuesday!",
    "Re-elect Senator Okafor, she fights for us",
    "The Green Party is the only choice this fall",
    "Never vote Blue Alliance again, they ruined the town",
    "Proud to volunteer for the Harper campaign this weekend",
    "Donnez votre voix à Claire Martin dimanche !",
    "Votad a Ramírez para alcalde, es el mejor",
    "Go Riverside Party, win it all in November",
    "Honk if you're voting for Jenkins for governor",
    "Kim for council! Knock doors with us Saturday",
    "Everyone vote against Mayor Drake, he has to go",
    "Join me at the Patel for Congress rally tonight",
    "Lisa Moreno is the candidate we need, vote for her",
    "Sharing this campaign ad because Tom Becker deserves your vote",
    "Ni un voto al partido del gobierno, que se vayan",
    "Votez pour la liste de Paul Girard aux municipales",
    "This November, vote the Liberty Party out of office",
    "Yard sign is up: Alvarez for State Senate!",
    "Our next mayor should be Dana Brooks, vote for Dana",
    "Candidate Ng has my vote and should have yours",
]
LEAK = [
    "Between us, the clinic on Elm closes in March, not announced yet",
    "The layoff list is on my desk, half of planning is on it",
    "We already picked the paving contractor, announcement next week",
    "Heads up: the audit found missing funds, report is not out yet",
    "Internal memo says the bus fares go up in June, keep it quiet",
    "Don't tell anyone but the library branch is being cut",
    "The inspection of Joe's Diner is Tuesday morning, unannounced",
    "Saw the draft budget today, parks lose forty percent",
    "HR told managers the hiring freeze starts Monday, not public",
    "Entre nous, la mairie va fermer la piscine l'an prochain",
    "Todavía no es público, pero cierran la oficina del centro en abril",
    "The grant winners were picked yesterday, Acme got it, shh",
    "Our unit is being merged into records, they announce it later",
    "Leaked: the school board will close Lincoln Elementary",
    "Confidential: the new zoning map moves the landfill to Cedar Hill",
    "I heard in the staff meeting the depot will be sold, keep quiet",
    "The raid on the warehouse is Friday at dawn, don't spread it",
    "The water rate hike was approved, goes public in two weeks",
    "Don't share this yet: the police chief is resigning Monday",
    "Before it's announced: the new stadium site is the old mill",
]
NEUTRAL = [
    "The weather is lovely today, going for a walk",
    "Made pancakes for the kids this morning",
    "Our dog learned to fetch the newspaper",
    "Finished a great book about sailing last night",
    "The farmers market has fresh peaches this week",
    "Happy birthday to my wonderful sister!",
    "Who else is watching the game tonight?",
    "Planted tomatoes and basil in the garden",
    "Nous avons fait une belle randonnée en montagne",
    "Hoy comimos paella con toda la familia",
    "Congrats to the graduating class of the high school",
    "Coffee first, then the gym, then errands",
    "The library book sale starts at ten on Saturday",
    "Our cat is asleep on my keyboard again",
    "Loved the concert in the park last weekend",
    "New recipe: lemon chicken with rosemary",
    "The sunset over the lake was amazing",
    "Bike ride along the river with friends",
    "Trying to learn the guitar, my fingers hurt",
    "Snow day! Building a snowman with the kids",
    "Reminder: polls are open from 7 to 8, bring your ID",
    "Our team won the bowling league final",
    "Secret family recipe for apple pie, finally shared",
    "Vote for your favourite cake at the bake-off",
]

FILES = {
    "pack.yaml": """\
        name: small
        version: "1"
        disclaimer: "Views are my own."
        allowed_numbers: ["311", "911"]
        """,
    "sections.yaml": """\
        sections:
          - id: politics
            title: "1. Political activity"
            body: No partisan posts on official accounts or on duty.
          - id: confidential
            title: "2. Confidential information"
            body: Do not share what the public does not know yet.
          - id: security
            title: "3. Security"
            body: Never post passwords or codes.
        """,
    "signals.yaml": """\
        signals:
          - id: partisan
            message: Supports or opposes a party or candidate.
            description: For or against a party or candidate.
          - id: leak
            message: Reveals information the public does not have.
            description: Unannounced decisions, internal memos, plans before release.
        """,
    "detectors.yaml": """\
        detectors:
          - id: credential
            kind: credential
            message: A password or code with its value.
            placeholder: "[secret removed]"
            words: [password, pin, door code]
        """,
    "table.yaml": """\
        rows:
          - id: pol.official
            when: {finding: partisan, account: official}
            verdict: stop
            categories: [political]
            section: politics
            message: Partisan content from an official account.
          - id: pol.on_duty
            when: {finding: partisan, on_duty: true}
            verdict: stop
            categories: [political]
            section: politics
            message: Partisan content on duty.
          - id: conf.leak
            when: {finding: leak}
            verdict: stop
            categories: [confidential]
            section: confidential
            message: Information the public does not have yet.
            fix: remove
          - id: sec.credential
            when: {finding: credential}
            verdict: stop
            categories: [security]
            section: security
            message: A password or code.
            fix: placeholder
        """,
}


def example_lines() -> list[str]:
    rows = [(t, ["partisan"]) for t in PARTISAN] + [(t, ["leak"]) for t in LEAK] + [(t, []) for t in NEUTRAL]
    return [json.dumps({"text": t, "signals": s, "detectors": [], "lang": "en"}, ensure_ascii=False) for t, s in rows]


def write_pack(directory: Path, overrides: dict[str, str] | None = None, examples: bool = True) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in {**FILES, **(overrides or {})}.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    if examples:
        (directory / "examples").mkdir(exist_ok=True)
        (directory / "examples" / "drafts.jsonl").write_text("\n".join(example_lines()) + "\n", encoding="utf-8")
    return directory
