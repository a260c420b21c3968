"""A fake Slack on localhost: the Web API (recording calls, checking the token, answering 429
on demand), response_url endpoints, and a Socket Mode websocket."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from aiohttp import WSMsgType, web

from tests.localhost import FakeServer

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SIGNING_SECRET = "test-signing-secret"


def serve_env(fake: FakeSlack, database: object, **settings: str) -> dict[str, str]:
    """The environment for `policybot serve --slack` against this fake Slack."""
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "POLICYBOT_DATABASE": str(database),
        **settings,
    }


class FakeSlack(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict]] = []
        self.responses: list[dict] = []  # bodies POSTed to response_url
        self.rate_limited: dict[str, int] = {}  # method -> how many 429s to answer first
        self.socket_acks: list[dict] = []
        self.socket_queue: asyncio.Queue = asyncio.Queue()

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/api/{method}", self.api),
            web.get("/api/{method}", self.api),
            web.post("/respond/{key}", self.respond),
            web.get("/socket", self.socket),
        ]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{key}"

    @staticmethod
    def locale_of(params: dict) -> dict:
        """Slack reports a user's locale only when asked; users whose id starts with UFR are French."""
        if params.get("include_locale") not in ("1", "true", "True"):
            return {}
        return {"locale": "fr-CA" if str(params.get("user", "")).startswith("UFR") else "en-US"}

    async def record(self, kind: list, item) -> None:
        kind.append(item)
        await self.recorder.notify()

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if request.headers.get("Authorization") != f"Bearer {expected}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        raw = await request.text()
        if request.content_type == "application/json":
            params = json.loads(raw or "{}")
        elif request.content_type == "multipart/form-data":
            params = dict(await request.post())
        else:
            params = dict(parse_qsl(raw))
        params = {**dict(request.query), **params}
        if self.rate_limited.get(method):
            self.rate_limited[method] -= 1
            await self.record(self.calls, (method + ":429", params))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        await self.record(self.calls, (method, params))
        answers: dict[str, Callable[[], dict]] = {
            "auth.test": lambda: {"user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "policybot"},
            "conversations.open": lambda: {"channel": {"id": "D" + str(params.get("users", "X"))}},
            "chat.postMessage": lambda: {"ts": f"{time.time():.6f}", "channel": params.get("channel")},
            "apps.connections.open": lambda: {"url": f"ws://127.0.0.1:{self.port}/socket"},
            "users.info": lambda: {
                "user": {"id": params.get("user"), "tz": "America/Chicago", **self.locale_of(params)}
            },
        }
        return web.json_response({"ok": True, **answers.get(method, dict)()})

    async def respond(self, request: web.Request) -> web.Response:
        await self.record(self.responses, await request.json())
        return web.Response(text="ok")

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})

        async def sender() -> None:
            while True:
                await ws.send_json(await self.socket_queue.get())

        task = asyncio.create_task(sender())
        try:
            async for frame in ws:
                if frame.type == WSMsgType.TEXT:
                    await self.record(self.socket_acks, json.loads(frame.data))
        finally:
            task.cancel()
        return ws

    async def wait_for(self, predicate: Callable[[], object], timeout: float = 10) -> object:
        return await self.recorder.wait_for(predicate, timeout, lambda: f"calls: {self.calls!r}"[-1500:])

    def posted(self, channel: str | None = None) -> list[dict]:
        return [p for m, p in self.calls if m == "chat.postMessage" and channel in (None, p.get("channel"))]


def sign(body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def event_body(event: dict, event_id: str = "Ev1", team: str = "T1") -> str:
    return json.dumps(
        {
            "token": "x",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
        }
    )


def dm_event(text: str, user: str = "UALICE", channel: str = "DALICE", **extra) -> dict:
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        "channel_type": "im",
        **extra,
    }


def command_body(text: str, response_url: str, user: str = "UALICE") -> tuple[str, str]:
    form = {
        "command": "/policy",
        "text": text,
        "team_id": "T1",
        "user_id": user,
        "user_name": user.lower(),
        "channel_id": "CGEN",
        "response_url": response_url,
        "trigger_id": "t1",
        "token": "x",
    }
    return urlencode(form), "application/x-www-form-urlencoded"


def action_body(
    button: dict, response_url: str, user: str = "UALICE", channel: str = "DALICE", blocks: list | None = None
) -> tuple[str, str]:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user, "name": user.lower(), "team_id": "T1"},
        "api_app_id": "A1",
        "token": "x",
        "trigger_id": "t1",
        "response_url": response_url,
        "container": {"type": "message", "channel_id": channel, "message_ts": "1.0"},
        "channel": {"id": channel},
        "message": {"ts": "1.0", "blocks": blocks or []},
        "actions": [{**button, "block_id": "b1", "action_ts": "1.0"}],
    }
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]


def button(blocks: list[dict], label: str) -> dict:
    found = [b for b in buttons(blocks) if b["text"]["text"].lower().startswith(label.lower())]
    assert found, f"no button {label!r} in {[b['text']['text'] for b in buttons(blocks)]}"
    return found[0]
