"""A fake Bot Framework connector on localhost that records what the bot sends."""

from __future__ import annotations

import uuid

from aiohttp import web

from tests.localhost import FakeServer

TENANT = "tenant-1"


class FakeConnector(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str, dict]] = []  # (method, path, body)
        self.fail_next: list[int] = []  # statuses to answer the next sends with

    def routes(self) -> list[web.RouteDef]:
        return [web.route("*", "/{tail:.*}", self.record)]

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def record(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        self.calls.append((request.method, request.path, body))
        await self.recorder.notify()
        if self.fail_next and request.method == "POST":
            return web.json_response({"error": {"code": "Failed"}}, status=self.fail_next.pop(0))
        return web.json_response({"id": f"resp-{uuid.uuid4().hex[:8]}"})

    def sent_to(self, conversation: str) -> list[dict]:
        prefix = f"/v3/conversations/{conversation}/activities"
        return [b for m, p, b in self.calls if m == "POST" and p.startswith(prefix)]

    def cards_to(self, conversation: str) -> list[dict]:
        return [a["content"] for b in self.sent_to(conversation) for a in b.get("attachments") or []]

    async def wait_for(self, predicate, timeout: float = 10):
        return await self.recorder.wait_for(predicate, timeout, lambda: f"calls: {[(m, p) for m, p, _ in self.calls]}")


def activity(
    service_url: str,
    user: str,
    text: str = "",
    value: dict | None = None,
    kind: str = "message",
    conversation: str | None = None,
    conversation_type: str = "personal",
    reply_to: str | None = None,
    members_added: list | None = None,
    activity_id: str | None = None,
) -> dict:
    body = {
        "type": kind,
        "id": activity_id or f"act-{uuid.uuid4().hex[:10]}",
        "timestamp": "2026-11-25T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:{user}", "name": user.title(), "aadObjectId": f"aad-{user}"},
        "conversation": {
            "id": conversation or f"a:conv-{user}",
            "conversationType": conversation_type,
            "tenantId": TENANT,
        },
        "recipient": {"id": "28:policybot", "name": "policybot"},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-US",
    }
    if text:
        body["text"] = text
    if value is not None:
        body["value"] = value
    if reply_to:
        body["replyToId"] = reply_to
    if members_added is not None:
        body["membersAdded"] = members_added
    return body


def submit(card: dict, title: str) -> dict:
    actions = card.get("actions", []) + [a for b in card["body"] if b.get("type") == "ActionSet" for a in b["actions"]]
    found = [a for a in actions if a["title"].lower().startswith(title.lower())]
    assert found, f"no action {title!r} in {[a['title'] for a in actions]}"
    return found[0]["data"]
