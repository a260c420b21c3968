"""A fake OpenAI-compatible chat server on an ephemeral port, over real HTTP.

Each request takes the next scripted behaviour: ("json", dict) answers with that JSON as the
message content; ("text", str) with raw text; ("slow", seconds) waits before answering;
("status", code) fails with that HTTP status. Requests are recorded as parsed JSON.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web


class FakeLLM:
    def __init__(self) -> None:
        self.script: list[tuple[str, Any]] = []
        self.requests: list[dict] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> FakeLLM:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._complete)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/v1"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def then(self, kind: str, value: Any) -> FakeLLM:
        self.script.append((kind, value))
        return self

    def system_prompts(self) -> list[str]:
        return [r["messages"][0]["content"] for r in self.requests]

    def user_messages(self) -> list[str]:
        return [r["messages"][1]["content"] for r in self.requests]

    async def _complete(self, request: web.Request) -> web.Response:
        self.requests.append(await request.json())
        kind, value = self.script.pop(0) if self.script else ("status", 500)
        if kind == "slow":
            await asyncio.sleep(value)
            kind, value = "json", {"answer": "too late", "cited_sections": ["disclaimers"]}
        if kind == "status":
            return web.json_response({"error": {"message": "scripted failure"}}, status=value)
        content = json.dumps(value) if kind == "json" else value
        return web.json_response(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 0,
                "model": "fake",
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
            }
        )
