"""Questions about the policy get passages; small talk gets a short friendly reply; a message that
could be either a draft or a question gets two buttons."""

from __future__ import annotations

import logging
import re

from bot.catalog import body_of, message_of, passage_of, texts, title_of
from bot.drafts import check_text, user_defaults
from bot.intent import is_topic
from bot.messages import Choices, Reply, Text
from bot.payloads import Expired, HeldText, SectionRef
from bot.turn import Turn, choice
from policy import DraftError, ModelError
from policy.intent import Intent

log = logging.getLogger("policybot")
_THANKS = re.compile(r"\b(thanks?|thank you|thx|ty|cheers|merci|gracias|appreciated?)\b", re.IGNORECASE)
# A greeting, or a question about the bot itself, gets the introduction; other small talk ("sounds
# good", "brb", "why?") gets a short acknowledgement that points at the verdict's findings.
_HELLO = re.compile(
    r"^\W*(hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|greetings|bonjour|bonsoir|salut|coucou|hola|"
    r"buen[oa]s( d[ií]as| tardes| noches)?)\b|\byou\b.*\?|\b(vous|tu|usted|t[uú])\b.*\?",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"^\s*(?:¿\s*)?(?:can i|could i|may i|am i allowed to|is it (?:ok|okay|fine|allowed) (?:for me )?to|should i|"
    r"puis-je|est-ce que je peux|ai-je le droit de|puedo|se puede|está permitido)\s+(.{6,300}?)\s*\??\s*$",
    re.IGNORECASE,
)
OFFER_CHECK_FROM = 0.05  # the classifier's probability that the message is a draft
SHORT_ANSWERS = {"stop": "SHORT_NO", "review": "SHORT_REVIEW", "disclaimer": "SHORT_DISCLAIMER"}  # names in texts


async def answer_question(turn: Turn, question: str) -> Reply:
    policy = turn.services.policy
    try:
        hits = await turn.services.engine.run(policy.lookup, question)
    except ModelError as error:
        return Reply([Text.of(texts.LOOKUP_UNAVAILABLE, reason=error)])
    if not hits:
        return Reply([Text.of(texts.QUESTION_NOT_UNDERSTOOD)])
    best = hits[0]
    log.info("question answered user=%s section=%s", turn.user.id, best.section.id)
    reply = Reply()
    if short := await _short_answer(turn, question):
        reply.add(short)
    if turn.services.assistant and (written := await turn.services.assistant.answer(question, hits)):
        reply.add(Text.of("{answer}", answer=written.text))
    reply.add(
        Text.of(texts.ANSWER_PASSAGE, title=title_of(best.section), passage=passage_of(best.section, best.passage))
    )
    reply.add(Choices((choice(texts.READ_SECTION, "lookup.section", SectionRef(best.section.id), "primary"),)))
    if len(hits) > 1:
        others = tuple(choice(title_of(h.section), "lookup.section", SectionRef(h.section.id)) for h in hits[1:])
        reply.add(Choices(others, texts.LOOKUP_SEE_ALSO))
    return reply


async def _short_answer(turn: Turn, question: str) -> Text | None:
    """For "can I <do something>?": what the policy table says about that action, when a row applies."""
    action = _ACTION.match(question)
    if not action:
        return None
    account, on_duty = user_defaults(turn)
    try:
        policy = turn.services.policy
        assessment = await turn.services.engine.run(policy.check, action.group(1), account or "personal", bool(on_duty))
    except (DraftError, ModelError):
        return None
    level = assessment.verdict.label
    decisive = [f for f in assessment.findings if f.verdict.label == level and f.band != "possible"]
    if level not in SHORT_ANSWERS or not decisive:
        return None
    return Text.of(
        getattr(texts, SHORT_ANSWERS[level]),
        message=message_of(policy, decisive[0]),
        section=title_of(decisive[0].section),
    )


async def small_talk(turn: Turn, text: str) -> Reply:
    if _THANKS.search(text):
        return Reply([Text.of(texts.YOU_ARE_WELCOME)])
    return Reply([Text.of(texts.HELLO if _HELLO.search(text) else texts.NOTED)])


async def ask_for_the_draft(turn: Turn, text: str) -> Reply:
    """ "Can I post this?" with no post: ask for the text rather than look the words up."""
    return Reply([Text.of(texts.SEND_THE_DRAFT)])


def might_be_a_draft(intent: Intent | None) -> bool:
    """Whether a message answered as a question or small talk still reads somewhat like a post: of
    drafts written apart that were read so, two thirds; of questions, one in twenty."""
    return intent is not None and intent.probabilities.get("draft", 0.0) >= OFFER_CHECK_FROM


def offer_check(turn: Turn, text: str) -> Choices:
    """A button that checks the message as a post after all (the text held in memory only)."""
    return Choices((choice(texts.CHECK_AS_POST, "intent.draft", _hold(turn, text)),))


async def ask_intent(turn: Turn, text: str) -> Reply:
    held = _hold(turn, text)
    return Reply(
        [
            Text.of(texts.ASK_INTENT),
            Choices(
                (
                    choice(texts.CHECK_AS_POST, "intent.draft", held, "primary"),
                    choice(texts.ANSWER_AS_QUESTION, "intent.question", held),
                )
            ),
        ]
    )


def _hold(turn: Turn, text: str) -> HeldText:
    """The message kept in memory only, for a button that acts on it later."""
    return HeldText(turn.services.drafts.put(text, turn.services.clock()))


def _held(turn: Turn) -> str:
    text = turn.services.drafts.get(turn.payload(HeldText).token, turn.services.clock())
    if text is None:
        raise Expired("the message is no longer held")
    return text


async def take_as_draft(turn: Turn) -> Reply:
    return await check_text(turn, _held(turn))


async def take_as_question(turn: Turn) -> Reply:
    return await answer_question(turn, _held(turn))


async def lookup(turn: Turn) -> Reply:
    """`policy <topic>`: the section itself; a longer question is answered as a question."""
    topic = turn.incoming.argument.strip()
    policy = turn.services.policy
    if not topic:
        sections = tuple(choice(title_of(s), "lookup.section", SectionRef(s.id)) for s in policy.sections.values())
        return Reply([Text.of(texts.LOOKUP_WHICH), Choices(sections)])
    if not is_topic(topic):
        return await answer_question(turn, topic)
    hits = await turn.services.engine.run(policy.lookup, topic, 4, True)
    if not hits:
        titles = "; ".join(title_of(s) for s in policy.sections.values())
        return Reply([Text.of(texts.LOOKUP_NONE, topic=topic, titles=titles)])
    return section_reply(turn, hits[0].section.id, [h.section.id for h in hits[1:4]])


def section_reply(turn: Turn, section_id: str, others: list[str]) -> Reply:
    sections = turn.services.policy.sections
    section = sections[section_id]
    reply = Reply([Text.of("*{title}*", title=title_of(section)), Text.of(body_of(section).replace("**", "*"))])
    if section.sources:
        reply.add(Text.of(texts.SOURCES, sources="; ".join(section.sources)))
    if others:
        buttons = tuple(choice(title_of(sections[o]), "lookup.section", SectionRef(o)) for o in others)
        reply.add(Choices(buttons, texts.LOOKUP_SEE_ALSO))
    return reply


async def show_section(turn: Turn) -> Reply:
    section_id = turn.payload(SectionRef).section
    if section_id not in turn.services.policy.sections:
        raise Expired(f"no section {section_id!r}")
    return section_reply(turn, section_id, [])


ACTIONS = {"intent.draft": take_as_draft, "intent.question": take_as_question, "lookup.section": show_section}
