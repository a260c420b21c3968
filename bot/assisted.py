"""Draft checks with the optional LLM endpoint: a second opinion where the local model is unsure,
and a suggested rewrite that the local engine checks again before it is shown."""

from __future__ import annotations

import logging

from bot.catalog import texts
from bot.messages import Reply, Text
from bot.turn import Turn
from policy import ALL_CONTEXTS, Assessment, Context, DraftError, Verdict
from policy.table import settle

log = logging.getLogger("policybot")


async def assessments(turn: Turn, text: str) -> dict[Context, Assessment]:
    """The draft in every context; raises DraftError for text that cannot be checked."""
    policy = turn.services.policy
    found = (await turn.services.engine.run(policy.find_many, [text]))[0]
    unsure = [key for key, presence in found.items() if not presence.is_detector and presence.band == "possible"]
    if turn.services.assistant and unsure:
        opinions = await turn.services.assistant.second_opinion(text, unsure)
        if opinions:
            log.info(
                "second opinion user=%s signals=%s",
                turn.user.id,
                ",".join(f"{k}:{int(v)}" for k, v in opinions.items()),
            )
            found = settle(found, opinions)
    return {context: policy.assess(text, found, context) for context in ALL_CONTEXTS}


async def assess(turn: Turn, text: str, context: Context) -> Assessment:
    return (await assessments(turn, text))[context]


async def rewrite_reply(turn: Turn, draft: str, context: Context) -> Reply:
    """Ask the endpoint for a rewrite; show it only if the local engine answers ok for it."""
    assistant = turn.services.assistant
    if assistant is None:
        return Reply([Text.of(texts.REWRITE_UNAVAILABLE)])
    try:
        assessment = await assess(turn, draft, context)
    except DraftError as error:
        return Reply([Text.of(texts.DRAFT_ERROR, reason=error)])
    problems = [f.message for f in assessment.findings if f.verdict > Verdict.OK]
    rewrite = await assistant.rewrite(draft, problems) if problems else None
    if rewrite:
        try:
            again = await assess(turn, rewrite, context)
        except DraftError:
            again = None
        if again is not None and again.verdict == Verdict.OK:
            log.info("rewrite shown user=%s", turn.user.id)
            return Reply([Text.of(texts.REWRITE_INTRO), Text.of(texts.PRE, text=rewrite)])
        log.info("rewrite withheld user=%s verdict=%s", turn.user.id, again.verdict.label if again else "error")
    return Reply([Text.of(texts.REWRITE_NONE)])
