"""Questions about the policy get passages; small talk gets a short friendly reply; a message that
could be either a draft or a question gets two buttons."""

from __future__ import annotations

import json
import logging
import re

from bot import texts
from bot.core import Turn, choice
from bot.drafts import check_text, user_defaults
from bot.messages import Choices, Reply, Text
from policy import DraftError, ModelError

log = logging.getLogger("policybot")
_THANKS = re.compile(r"\b(thanks?|thank you|thx|ty|cheers|merci|gracias|appreciated?)\b", re.IGNORECASE)
_ACTION = re.compile(
    r"^\s*(?:¿\s*)?(?:can i|could i|may i|am i allowed to|is it (?:ok|okay|fine|allowed) (?:for me )?to|should i|"
    r"puis-je|est-ce que je peux|ai-je le droit de|puedo|se puede|está permitido)\s+(.{6,300}?)\s*\??\s*$",
    re.IGNORECASE,
)
SHORT_ANSWERS = {"stop": texts.SHORT_NO, "review": texts.SHORT_REVIEW, "disclaimer": texts.SHORT_DISCLAIMER}


async def answer_question(turn: Turn, question: str) -> Reply:
    policy = turn.bot.policy
    try:
        hits = policy.lookup(question)
    except ModelError as error:
        return Reply([Text(texts.LOOKUP_UNAVAILABLE.format(reason=error))])
    if not hits:
        return Reply([Text(texts.QUESTION_NOT_UNDERSTOOD)])
    best = hits[0]
    log.info("question answered user=%s section=%s", turn.user.id, best.section.id)
    reply = Reply()
    if short := _short_answer(turn, question):
        reply.add(Text(short))
    if turn.bot.assistant and (written := await turn.bot.assistant.answer(question, hits)):
        reply.add(Text(written.text))
    reply.add(Text(texts.ANSWER_PASSAGE.format(title=best.section.title, passage=best.passage)))
    reply.add(Choices((choice(texts.READ_SECTION, "lookup.section", best.section.id, "primary"),)))
    if len(hits) > 1:
        others = tuple(choice(h.section.title, "lookup.section", h.section.id) for h in hits[1:])
        reply.add(Choices(others, texts.LOOKUP_SEE_ALSO))
    return reply


def _short_answer(turn: Turn, question: str) -> str:
    """For "can I <do something>?": what the policy table says about that action, when a row applies."""
    action = _ACTION.match(question)
    if not action:
        return ""
    account, on_duty = user_defaults(turn)
    try:
        assessment = turn.bot.policy.check(action.group(1), account or "personal", bool(on_duty))
    except (DraftError, ModelError):
        return ""
    level = assessment.verdict.label
    decisive = [f for f in assessment.findings if f.verdict.label == level and f.band != "possible"]
    if level not in SHORT_ANSWERS or not decisive:
        return ""
    return SHORT_ANSWERS[level].format(message=decisive[0].message, section=decisive[0].section.title)


async def small_talk(turn: Turn) -> Reply:
    thanks = bool(_THANKS.search(turn.incoming.text))
    return Reply([Text(texts.YOU_ARE_WELCOME if thanks else texts.HELLO)])


def ask_intent(turn: Turn, text: str) -> Reply:
    value = json.dumps({"t": turn.bot.drafts.put({"q": text}, turn.bot.clock())})
    return Reply(
        [
            Text(texts.ASK_INTENT),
            Choices(
                (
                    choice(texts.CHECK_AS_POST, "intent.draft", value, "primary"),
                    choice(texts.ANSWER_AS_QUESTION, "intent.question", value),
                )
            ),
        ]
    )


def _asked(turn: Turn) -> str | None:
    token = turn.payload().get("t")
    held = turn.bot.drafts.get(str(token), turn.bot.clock()) if token else None
    return held.get("q") if held else None


async def take_as_draft(turn: Turn) -> Reply:
    text = _asked(turn)
    return await check_text(turn, text) if text else Reply([Text(texts.DRAFT_EXPIRED)])


async def take_as_question(turn: Turn) -> Reply:
    text = _asked(turn)
    return await answer_question(turn, text) if text else Reply([Text(texts.DRAFT_EXPIRED)])


ACTIONS = {"intent.draft": take_as_draft, "intent.question": take_as_question}
