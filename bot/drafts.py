"""The draft-check dialog: verdict, context question, fix, send for review, appeal."""

from __future__ import annotations

import json
import logging
import re
import time

from bot import assisted, texts
from bot.core import Turn, choice
from bot.messages import Choices, FindingView, Highlight, Note, Reply, Text, VerdictBlock
from policy import ALL_CONTEXTS, Assessment, Context, DraftError

log = logging.getLogger("policybot")
MAX_VALUE_CHARS = 1500  # Slack allows 2000 characters in a button value
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
    started = time.perf_counter()
    try:
        outcomes = await assisted.assessments(turn, text)
    except DraftError as error:
        return Reply([Text(texts.DRAFT_ERROR.format(reason=error))])
    candidates = [c for c in ALL_CONTEXTS if account in (None, c.account) and on_duty in (None, c.on_duty)]
    verdicts = {outcomes[c].verdict for c in candidates}
    if len(verdicts) > 1:
        log.info("draft needs context user=%s", turn.user.id)
        return ask_context(turn, text)
    context = Context(account or "personal", bool(on_duty))
    assessment = outcomes[context]
    log.info(
        "draft checked user=%s verdict=%s rules=%s ms=%.2f",
        turn.user.id,
        assessment.verdict.label,
        ",".join(f.rule for f in assessment.findings),
        (time.perf_counter() - started) * 1000,
    )
    return verdict_reply(turn, text, assessment, known=account is not None and on_duty is not None)


def ask_context(turn: Turn, text: str) -> Reply:
    options = (
        ("Personal account, off duty", "personal", False),
        ("Personal account, on duty", "personal", True),
        ("Official account", "official", True),
    )
    return Reply(
        [
            Text(texts.ASK_CONTEXT),
            Choices(
                tuple(
                    choice(label, "context.set", draft_value(turn, text, account, duty))
                    for label, account, duty in options
                )
            ),
        ]
    )


def draft_value(turn: Turn, text: str, account: str, on_duty: bool) -> str:
    """A button value carrying the draft (it is the user's own message), or a memory token when long."""
    payload = {"d": text, "a": account, "o": on_duty}
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    if len(encoded) <= MAX_VALUE_CHARS:
        return encoded
    return json.dumps({"t": turn.bot.drafts.put(payload, turn.bot.clock())})


def draft_from(turn: Turn) -> dict | None:
    payload = turn.payload()
    if "t" in payload:
        return turn.bot.drafts.get(str(payload["t"]), turn.bot.clock())
    return payload if isinstance(payload.get("d"), str) else None


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
            f.message,
            f.section.id,
            f.section.title,
            tuple(Highlight(text[s:e], s, e) for s, e in _first_of_each(text, f.spans)),
        )
        for f in assessment.findings
        if f.verdict.label != "ok"
    )
    reply = Reply([VerdictBlock(level, texts.SUMMARIES[level], findings)])
    context = assessment.context
    reply.add(Note(f"checked as: {context.describe()}" + ("" if known else " (it made no difference here)")))
    if level == "disclaimer":
        reply.add(Text(f"Suggested disclaimer: _{turn.bot.policy.disclaimer}_"))
    value = draft_value(turn, text, context.account, context.on_duty)
    buttons = []
    if assessment.fixed != text and level != "review":  # a review needs a person, not a rewrite
        label = "Add the disclaimer" if level == "disclaimer" else "Fix it for me"
        buttons.append(choice(label, "draft.fix", value, "primary"))
    if level in ("review", "stop") or context.account == "official":
        buttons.append(choice("Send to communications for review", "draft.review", value))
    if level != "ok":
        buttons.append(choice("I think this is wrong", "draft.appeal", value))
    if level != "ok" and turn.bot.assistant:
        buttons.append(choice(texts.SUGGEST_REWRITE, "draft.rewrite", value))
    buttons.append(choice("Change account / duty", "context.ask", value))
    reply.add(Choices(tuple(buttons)))
    return reply


async def set_context(turn: Turn) -> Reply:
    draft = draft_from(turn)
    if draft is None:
        return Reply([Text(texts.DRAFT_EXPIRED)])
    context = Context(draft["a"], bool(draft["o"]))
    turn.user.account = context.account
    turn.user.on_duty = "on" if context.on_duty else "off"
    await turn.bot.store.save_user(turn.user)
    assessment = await assisted.assess(turn, draft["d"], context)
    reply = verdict_reply(turn, draft["d"], assessment)
    reply.blocks.insert(0, Text(texts.CONTEXT_SAVED.format(context=context.describe())))
    return reply


async def change_context(turn: Turn) -> Reply:
    draft = draft_from(turn)
    return ask_context(turn, draft["d"]) if draft else Reply([Text(texts.DRAFT_EXPIRED)])


async def fix(turn: Turn) -> Reply:
    draft = draft_from(turn)
    if draft is None:
        return Reply([Text(texts.DRAFT_EXPIRED)])
    assessment = turn.bot.policy.check(draft["d"], draft["a"], bool(draft["o"]))
    if assessment.fixed == draft["d"]:
        return Reply([Text(texts.FIX_NOTHING)])
    if assessment.verdict.label == "stop":
        reasons = ", ".join(sorted({f.section.title for f in assessment.findings if f.verdict.label == "stop"}))
        if not assessment.fixed.strip():
            return Reply([Text(texts.FIX_STOP_NOTHING_LEFT.format(reasons=reasons))])
        return Reply([Text(texts.FIX_STOP.format(reasons=reasons)), Text(f"```\n{assessment.fixed}\n```")])
    return Reply([Text(texts.FIXED_INTRO), Text(f"```\n{assessment.fixed}\n```")])


async def send_for_review(turn: Turn) -> Reply:
    return await _create_review(turn, "draft")


async def appeal(turn: Turn) -> Reply:
    return await _create_review(turn, "appeal")


async def _create_review(turn: Turn, kind: str) -> Reply:
    from bot.reviews import notify_reviewers

    draft = draft_from(turn)
    if draft is None:
        return Reply([Text(texts.DRAFT_EXPIRED)])
    assessment = turn.bot.policy.check(draft["d"], draft["a"], bool(draft["o"]))
    now = turn.bot.clock()
    review_id = await turn.bot.store.create_review(
        kind=kind,
        author_id=turn.user.id,
        author_name=turn.user.name or turn.incoming.user.name,
        draft=draft["d"],
        account=draft["a"],
        on_duty=bool(draft["o"]),
        verdict=assessment.verdict.label,
        rules=[f.rule for f in assessment.findings],
        created_at=now,
        purge_after=now + turn.bot.settings.retention_days * 86400,
    )
    log.info("review created id=%s kind=%s user=%s verdict=%s", review_id, kind, turn.user.id, assessment.verdict.label)
    if kind == "draft":
        await notify_reviewers(turn.bot, review_id)
        return Reply([Text(texts.SENT_FOR_REVIEW.format(id=review_id, days=turn.bot.settings.retention_days))])
    turn.user.awaiting = json.dumps({"kind": "appeal_reason", "id": review_id})
    await turn.bot.store.save_user(turn.user)
    return Reply([Text(texts.APPEAL_ASK_REASON.format(id=review_id))])


async def appeal_reason(turn: Turn) -> Reply:
    from bot.reviews import notify_reviewers

    waiting = json.loads(turn.user.awaiting or "{}")
    review_id = int(waiting.get("id", 0))
    reason = turn.incoming.text.strip()
    if reason.lower() not in ("skip", "no", "none", "-"):
        await turn.bot.store.set_review_reason(review_id, turn.user.id, reason[:2000])
    turn.user.awaiting = None
    await turn.bot.store.save_user(turn.user)
    await notify_reviewers(turn.bot, review_id)
    return Reply([Text(texts.APPEAL_SENT.format(id=review_id))])


async def rewrite(turn: Turn) -> Reply:
    draft = draft_from(turn)
    if draft is None or draft.get("a") not in ("personal", "official"):
        return Reply([Text(texts.DRAFT_EXPIRED)])
    return await assisted.rewrite_reply(turn, draft)


ACTIONS = {
    "draft.rewrite": rewrite,
    "context.set": set_context,
    "context.ask": change_context,
    "draft.fix": fix,
    "draft.review": send_for_review,
    "draft.appeal": appeal,
}
AWAITING = {"appeal_reason": appeal_reason}
