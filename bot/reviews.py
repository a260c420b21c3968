"""The review queue: drafts sent for pre-approval and appeals, decided once by a reviewer."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot.catalog import context_words, language, texts, title_of
from bot.drafts import draft_of
from bot.messages import Choices, Fields, Reply, Text
from bot.payloads import Awaiting, Decision, encode
from bot.services import Services
from bot.store import DECISIONS, OPEN, ReviewItem
from bot.turn import Turn, choice
from policy import Policy

log = logging.getLogger("policybot")
ASKS_FOR_COMMENT = ("send_back", "overturn")
SKIP_WORDS = ("skip", "no", "none", "-", "passer", "non", "aucun", "omitir", "ninguno")


def findings_of(policy: Policy, item: ReviewItem) -> str:
    """What each rule behind the verdict says, with its section, instead of the rule ids."""
    rows = {row.id: row for row in policy.rows}
    lines = []
    for rule in dict.fromkeys(item.rules):
        row = rows.get(rule)
        if row is None:
            lines.append(f"• {rule}")
        else:
            section = policy.sections.get(row.section)
            lines.append(f"• {row.message_in(language())} ({title_of(section) if section else row.section})")
    return "\n".join(lines) or "none"


def item_reply(policy: Policy, item: ReviewItem) -> Reply:
    created = datetime.fromtimestamp(item.created_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    names = texts.REVIEW_FIELDS
    context = context_words(item.account, item.on_duty)
    fields = [
        (names["item"], f"#{item.id}"),
        (names["from"], item.author_name or item.author_id),
        (names["context"], context),
        (names["verdict"], item.verdict),
        (names["findings"], findings_of(policy, item)),
        (names["sent"], created),
    ]
    if item.reason:
        fields.append((names["reason"], item.reason))
    reply = Reply([Fields(tuple(fields), title=texts.REVIEW_TITLES[item.kind].format(id=item.id))])
    reply.add(Text.of("> {draft}", draft=item.draft) if item.draft else Text.of(texts.DRAFT_PURGED))
    if item.status != OPEN:
        reply.add(
            Text.of(texts.DECIDED_BY, status=texts.STATUS_WORDS.get(item.status, item.status), who=item.decided_by)
        )
        return reply
    decisions = texts.REVIEW_BUTTONS[item.kind]
    buttons = tuple(
        choice(label, "review.decide", Decision(item.id, decision), "primary" if n == 0 else "default")
        for n, (label, decision) in enumerate(decisions)
    )
    return reply.add(Choices(buttons))


async def notify_reviewers(services: Services, review_id: int) -> None:
    item = await services.store.get_review(review_id)
    if item is not None:
        await services.messenger.send_reviewers(item_reply(services.policy, item), review_id)


async def send_for_review(turn: Turn) -> Reply:
    return await _create_review(turn, "draft")


async def appeal(turn: Turn) -> Reply:
    return await _create_review(turn, "appeal")


async def _create_review(turn: Turn, kind: str) -> Reply:
    text, context, _ = draft_of(turn)
    services = turn.services
    assessment = await services.engine.run(services.policy.check, text, context.account, context.on_duty)
    now = services.clock()
    review_id = await services.store.create_review(
        kind=kind,
        author_id=turn.user.id,
        author_name=turn.user.name or turn.incoming.user.name,
        draft=text,
        account=context.account,
        on_duty=context.on_duty,
        verdict=assessment.verdict.label,
        rules=[f.rule for f in assessment.findings],
        created_at=now,
        purge_after=now + services.settings.retention_days * 86400,
    )
    log.info("review created id=%s kind=%s user=%s verdict=%s", review_id, kind, turn.user.id, assessment.verdict.label)
    if kind == "draft":
        await notify_reviewers(services, review_id)
        return Reply([Text.of(texts.SENT_FOR_REVIEW, id=review_id, days=services.settings.retention_days)])
    turn.user.awaiting = encode(Awaiting("appeal_reason", review_id))
    await turn.save_user()
    return Reply([Text.of(texts.APPEAL_ASK_REASON, id=review_id)])


async def appeal_reason(turn: Turn, awaiting: Awaiting) -> Reply:
    reason = turn.incoming.text.strip()
    if reason.lower() not in SKIP_WORDS:
        await turn.services.store.set_review_reason(awaiting.review, turn.user.id, reason[:2000])
    await notify_reviewers(turn.services, awaiting.review)
    return Reply([Text.of(texts.APPEAL_SENT, id=awaiting.review)])


async def queue(turn: Turn) -> Reply:
    if not turn.is_reviewer:
        return Reply([Text.of(texts.NOT_A_REVIEWER)])
    items = await turn.services.store.list_reviews(OPEN)
    if not items:
        return Reply([Text.of(texts.QUEUE_EMPTY)])
    reply = Reply([Text.of(texts.QUEUE_COUNT, count=len(items))])
    for item in items:
        reply.blocks.extend(item_reply(turn.services.policy, item).blocks)
    return reply


async def decide(turn: Turn) -> Reply:
    if not turn.is_reviewer:
        return Reply([Text.of(texts.NOT_A_REVIEWER)])
    picked = turn.payload(Decision)
    item = await turn.services.store.get_review(picked.review)
    if item is None or picked.decision not in DECISIONS:
        return Reply([Text.of(texts.NO_SUCH_ITEM, id=picked.review)])
    if item.status != OPEN:
        return _already(item)
    if picked.decision in ASKS_FOR_COMMENT:
        turn.user.awaiting = encode(Awaiting("review_comment", item.id, picked.decision))
        await turn.save_user()
        skip = choice(texts.SKIP_COMMENT, "review.skip_comment", picked)
        return Reply([Text.of(texts.ASK_COMMENT, id=item.id), Choices((skip,))])
    return await apply_decision(turn, item, picked.decision, "")


async def skip_comment(turn: Turn) -> Reply:
    if not turn.is_reviewer:
        return Reply([Text.of(texts.NOT_A_REVIEWER)])
    picked = turn.payload(Decision)
    turn.user.awaiting = None
    await turn.save_user()
    item = await turn.services.store.get_review(picked.review)
    if item is None or picked.decision not in DECISIONS:
        return Reply([Text.of(texts.NO_SUCH_ITEM, id=picked.review)])
    return await apply_decision(turn, item, picked.decision, "")


async def comment(turn: Turn, awaiting: Awaiting) -> Reply:
    item = await turn.services.store.get_review(awaiting.review)
    if item is None or awaiting.decision not in DECISIONS:
        return Reply([Text.of(texts.NO_SUCH_ITEM, id=awaiting.review)])
    note = turn.incoming.text.strip()
    note = "" if note.lower() in SKIP_WORDS else note[:2000]
    return await apply_decision(turn, item, awaiting.decision, note)


async def apply_decision(turn: Turn, item: ReviewItem, decision: str, note: str) -> Reply:
    services = turn.services
    status = DECISIONS[decision]
    keep = services.settings.keep_decided or status == "overturned"  # kept until exported as an example
    decided = await services.store.decide_review(item.id, status, turn.user.id, note, services.clock(), keep)
    if not decided:
        fresh = await services.store.get_review(item.id)
        return _already(fresh or item)
    log.info("review decided id=%s status=%s by=%s", item.id, status, turn.user.id)
    comment_part = f" Comment: {note}" if note else ""
    outcome = Text.of(texts.OUTCOMES[status], id=item.id, comment=note or "no comment", comment_part=comment_part)
    await services.messenger.send(item.author_id, Reply([outcome]))
    return Reply([Text.of(texts.DECIDED, id=item.id, status=texts.STATUS_WORDS[status])])


def _already(item: ReviewItem) -> Reply:
    status = texts.STATUS_WORDS.get(item.status, item.status)
    return Reply([Text.of(texts.ALREADY_DECIDED, id=item.id, status=status, who=item.decided_by or "someone")])


async def export_examples(services: Services) -> str:
    """Overturned appeals as JSON lines for an overlay pack's `examples/`, labelled with no
    signals (the reviewers found nothing wrong); each carries a note with what the check found.
    Review each line before you train on it."""
    items = [i for i in await services.store.list_reviews("overturned") if i.kind == "appeal" and i.draft]
    lines = [
        json.dumps(
            {
                "text": item.draft,
                "signals": [],
                "detectors": [],
                "note": f"overturned appeal #{item.id}; the check had found: {', '.join(item.rules) or 'nothing'}",
            },
            ensure_ascii=False,
        )
        for item in items
    ]
    if items:
        await services.store.mark_exported([i.id for i in items])
    return "".join(line + "\n" for line in lines)


ACTIONS = {
    "review.decide": decide,
    "review.skip_comment": skip_comment,
    "draft.review": send_for_review,
    "draft.appeal": appeal,
}
AWAITING = {"appeal_reason": appeal_reason, "review_comment": comment}
