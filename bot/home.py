"""A user's overview (Slack's App Home, Teams' welcome card): settings, quiz progress, review queue."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.account import settings_reply
from bot.catalog import speaking, texts
from bot.messages import Fields, Incoming, Reply, Text, User
from bot.reviews import item_reply
from bot.services import Services
from bot.turn import Turn


async def home_reply(bot: Services, user: User, reviewer: bool = False) -> Reply:
    """In the language the user chose, else the one they last wrote in, else their platform's
    (`user.locale`), else English."""
    record = await bot.store.get_user(user.id, user.name)
    with speaking(record.speaks or user.locale):
        return await _home(bot, Turn(bot, Incoming("home", user, user.id, "message", reviewer=reviewer), record))


async def _home(bot: Services, turn: Turn) -> Reply:
    user = turn.user
    reply = Reply([Text.of(texts.HOME_INTRO, policy=bot.policy.name)])
    results = await bot.store.quiz_results(user.id)
    if results:
        last = results[-1]
        when = datetime.fromtimestamp(last["finished_at"], UTC).strftime("%Y-%m-%d")
        total = sum(r["score"] for r in results), sum(r["total"] for r in results)
        names = texts.TRAINING_FIELDS
        progress = (
            (names["taken"], str(len(results))),
            (names["last"], texts.TRAINING_LAST.format(score=last["score"], total=last["total"], when=when)),
            (names["all"], texts.TRAINING_ALL.format(right=total[0], total=total[1])),
        )
    else:
        progress = ((texts.TRAINING_FIELDS["taken"], texts.TRAINING_NONE),)
    reply.add(Fields(progress, title=texts.TRAINING_TITLE))
    reply.blocks.extend(settings_reply(turn).blocks)
    if turn.is_reviewer:
        items = await bot.store.list_reviews()
        reply.add(Text.of(texts.HOME_QUEUE, count=len(items)))
        for item in items[:10]:
            reply.blocks.extend(item_reply(bot.policy, item).blocks)
    return reply
