"""The draft-check dialog: verdict, context question, fix, send for review, appeal."""

from __future__ import annotations

import logging
import re
import time

from bot import assisted
from bot.catalog import context_words, message_of, texts, title_of
from bot.messages import Choices, FindingView, Highlight, Note, Reply, Text, VerdictBlock
from bot.metrics import CHECK_SECONDS, VERDICTS
from bot.payloads import DraftRef, Expired, encode
from bot.turn import Turn, choice
from policy import ALL_CONTEXTS, Assessment, Context, DraftError

log = logging.getLogger("policybot")
MAX_VALUE_CHARS = 1500  # Slack allows 2000 characters in a button value
AWAITING_CONTEXT = "context?"  # held in LastVerdicts in place of a verdict while the context is asked
_PREFIX = re.compile(r"^\s*(official|personal|on[ -]duty|off[ -]duty)\s*:\s*", re.IGNORECASE)


def parse_prefixes(text: str) -> tuple[str, str | None, bool | None]:
    """`official: on duty: text` -> (text, "official", True): a one-draft override of the defaults."""
    account: str | None = None
    on_duty: bool | None = None
    while match := _PREFIX.match(text):
        word = match.group(1).lower().replace(" ", "-")
        if word in ("official", "personal"):
            account = word
        else:
            on_duty = word == "on-duty"
        text = text[match.end() :]
    return text, account, on_duty


def user_defaults(turn: Turn) -> tuple[str | None, bool | None]:
    on_duty = {"on": True, "off": False}.get(turn.user.on_duty or "")
    return turn.user.account, on_duty


async def check(turn: Turn) -> Reply:
    return await check_text(turn, turn.incoming.text)


async def check_text(turn: Turn, text: str) -> Reply:
    text, account, on_duty = parse_prefixes(text)
    default_account, default_duty = user_defaults(turn)
    account = account or default_account
    on_duty = default_duty if on_duty is None else on_duty
    if account == "official":
        on_duty = True  # an official account always posts on duty
    started = time.perf_counter()
    try:
        outcomes = await assisted.assessments(turn, text)
    except DraftError as error:
        return Reply([Text.of(texts.DRAFT_ERROR, reason=error)])
    candidates = [c for c in ALL_CONTEXTS if account in (None, c.account) and on_duty in (None, c.on_duty)]
    verdicts = {outcomes[c].verdict for c in candidates}
    if turn.offline and len(verdicts) > 1:  # no settings to ask into: the safest reading
        strictest = max(candidates, key=lambda c: outcomes[c].verdict)
        reply = verdict_reply(turn, text, outcomes[strictest])
        return reply.add(Note(texts.SETTINGS_UNAVAILABLE))
    if len(verdicts) > 1:
        log.info("draft needs context user=%s", turn.user.id)
        return ask_context(turn, text)
    context = Context(account or "personal", bool(on_duty))
    assessment = outcomes[context]
    VERDICTS.labels(assessment.verdict.label).inc()
    CHECK_SECONDS.observe(time.perf_counter() - started)
    log.info(
        "draft checked user=%s verdict=%s rules=%s ms=%.2f",
        turn.user.id,
        assessment.verdict.label,
        ",".join(f.rule for f in assessment.findings),
        (time.perf_counter() - started) * 1000,
    )
    reply = verdict_reply(turn, text, assessment, known=account is not None and on_duty is not None)
    return reply.add(Note(texts.SETTINGS_UNAVAILABLE)) if turn.offline else reply


def ask_context(turn: Turn, text: str, remember: bool = True, only: list[Context] | None = None) -> Reply:
    """Which context the draft is for (among `only`, else every button's); `remember`: the answer
    also becomes the user's default. The answer may be typed too ("personal, off duty"): the draft
    is held as the user's last verdict, AWAITING_CONTEXT, so that a typed "why?" is not about the
    verdict before."""
    pending = draft_ref(turn, text, "personal", False, remember)
    turn.services.last_verdicts.put(turn.user.id, (AWAITING_CONTEXT, encode(pending)), turn.services.clock())
    buttons = tuple(
        choice(label, "context.set", draft_ref(turn, text, account, duty, remember))
        for (account, duty), label in texts.CONTEXT_BUTTONS.items()
        if only is None or Context(account, duty) in only
    )
    question = texts.ASK_CONTEXT_AGAIN if only else texts.ASK_CONTEXT if remember else texts.ASK_CONTEXT_ONCE
    return Reply([Text.of(question), Choices(buttons)])


async def answer_context(turn: Turn, text: str, account: str | None, on_duty: bool | None, remember: bool) -> Reply:
    """The verdict for a context the user typed, part of one ("personal") or all of it; asked
    again among the contexts left when what was typed still leaves different verdicts."""
    if account == "official":
        on_duty = True  # an official account always posts on duty
    try:
        outcomes = await assisted.assessments(turn, text)
    except DraftError as error:
        return Reply([Text.of(texts.DRAFT_ERROR, reason=error)])
    candidates = [Context(a, d) for a, d in texts.CONTEXT_BUTTONS if account in (None, a) and on_duty in (None, d)]
    if len({outcomes[c].verdict for c in candidates}) > 1:
        return ask_context(turn, text, remember, only=candidates)
    told = account is not None and on_duty is not None
    reply = verdict_reply(turn, text, outcomes[candidates[0]], known=told)
    return await _remembered(turn, text, reply, candidates[0], remember) if told else reply


def draft_ref(turn: Turn, text: str, account: str, on_duty: bool, remember: bool = False) -> DraftRef:
    """The draft in a button (it is the user's own message), or a memory token when it is long."""
    if len(text) <= MAX_VALUE_CHARS:
        return DraftRef(account, on_duty, text=text, remember=remember)
    token = turn.services.drafts.put(text, turn.services.clock())
    return DraftRef(account, on_duty, token=token, remember=remember)


def draft_of(turn: Turn) -> tuple[str, Context, DraftRef]:
    """The draft behind the clicked button; raises payloads.Expired when it is gone or malformed."""
    ref = turn.payload(DraftRef)
    text = turn.services.drafts.get(ref.token, turn.services.clock()) if ref.token else ref.text
    if not text or ref.account not in ("personal", "official"):
        raise Expired("the draft is no longer held")
    return text, Context(ref.account, ref.on_duty), ref


def _first_of_each(text: str, spans) -> list[tuple[int, int]]:
    """One highlight per distinct wording: "permit" found three times is shown once."""
    seen: set[str] = set()
    kept = []
    for start, end in spans:
        words = text[start:end].lower()
        if words not in seen:
            seen.add(words)
            kept.append((start, end))
    return kept


def verdict_reply(turn: Turn, text: str, assessment: Assessment, known: bool = True) -> Reply:
    level = assessment.verdict.label
    findings = tuple(
        FindingView(
            f.rule,
            f.verdict.label,
            message_of(turn.services.policy, f),
            f.section.id,
            title_of(f.section),
            tuple(Highlight(text[s:e], s, e) for s, e in _first_of_each(text, f.spans)),
            texts.BANDS.get(f.band, f.band),
            " ".join(f.like.split()),
        )
        for f in assessment.findings
        if f.verdict.label != "ok"
    )
    reply = Reply(
        [VerdictBlock(level, texts.SUMMARIES[level], findings, texts.FOUND, texts.READS_LIKE, texts.VERDICT_WORD)]
    )
    context = assessment.context
    reply.add(
        Note(
            (texts.CHECKED_AS if known else texts.CHECKED_AS_MOOT).format(
                context=context_words(context.account, context.on_duty)
            )
        )
    )
    if level == "disclaimer":
        reply.add(Text.of(texts.SUGGESTED_DISCLAIMER, disclaimer=turn.services.policy.disclaimer_for(text)))
    ref = draft_ref(turn, text, context.account, context.on_duty)
    turn.services.last_verdicts.put(turn.user.id, (level, encode(ref)), turn.services.clock())
    buttons = []
    if level == "disclaimer" and assessment.fixed != text:
        buttons.append(choice(texts.ADD_DISCLAIMER, "draft.fix", ref, "primary"))
    elif level == "stop":  # a review needs a person, not a rewrite
        buttons.append(choice(texts.WHAT_TO_REMOVE, "draft.fix", ref, "primary"))
    if level in ("review", "stop") or context.account == "official":
        buttons.append(choice(texts.SEND_FOR_REVIEW, "draft.review", ref))
    if level != "ok":
        buttons.append(choice(texts.APPEAL, "draft.appeal", ref))
    if level != "ok" and turn.services.assistant:
        buttons.append(choice(texts.SUGGEST_REWRITE, "draft.rewrite", ref))
    buttons.append(choice(texts.CHANGE_CONTEXT, "context.ask", ref))
    reply.add(Choices(tuple(buttons)))
    return reply


async def set_context(turn: Turn) -> Reply:
    text, context, ref = draft_of(turn)
    assessment = await assisted.assess(turn, text, context)
    return await _remembered(turn, text, verdict_reply(turn, text, assessment), context, ref.remember)


async def _remembered(turn: Turn, text: str, reply: Reply, context: Context, remember: bool) -> Reply:
    """The verdict for a context the user chose: remembered as their default if `remember`, else
    with an offer to remember it when it is not their default already."""
    if remember:
        turn.user.account = context.account
        turn.user.on_duty = "on" if context.on_duty else "off"
        await turn.save_user()
        reply.blocks.insert(0, Text.of(texts.CONTEXT_SAVED, context=context_words(context.account, context.on_duty)))
    elif (turn.user.account, turn.user.on_duty) != (context.account, "on" if context.on_duty else "off"):
        reply.add(Text.of(texts.JUST_THIS_DRAFT, context=context_words(context.account, context.on_duty)))
        keep = draft_ref(turn, text, context.account, context.on_duty, remember=True)
        reply.add(Choices((choice(texts.FROM_NOW_ON, "context.set", keep),)))
    return reply


async def change_context(turn: Turn) -> Reply:
    text, _, _ = draft_of(turn)
    return ask_context(turn, text, remember=False)


async def fix(turn: Turn) -> Reply:
    text, context, _ = draft_of(turn)
    assessment = await turn.services.engine.run(turn.services.policy.check, text, context.account, context.on_duty)
    if assessment.verdict.label != "stop":
        if assessment.fixed == text:
            return Reply([Text.of(texts.FIX_NOTHING)])
        return Reply([Text.of(texts.FIXED_INTRO), Text.of(texts.PRE, text=assessment.fixed)])
    stops = [f for f in assessment.findings if f.verdict.label == "stop"]
    if all(f.fix == "placeholder" for f in stops):  # only structured data: replace it
        return await _placeholders_reply(turn, assessment.fixed, context)
    lines = []
    for finding in stops:
        quoted = "; ".join(f"“{_sentence(text, start, end)}”" for start, end in _first_of_each(text, finding.spans))
        lines.append(
            texts.REMOVE_LINE.format(quoted=quoted or texts.WHOLE_POST, why=message_of(turn.services.policy, finding))
        )
    return Reply([Text.of(texts.FIX_STOP), Text.of("{lines}", lines="\n".join(dict.fromkeys(lines)))])


async def _placeholders_reply(turn: Turn, replaced: str, context: Context) -> Reply:
    """The draft with its personal data replaced. A stop leaves out the disclaimer advice, so the
    replaced text is checked again, and gets the disclaimer when it needs one."""
    again = await turn.services.engine.run(turn.services.policy.check, replaced, context.account, context.on_duty)
    if again.verdict.label == "disclaimer":
        return Reply([Text.of(texts.FIX_PLACEHOLDERS_AND_DISCLAIMER), Text.of(texts.PRE, text=again.fixed)])
    return Reply([Text.of(texts.FIX_PLACEHOLDERS), Text.of(texts.PRE, text=replaced)])


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span, so the user sees what to take out."""
    left = max(text.rfind(mark, 0, start) for mark in (". ", "! ", "? ", "\n"))
    rights = [i for i in (text.find(mark, end) for mark in (". ", "! ", "? ", "\n")) if i != -1]
    sentence = text[left + 1 if left >= 0 else 0 : (min(rights) + 1) if rights else len(text)].strip()
    return sentence if len(sentence) <= 300 else sentence[:297] + "..."


async def rewrite(turn: Turn) -> Reply:
    text, context, _ = draft_of(turn)
    return await assisted.rewrite_reply(turn, text, context)


ACTIONS = {
    "draft.rewrite": rewrite,
    "context.set": set_context,
    "context.ask": change_context,
    "draft.fix": fix,
}
