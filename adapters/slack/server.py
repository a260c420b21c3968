"""Two ways to reach Slack: an HTTP endpoint on aiohttp, or Socket Mode (no inbound internet)."""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.app import SlackAdapter

log = logging.getLogger("policybot.slack")


def slack_routes(adapter: SlackAdapter) -> list[web.RouteDef]:
    async def events(request: web.Request) -> web.Response:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not request.headers.get("X-Slack-Signature"):
            log.warning("slack request refused: no signature")
            return web.json_response({"error": "missing X-Slack-Signature"}, status=401)
        if not timestamp.isdigit():
            log.warning("slack request refused: malformed timestamp")
            return web.json_response({"error": "X-Slack-Request-Timestamp must be a number"}, status=400)
        bolt_response = await adapter.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    return [web.post("/slack/events", events)]


class SocketModeDown(Exception):
    """The Socket Mode connection stayed down: `policybot serve` exits with status 3 so that a
    supervisor restarts it."""

    exit_code = 3


async def run_socket_mode(adapter: SlackAdapter, app_token: str, stale_after: float = 120, check_every: float = 5):
    """Connect, then watch: slack_sdk reconnects stale sessions itself (ping/pong); if the
    connection stays down longer than `stale_after` seconds, stop with a non-zero exit."""
    handler = AsyncSocketModeHandler(adapter.app, app_token, ping_interval=min(10.0, stale_after / 4))
    await handler.connect_async()
    log.info("socket mode connected")
    adapter.socket_down = ""
    down_since: float | None = None
    try:
        while True:
            await asyncio.sleep(check_every)
            if await handler.client.is_connected():
                down_since, adapter.socket_down = None, ""
                continue
            down_since = down_since or time.monotonic()
            adapter.socket_down = "the Slack Socket Mode connection is down"
            log.warning("socket mode connection is down; reconnecting")
            try:
                await handler.client.connect_to_new_endpoint()
            except Exception as error:  # any failure here means: still down
                log.warning("socket mode reconnect failed: %r", error)
            if time.monotonic() - down_since > stale_after:
                raise SocketModeDown(f"no Socket Mode connection for {stale_after:.0f} seconds")
    finally:
        await handler.close_async()
