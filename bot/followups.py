"""A follow-up typed instead of a button pressed, in English, French or Spanish: "appeal",
"send it for review", "add the disclaimer", "what should I remove?", "rewrite it", "it's for the
official account", "I'm on duty", "why?". It acts on the user's last verdict (`LastVerdicts`, in memory
for an hour on the replica that gave it); without one, the message is read as any other.
Only short messages are read this way, so a draft that happens to start like one is still checked.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.catalog import passage_of, texts, title_of
from bot.drafts import AWAITING_CONTEXT, answer_context, ask_context, draft_of
from bot.messages import Choices, Reply, Text
from bot.payloads import DraftRef, Expired, SectionRef, decode, encode
from bot.routes import ACTIONS
from bot.turn import Turn, choice
from policy import Policy
from policy.model import paragraphs

MAX_CHARS = 80
_POLITE = r"(?:please |pls |ok |okay |then |so |s'il te pla[iî]t |por favor )*"
_END = r"(?: please| pls| then| now| s'il te pla[iî]t| s'il vous pla[iî]t| por favor)*"
_PHRASES = {
    "draft.appeal": (
        r"(?:i (?:want|would like|'d like|wanna) to )?appeal(?: (?:this|it|that|the verdict))?",
        r"(?:i think |i believe )?(?:this|that|it|the verdict)(?:'s| is) (?:wrong|a mistake|not right)",
        r"i disagree(?: with (?:this|that|it|the verdict))?",
        r"(?:je veux |je voudrais )?(?:faire appel|contester(?: le verdict)?)",
        r"je conteste(?: le verdict)?|c'est (?:faux|une erreur)",
        r"(?:quiero )?apelar(?:lo)?|(?:eso|esto|el veredicto) (?:est[aá] mal|es un error)",
    ),
    "draft.review": (
        r"(?:can you )?(?:send|submit|pass)(?: it| this| that)?(?: on)? (?:for|to) "
        r"(?:review|approval|pre-?approval|comms|communications|a reviewer)",
        r"(?:envoie|envoyer|soumettre|soumets)(?:-le| le| la)? (?:pour|en|à la) (?:relecture|validation|communication)",
        r"(?:env[ií]a|enviar|mand[aá])(?:lo|la)? (?:a|para) (?:revisi[oó]n|aprobaci[oó]n|comunicaci[oó]n)",
    ),
    "draft.fix": (
        r"fix (?:it|this|that|the draft)|add (?:the|a) disclaimer|(?:show me )?the fixed version",
        r"what (?:should|do) i (?:remove|cut|take out|change)\??",
        r"corrige(?:-le| le)?|(?:ajoute|ajouter|mets|mettre) (?:l'|un |le )(?:avertissement|disclaimer|mention)",
        r"que dois-je (?:enlever|retirer)\??",
        r"arr[eé]glalo|corr[ií]gelo|(?:a[ñn]ade|agrega|pon) (?:el|un) (?:descargo|aviso)",
        r"(?:¿)?qu[eé] (?:debo|tengo que) quitar\??",
    ),
    "why": (
        r"why(?: not| is that| so| this verdict| that verdict| is it (?:a )?(?:stop|review|disclaimer))?",
        r"how come|explain(?: it| this| that| the verdict)?",
        r"pourquoi(?: (?:ça|ca|cela|ce verdict|pas))?|por ?qu[eé](?: (?:no|eso|este veredicto))?",
    ),
    "draft.rewrite": (
        r"(?:suggest a |give me a )?rewrite(?: it| this)?|reword (?:it|this)",
        r"r[ée]{1,2}cris(?:-le| le)?|reescr[ií]belo",
    ),
}
_ACTIONS = {action: re.compile(f"{_POLITE}(?:{'|'.join(p)}){_END}") for action, p in _PHRASES.items()}
_TERMS = {
    "official": ("official", None),
    "personal": ("personal", None),
    "on duty": (None, True),
    "off duty": (None, False),
    "at work": (None, True),
    "compte officiel": ("official", None),
    "compte personnel": ("personal", None),
    "en service": (None, True),
    "hors service": (None, False),
    "au travail": (None, True),
    "cuenta oficial": ("official", None),
    "cuenta personal": ("personal", None),
    "de servicio": (None, True),
    "fuera de servicio": (None, False),
    "en el trabajo": (None, True),
}
_TERM = "|".join(sorted(map(re.escape, _TERMS), key=len, reverse=True))
_CONTEXT = re.compile(
    r"(?:(?:it'?s|it is|this is|that'?s|that is|i'?m|i am|c'est|je suis|es|estoy|era|i was)"
    r"(?: (?:for|on|from|pour|sur|de|en|para|desde))?(?: (?:the|my|le|mon|la|ma|mi|el))? )?"
    f"(?P<what>{_TERM})(?: account)?"
    rf"(?:(?:,| and| et| y| /| -)?(?: i'?m| je suis| estoy)? (?P<more>{_TERM})(?: account)?)?"
)


def _plain(text: str) -> str:
    text = text.lower().replace("’", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip().strip(".!¡?¿ ")


def typed_action(text: str, with_assistant: bool) -> str | None:
    """The button a short message asks for ("draft.appeal", ..., "context.set"), or None."""
    if len(text) > MAX_CHARS:
        return None
    plain = _plain(text)
    for action, pattern in _ACTIONS.items():
        if pattern.fullmatch(plain) and (action != "draft.rewrite" or with_assistant):
            return action
    return "context.set" if _CONTEXT.fullmatch(plain) else None


def wants_follow_up(turn: Turn) -> str | None:
    """The action of a follow-up typed after a verdict this replica still holds."""
    if not turn.services.last_verdicts.get(turn.user.id, turn.services.clock()):
        return None
    return typed_action(turn.incoming.text, turn.services.assistant is not None)


async def follow_up(turn: Turn, action: str) -> Reply:
    held = turn.services.last_verdicts.get(turn.user.id, turn.services.clock())
    if held is None:  # expired between routing and now
        return Reply([Text.of(texts.FOLLOW_UP_EXPIRED)])
    verdict, value = held
    ref = decode(value, DraftRef)
    if verdict == AWAITING_CONTEXT:
        return await _context_answer(turn, ref, action)
    if action == "draft.appeal" and verdict == "ok":
        return Reply([Text.of(texts.NOTHING_TO_APPEAL)])
    if action == "draft.review" and verdict in ("ok", "disclaimer") and ref.account == "personal":
        return Reply([Text.of(texts.NO_REVIEW_NEEDED, verdict=verdict)])
    if action == "context.set":
        account, on_duty = _context_of(_plain(turn.incoming.text))
        account = account or ("personal" if on_duty is not None and ref.account == "official" else ref.account)
        if account == "official":
            on_duty = True  # an official account always posts on duty
        ref = replace(ref, account=account, on_duty=ref.on_duty if on_duty is None else on_duty, remember=False)
    turn.incoming = replace(turn.incoming, kind="action", action=action, value=encode(ref))
    try:
        reply = await (explain(turn) if action == "why" else ACTIONS[action](turn))
    except Expired:  # a long draft's text was dropped from memory before its verdict
        return Reply([Text.of(texts.FOLLOW_UP_EXPIRED)])
    if action in ("draft.review", "draft.appeal"):  # typed twice, it must not file it twice
        turn.services.last_verdicts.forget(turn.user.id)
    return reply


async def _context_answer(turn: Turn, ref: DraftRef, action: str) -> Reply:
    """A message typed while the context question waits: its answer, or the question again."""
    typed = _plain(turn.incoming.text)
    turn.incoming = replace(turn.incoming, kind="action", action="context.set", value=encode(ref))
    try:
        text, _, _ = draft_of(turn)
    except Expired:
        return Reply([Text.of(texts.FOLLOW_UP_EXPIRED)])
    if action != "context.set":  # "why?" or "appeal" before there is a verdict
        reply = ask_context(turn, text, ref.remember)
        reply.blocks.insert(0, Text.of(texts.CONTEXT_FIRST))
        return reply
    account, on_duty = _context_of(typed)
    return await answer_context(turn, text, account, on_duty, ref.remember)


def _context_of(plain: str) -> tuple[str | None, bool | None]:
    """("personal", False) for "personal, off duty"; None for what was not said."""
    match = _CONTEXT.fullmatch(plain)
    if not match:
        return None, None
    account, on_duty = _TERMS[match.group("what")]
    more_account, more_duty = _TERMS.get(match.group("more") or "", (None, None))
    return account or more_account, on_duty if on_duty is not None else more_duty


async def explain(turn: Turn) -> Reply:
    """ "why?" after a verdict: the policy's own words behind each finding, a paragraph a section."""
    services = turn.services
    text, context, _ = draft_of(turn)
    assessment = await services.engine.run(services.policy.check, text, context.account, context.on_duty)
    findings = [f for f in assessment.findings if f.verdict.label != "ok"]
    if not findings:
        return Reply([Text.of(texts.WHY_OK)])
    reply = Reply([Text.of(texts.WHY_INTRO, verdict=assessment.verdict.label)])
    sections = {f.section.id: f for f in findings}
    for finding in sections.values():
        passage = await services.engine.run(_passage_for, services.policy, finding.section.id, finding.message)
        reply.add(
            Text.of(texts.ANSWER_PASSAGE, title=title_of(finding.section), passage=passage_of(finding.section, passage))
        )
    buttons = tuple(choice(title_of(f.section), "lookup.section", SectionRef(f.section.id)) for f in sections.values())
    return reply.add(Choices(buttons, texts.READ_SECTION))


def _passage_for(policy: Policy, section_id: str, message: str) -> str:
    """The paragraph of a section that best says what a finding's message says."""
    for hit in policy.lookup(message, limit=len(policy.sections)):
        if hit.section.id == section_id:
            return hit.passage
    return paragraphs(policy.sections[section_id].body)[0]
