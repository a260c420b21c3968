"""The Slack adapter: Slack payloads -> Incoming, Reply -> Block Kit, and nothing else.

Every request is acknowledged first; the work runs after, in tracked tasks. Retried
events (same event_id) are processed once, keyed in the store so it holds across replicas.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import message, to_blocks
from adapters.tasks import TaskTracker
from bot.app import quiet_loggers
from bot.core import Bot
from bot.home import home_reply
from bot.messages import Incoming, Reply, User
from bot.services import Unreachable

log = logging.getLogger("policybot.slack")
quiet_loggers("slack_bolt", "slack_sdk", "policybot.slack.bolt")  # they log request bodies, with drafts, at DEBUG
GONE = {
    "user_not_found",
    "account_inactive",
    "cannot_dm_bot",
    "user_disabled",
    "is_archived",
    "not_in_channel",
    "channel_not_found",
    "user_is_restricted",
}


def web_client(token: str, api_url: str) -> AsyncWebClient:
    """Every Web API call honours 429 Retry-After and retries dropped connections."""
    return AsyncWebClient(
        token=token,
        base_url=api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=5), AsyncConnectionErrorRetryHandler()],
    )


def slack_user(team: str, user: str, name: str = "") -> User:
    return User(f"slack:{team}:{user}", name or user, tenant=team)


class SlackMessenger:
    """Proactive DMs (conversations.open + chat.postMessage) and the review channel."""

    def __init__(self, client: AsyncWebClient, review_channel: str, reviewers: tuple[str, ...]) -> None:
        self.client, self.review_channel, self.reviewers = client, review_channel, reviewers

    async def send(self, user_id: str, reply: Reply) -> None:
        platform, _, slack_id = user_id.partition(":")
        if platform != "slack":
            return
        member = slack_id.split(":")[-1]
        try:
            opened = await self.client.conversations_open(users=member)
            await self.client.chat_postMessage(channel=opened["channel"]["id"], **message(reply))
        except SlackApiError as error:
            if error.response.get("error") in GONE:
                raise Unreachable(user_id) from None
            raise

    async def send_reviewers(self, reply: Reply, review_id: int | None = None) -> None:
        if self.review_channel:
            await self.client.chat_postMessage(channel=self.review_channel, **message(reply))
            return
        for reviewer in self.reviewers:
            await self.send(reviewer, reply)


class SlackAdapter:
    def __init__(self, bot: Bot, client: AsyncWebClient, signing_secret: str | None, review_channel: str = "") -> None:
        self.bot, self.client, self.review_channel = bot, client, review_channel
        self.tasks = TaskTracker()
        self.zones_asked: set[str] = set()  # users whose time zone was asked of Slack in this process
        self.locales: dict[str, str] = {}  # the language Slack reports for each of them ("fr-CA")
        self.socket_down = ""  # Socket Mode: what is wrong with the connection, for /readyz
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret or "socket-mode",
            request_verification_enabled=bool(signing_secret),
            logger=logging.getLogger("policybot.slack.bolt"),
        )
        self.app.event("message")(self.on_message)
        self.app.event("app_home_opened")(self.on_home_opened)
        self.app.command(re.compile(r"^/policy"))(self.on_command)
        self.app.action(re.compile(r".+"))(self.on_action)

    def user(self, team: str, member: str, name: str = "") -> User:
        found = slack_user(team, member, name)
        return replace(found, locale=self.locales.get(found.id, ""))

    # events --------------------------------------------------------------------------------
    async def on_message(self, body: dict, event: dict) -> None:
        if event.get("subtype") or event.get("channel_type") != "im":
            return  # edits, joins and other subtypes; channels other than the DM
        user = self.user(body.get("team_id", ""), event.get("user", ""))
        incoming = Incoming(
            "slack",
            user,
            event["channel"],
            "message",
            text=event.get("text", ""),
            event_id=body.get("event_id", ""),
            from_bot=bool(event.get("bot_id")),
        )
        self.tasks.start(self.answer(incoming, channel=event["channel"]), "slack-message")

    async def on_home_opened(self, body: dict, event: dict) -> None:
        if event.get("tab", "home") != "home" or not await self.bot.first_time("slack", body.get("event_id", "")):
            return
        self.tasks.start(self.publish_home(body.get("team_id", ""), event["user"]), "slack-home")

    # commands and actions ------------------------------------------------------------------
    async def on_command(self, ack, body: dict, respond) -> None:
        await ack()
        user = self.user(body.get("team_id", ""), body["user_id"], body.get("user_name", ""))
        incoming = Incoming(
            "slack", user, body.get("channel_id", ""), "command", command="policy", argument=body.get("text", "")
        )
        self.tasks.start(self.answer_by(incoming, respond), "slack-command")

    async def on_action(self, ack, body: dict, action: dict, respond) -> None:
        await ack()
        team = (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
        user = self.user(team, body["user"]["id"], body["user"].get("name", ""))
        channel = (body.get("channel") or {}).get("id", "")
        incoming = Incoming(
            "slack",
            user,
            channel,
            "action",
            action=action["action_id"].split("#")[0],
            value=action.get("value", ""),
            reviewer=bool(channel) and channel == self.review_channel,
        )
        self.tasks.start(self.answer_action(incoming, body, action, respond), "slack-action")

    # work after the ack --------------------------------------------------------------------
    async def answer(self, incoming: Incoming, channel: str) -> None:
        reply = await self.bot.handle(incoming)
        if reply is None:
            return
        await self.client.chat_postMessage(channel=channel, **message(reply))
        if incoming.user.id not in self.zones_asked:  # nudges go out in the user's own working hours
            self.zones_asked.add(incoming.user.id)
            info = await self.client.users_info(user=incoming.user.id.rsplit(":", 1)[-1], include_locale=True)
            profile = info.get("user") or {}
            self.locales[incoming.user.id] = str(profile.get("locale") or "")
            await self.bot.learn_timezone(incoming.user.id, profile.get("tz"))

    async def answer_by(self, incoming: Incoming, respond) -> None:
        reply = await self.bot.handle(incoming)
        if reply is not None:
            await respond(response_type="ephemeral", replace_original=False, **message(reply))

    async def answer_action(self, incoming: Incoming, body: dict, action: dict, respond) -> None:
        reply = await self.bot.handle(incoming)
        if reply is None:
            return
        if body.get("view", {}).get("type") == "home" or not body.get("response_url"):
            await SlackMessenger(self.client, "", ()).send(incoming.user.id, reply)
            await self.publish_home(incoming.user.tenant, body["user"]["id"])
            return
        original = (body.get("message") or {}).get("blocks")
        if original:  # the clicked message loses its buttons, so a stale click cannot come later
            chosen = action.get("text", {}).get("text", "")
            await respond(replace_original=True, text=chosen or "done", blocks=settle(original, chosen, body))
        await respond(replace_original=False, **message(reply))

    async def publish_home(self, team: str, member: str) -> None:
        user = self.user(team, member)
        reply = await home_reply(self.bot, user)
        await self.client.views_publish(user_id=member, view={"type": "home", "blocks": to_blocks(reply)})


def settle(blocks: list[dict[str, Any]], chosen: str, body: dict) -> list[dict[str, Any]]:
    kept = [b for b in blocks if b.get("type") != "actions"]
    who = body["user"]["id"]
    kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"<@{who}> chose: *{chosen}*"}]})
    return kept
