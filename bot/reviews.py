"""The review queue: drafts sent for pre-approval and appeals, decided once by a reviewer."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot import texts
from bot.core import Bot, Turn, choice
from bot.messages import Choices, Fields, Reply, Text
from bot.store import DECISIONS, OPEN, ReviewItem

log = logging.getLogger("policybot")


def item_reply(item: ReviewItem) -> Reply:
    title = "Draft for pre-approval" if item.kind == "draft" else "Appeal of a verdict"
    created = datetime.fromtimestamp(item.created_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    fields = [
        ("Item", f"#{item.id}"),
        ("From", item.author_name or item.author_id),
        ("Checked as", f"{item.account} account, {'on duty' if item.on_duty else 'off duty'}"),
        ("Verdict", item.verdict),
        ("Rules", ", ".join(item.rules) or "none"),
        ("Sent", created),
    ]
    if item.reason:
        fields.append(("Author's reason", item.reason))
    reply = Reply([Fields(tuple(fields), title=f"{title} #{item.id}")])
    reply.add(Text(f"> {item.draft}" if item.draft else "_(draft text purged)_"))
    if item.status != OPEN:
        reply.add(Text(f"Decided: {texts.STATUS_WORDS.get(item.status, item.status)} by {item.decided_by}"))
        return reply
    decisions = (
        (("Approve", "approve"), ("Send back", "send_back"))
        if item.kind == "draft"
        else (("Uphold the verdict", "uphold"), ("Overturn", "overturn"))
    )
    reply.add(
        Choices(
            tuple(
                choice(label, "review.decide", {"id": item.id, "d": decision}, "primary" if n == 0 else "default")
                for n, (label, decision) in enumerate(decisions)
            )
        )
    )
    return reply


async def notify_reviewers(bot: Bot, review_id: int) -> None:
    item = await bot.store.get_review(review_id)
    if item is not None:
        await bot.messenger.send_reviewers(item_reply(item), review_id)


async def queue(turn: Turn) -> Reply:
    if not turn.is_reviewer:
        return Reply([Text(texts.NOT_A_REVIEWER)])
    items = await turn.bot.store.list_reviews(OPEN)
    if not items:
        return Reply([Text(texts.QUEUE_EMPTY)])
    reply = Reply([Text(f"{len(items)} open item(s):")])
    for item in items:
        reply.blocks.extend(item_reply(item).blocks)
    return reply


async def decide(turn: Turn) -> Reply:
    if not turn.is_reviewer:
        return Reply([Text(texts.NOT_A_REVIEWER)])
    payload = turn.payload()
    decision = str(payload.get("d", ""))
    try:
        review_id = int(payload.get("id", 0))
    except (TypeError, ValueError):
        review_id = 0
    item = await turn.bot.store.get_review(review_id)
    if item is None or decision not in DECISIONS:
        return Reply([Text(texts.NO_SUCH_ITEM.format(id=review_id))])
    if item.status != OPEN:
        return _already(item)
    if decision == "send_back":
        turn.user.awaiting = json.dumps({"kind": "review_comment", "id": review_id, "d": decision})
        await turn.bot.store.save_user(turn.user)
        return Reply([Text(texts.ASK_COMMENT.format(id=review_id))])
    return await apply_decision(turn, item, decision, "")


async def comment(turn: Turn) -> Reply:
    waiting = json.loads(turn.user.awaiting or "{}")
    turn.user.awaiting = None
    await turn.bot.store.save_user(turn.user)
    item = await turn.bot.store.get_review(int(waiting.get("id", 0)))
    if item is None:
        return Reply([Text(texts.NO_SUCH_ITEM.format(id=waiting.get("id")))])
    return await apply_decision(turn, item, waiting.get("d", "send_back"), turn.incoming.text.strip()[:2000])


async def apply_decision(turn: Turn, item: ReviewItem, decision: str, note: str) -> Reply:
    status = DECISIONS[decision]
    keep = turn.bot.settings.keep_decided or status == "overturned"  # kept until exported as an example
    decided = await turn.bot.store.decide_review(item.id, status, turn.user.id, note, turn.bot.clock(), keep)
    if not decided:
        fresh = await turn.bot.store.get_review(item.id)
        return _already(fresh or item)
    log.info("review decided id=%s status=%s by=%s", item.id, status, turn.user.id)
    comment_part = f" Comment: {note}" if note else ""
    outcome = texts.OUTCOMES[status].format(id=item.id, comment=note or "no comment", comment_part=comment_part)
    await turn.bot.messenger.send(item.author_id, Reply([Text(outcome)]))
    return Reply([Text(texts.DECIDED.format(id=item.id, status=texts.STATUS_WORDS[status]))])


def _already(item: ReviewItem) -> Reply:
    return Reply(
        [
            Text(
                texts.ALREADY_DECIDED.format(
                    id=item.id,
                    status=texts.STATUS_WORDS.get(item.status, item.status),
                    who=item.decided_by or "someone",
                )
            )
        ]
    )


async def export_examples(bot: Bot) -> str:
    """Overturned appeals as JSON lines for an overlay pack's `examples/`, labelled with no
    signals (the reviewers found nothing wrong); each carries a note with what the check found.
    Review each line before you train on it."""
    import json

    items = [i for i in await bot.store.list_reviews("overturned") if i.kind == "appeal" and i.draft]
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
        await bot.store.mark_exported([i.id for i in items])
    return "".join(line + "\n" for line in lines)


ACTIONS = {"review.decide": decide}
AWAITING = {"review_comment": comment}
