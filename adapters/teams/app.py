"""The Teams adapter: Bot Framework activities -> Incoming, Reply -> Adaptive Card, and nothing else.

Each activity id is processed once (Teams resends an activity it got no answer to in time),
keyed in the store. Conversation references are stored when a user first writes and on
install (conversationUpdate), so review outcomes and nudges reach users proactively.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import jwt
from aiohttp import web
from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ConversationReference

from adapters.teams.render import settled, to_card
from bot.app import quiet_loggers
from bot.core import Bot
from bot.home import home_reply
from bot.messages import Incoming, Reply, User
from bot.services import Unreachable
from bot.store import Store

log = logging.getLogger("policybot.teams")
quiet_loggers("botbuilder", "botframework", "msrest")  # they log request bodies, with drafts, at DEBUG
GONE_STATUS = {403, 404}


def teams_user(activity: Activity) -> User:
    sender = activity.from_property
    tenant = (activity.conversation.tenant_id if activity.conversation else None) or (activity.channel_data or {}).get(
        "tenant", {}
    ).get("id", "")
    member = getattr(sender, "aad_object_id", None) or sender.id
    return User(f"teams:{tenant}:{member}", sender.name or "", tenant=tenant)


def card_activity(reply: Reply) -> Activity:
    activity = MessageFactory.attachment(CardFactory.adaptive_card(to_card(reply)))
    activity.summary = reply.plain()[:200]  # shown in notifications
    activity.text = None
    return activity


class TeamsBot(ActivityHandler):
    def __init__(self, bot: Bot, review_channel: str = "") -> None:
        self.bot, self.review_channel = bot, review_channel

    async def remember(self, turn_context: TurnContext, key: str) -> None:
        reference = TurnContext.get_conversation_reference(turn_context.activity)
        await self.bot.store.save_conversation(key, "teams", reference.serialize(), time.time())

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else ""
        if any(member.id == bot_id for member in activity.members_added or []):
            key = self.reference_key(activity)
            await self.remember(turn_context, key)
            log.info("teams install stored conversation=%s", key)
            if activity.conversation and activity.conversation.conversation_type == "personal":
                user = replace(teams_user(activity), locale=activity.locale or "")
                reply = await home_reply(self.bot, user)
                await turn_context.send_activity(card_activity(reply))

    def reference_key(self, activity: Activity) -> str:
        conversation = activity.conversation
        if conversation and conversation.conversation_type == "channel":
            return f"teams-channel:{conversation.id}"
        return teams_user(activity).id

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        user = replace(teams_user(activity), timezone=activity.local_timezone or "", locale=activity.locale or "")
        in_channel = bool(activity.conversation and activity.conversation.conversation_type == "channel")
        if not in_channel:
            await self.remember(turn_context, user.id)
        value = activity.value if isinstance(activity.value, dict) else None
        if value and "action" in value:
            incoming = Incoming(
                "teams",
                user,
                activity.conversation.id,
                "action",
                action=str(value["action"]),
                value=str(value.get("value", "")),
                direct=not in_channel,
                reviewer=in_channel and activity.conversation.id == self.review_channel,
                event_id=activity.id or "",
            )
            reply = await self.bot.handle(incoming)
            if reply is not None:
                await self.settle(turn_context, value, user)
        else:
            text = TurnContext.remove_recipient_mention(activity) if activity.entities else activity.text
            incoming = Incoming(
                "teams",
                user,
                activity.conversation.id,
                "message",
                text=(text or "").strip(),
                direct=not in_channel,
                event_id=activity.id or "",
            )
            reply = await self.bot.handle(incoming)
        if reply is not None:
            await self.deliver(turn_context, reply)

    async def deliver(self, turn_context: TurnContext, reply: Reply) -> None:
        """A reply Teams will not take is logged in one line; the request itself still succeeds,
        as the Bot Framework expects of a processed activity."""
        try:
            await turn_context.send_activity(card_activity(reply))
        except Exception as error:  # the connector's errors come in several types
            status = getattr(getattr(error, "response", None), "status_code", None) or getattr(error, "status", "")
            log.warning(
                "teams reply not delivered activity=%s status=%s error=%s",
                turn_context.activity.id,
                status,
                type(error).__name__,
            )

    async def settle(self, turn_context: TurnContext, value: dict, user: User) -> None:
        """Replace the card whose button was used, so a stale button cannot be used again."""
        activity = turn_context.activity
        if not activity.reply_to_id:
            return
        chosen = str(value.get("label") or value.get("action", ""))
        card = settled(to_card(Reply()), chosen, user.name or "You")
        updated = MessageFactory.attachment(CardFactory.adaptive_card(card))
        updated.id = activity.reply_to_id
        try:
            await turn_context.update_activity(updated)
        except Exception as error:  # older clients cannot update; the core's compare-and-set still holds
            log.info("could not update the used card: %r", error)


class TeamsMessenger:
    """Proactive messages with continue_conversation on a stored ConversationReference."""

    def __init__(
        self,
        adapter: CloudAdapter,
        store: Store,
        app_id: str,
        review_channel: str = "",
        reviewers: tuple[str, ...] = (),
    ) -> None:
        self.adapter, self.store, self.app_id = adapter, store, app_id
        self.review_channel, self.reviewers = review_channel, reviewers

    async def send(self, user_id: str, reply: Reply) -> None:
        await self._send_to(user_id, reply)

    async def _send_to(self, key: str, reply: Reply) -> None:
        stored = await self.store.get_conversation(key, "teams")
        if stored is None:
            raise Unreachable(key)
        reference = ConversationReference().deserialize(stored)

        async def deliver(turn_context: TurnContext) -> None:
            await turn_context.send_activity(card_activity(reply))

        try:
            await self.adapter.continue_conversation(reference, deliver, bot_app_id=self.app_id or None)
        except Exception as error:
            status = getattr(getattr(error, "response", None), "status_code", None)
            if status in GONE_STATUS:
                raise Unreachable(key) from None
            raise

    async def send_reviewers(self, reply: Reply, review_id: int | None = None) -> None:
        if self.review_channel:
            await self._send_to(f"teams-channel:{self.review_channel}", reply)
            return
        for reviewer in self.reviewers:
            if reviewer.startswith("teams:"):
                await self._send_to(reviewer, reply)


def create_adapter(config) -> CloudAdapter:
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(config, logger=log))


def teams_routes(adapter: CloudAdapter, teams_bot: TeamsBot) -> list[web.RouteDef]:
    async def messages(request: web.Request) -> web.Response:
        try:
            return await adapter.process(request, teams_bot)
        except web.HTTPException:
            raise
        except (PermissionError, jwt.PyJWTError) as error:  # no, malformed or invalid token
            log.warning("teams request refused: %s", type(error).__name__)
            raise web.HTTPUnauthorized() from None

    return [web.post("/api/messages", messages)]
