"""Slack beyond the events route: Socket Mode, `policybot serve --slack` as a process, and Block Kit limits."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from adapters.slack.app import SlackAdapter, SlackMessenger, web_client
from adapters.slack.render import MAX_BLOCKS, to_blocks
from adapters.slack.server import run_socket_mode
from bot.core import Bot
from bot.messages import Choice, Choices, Reply, Text
from bot.services import BotSettings
from tests.fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack, dm_event, event_body, serve_env, sign
from tests.localhost import start_serve


async def test_socket_mode_envelope_in_ack_out_reply_posted(policy, store):
    fake = await FakeSlack().start()
    client = web_client(BOT_TOKEN, fake.api_url)
    bot = Bot(policy, store, SlackMessenger(client, "", ()), BotSettings())
    adapter = SlackAdapter(bot, client, None)
    runner = asyncio.create_task(run_socket_mode(adapter, APP_TOKEN, stale_after=30, check_every=0.5))
    try:
        await fake.wait_for(lambda: any(m == "apps.connections.open" for m, _ in fake.calls))
        await asyncio.sleep(0.5)
        envelope = {
            "envelope_id": "env-1",
            "type": "events_api",
            "accepts_response_payload": False,
            "payload": json.loads(
                event_body(dm_event("The door code is 4471#", user="USOCK", channel="DSOCK"), "Ev-9")
            ),
        }
        await fake.socket_queue.put(envelope)
        await fake.wait_for(lambda: any(a.get("envelope_id") == "env-1" for a in fake.socket_acks))
        posted = await fake.wait_for(lambda: fake.posted("DSOCK"))
        assert "STOP" in json.dumps(posted[0]["blocks"])
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await adapter.tasks.drain()
        await fake.stop()


def test_rendered_block_kit_stays_within_slacks_limits():
    long = "x" * 5000
    reply = Reply([Text.of("{t}", t=long) for _ in range(60)])
    reply.add(Choices(tuple(Choice("a very long label " * 10, "quiz.answer", "{}") for _ in range(30))))
    blocks = to_blocks(reply)
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids)) and len(ids) <= 25
            assert all(len(e["text"]["text"]) <= 75 and len(e["value"]) <= 2000 for e in block["elements"])


def test_text_is_escaped_for_mrkdwn():
    blocks = to_blocks(Reply([Text.of("{t}", t="<!channel> & <@U1>")]))
    assert blocks[0]["text"]["text"] == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


async def test_policybot_serve_slack_as_a_process(tmp_path):

    fake = await FakeSlack().start()
    process, base = await start_serve("--slack", env=serve_env(fake, tmp_path / "serve.sqlite3"))
    try:
        body = event_body(dm_event("Her cell is 608-555-0143", user="UPROC", channel="DUPROC"), "Ev-proc")
        async with aiohttp.ClientSession() as http:
            headers = {"Content-Type": "application/json", **sign(body)}
            async with http.post(f"{base}/slack/events", data=body, headers=headers) as response:
                assert response.status == 200
        posted = await fake.wait_for(lambda: fake.posted("DUPROC"))
        assert "STOP" in json.dumps(posted[0]["blocks"]) and "608-555-0143" not in json.dumps(posted[0]["blocks"][:1])
    finally:
        process.terminate()
        await process.communicate()
        await fake.stop()


def test_serve_without_a_token_names_the_setting(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["POLICYBOT_DATABASE"] = str(tmp_path / "x.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "adapters.main", "serve", "--slack"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2 and "SLACK_BOT_TOKEN is required" in result.stderr


async def test_socket_mode_exits_non_zero_when_the_connection_stays_down(policy, store):
    from adapters.slack.server import SocketModeDown

    fake = await FakeSlack().start()
    client = web_client(BOT_TOKEN, fake.api_url)
    adapter = SlackAdapter(Bot(policy, store, SlackMessenger(client, "", ()), BotSettings()), client, None)
    runner = asyncio.create_task(run_socket_mode(adapter, APP_TOKEN, stale_after=2, check_every=0.2))
    await fake.wait_for(lambda: any(m == "apps.connections.open" for m, _ in fake.calls))
    await asyncio.sleep(0.5)
    await fake.stop()  # Slack goes away and does not come back
    with pytest.raises(SocketModeDown) as stopped:
        await asyncio.wait_for(runner, timeout=30)
    assert stopped.value.exit_code == 3
