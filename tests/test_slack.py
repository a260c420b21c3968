"""Slack end to end over real HTTP: signed requests in, Web API calls out to a local fake Slack."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import aiohttp
import pytest
from aiohttp import web

from adapters.slack.app import SlackAdapter, SlackMessenger, web_client
from adapters.slack.server import slack_routes
from bot.core import Bot
from bot.services import BotSettings
from tests.fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    action_body,
    button,
    command_body,
    dm_event,
    event_body,
    sign,
)
from tests.localhost import start_app

REVIEW_CHANNEL = "CREVIEW"


class Running:
    def __init__(self, fake: FakeSlack, adapter: SlackAdapter, url: str, http: aiohttp.ClientSession) -> None:
        self.fake, self.adapter, self.url, self.http = fake, adapter, url, http

    async def post(
        self, body: str, content_type: str = "application/json", headers: dict | None = None, signed: bool = True
    ) -> aiohttp.ClientResponse:
        all_headers = {"Content-Type": content_type, **(sign(body) if signed else {}), **(headers or {})}
        async with self.http.post(self.url, data=body.encode(), headers=all_headers) as response:
            await response.read()
            return response

    async def dm(self, text: str, event_id: str, user: str = "UALICE") -> dict:
        before = len(self.fake.posted(f"D{user}"))
        response = await self.post(event_body(dm_event(text, user=user, channel=f"D{user}"), event_id))
        assert response.status == 200
        return await self.fake.wait_for(
            lambda: self.fake.posted(f"D{user}")[before:] and self.fake.posted(f"D{user}")[-1]
        )

    async def click(self, blocks: list, label: str, user: str = "UALICE", channel: str = "DALICE") -> dict:
        before = len(self.fake.responses)
        body, kind = action_body(button(blocks, label), self.fake.response_url(), user, channel, blocks)
        response = await self.post(body, kind)
        assert response.status == 200
        return await self.fake.wait_for(
            lambda: [r for r in self.fake.responses[before:] if r.get("replace_original") is False]
        )


@pytest.fixture
async def slack(policy, store):
    fake = await FakeSlack().start()
    client = web_client(BOT_TOKEN, fake.api_url)
    messenger = SlackMessenger(client, REVIEW_CHANNEL, ())
    bot = Bot(policy, store, messenger, BotSettings())
    adapter = SlackAdapter(bot, client, SIGNING_SECRET, REVIEW_CHANNEL)
    app = web.Application()
    app.add_routes(slack_routes(adapter))
    runner, port = await start_app(app)
    async with aiohttp.ClientSession() as http:
        yield Running(fake, adapter, f"http://127.0.0.1:{port}/slack/events", http)
    await adapter.tasks.drain()
    await runner.cleanup()
    await fake.stop()


async def test_a_dm_draft_gets_a_verdict_message_with_the_section(slack):
    posted = await slack.dm("Guest wifi password is Welcome2City!", "Ev-1")
    text = json.dumps(posted["blocks"])
    assert ":octagonal_sign: *STOP*" in text and "9. Security (OPSEC)" in text
    assert "Don't post this" in posted["text"]  # plain-text fallback for notifications
    assert all(
        len(b["text"]["text"]) <= 75
        for b in (e for blk in posted["blocks"] if blk["type"] == "actions" for e in blk["elements"])
    )


async def test_slash_policy_disclaimer_answers(slack):
    body, kind = command_body("disclaimer", slack.fake.response_url())
    response = await slack.post(body, kind)
    assert response.status == 200
    answer = await slack.fake.wait_for(lambda: slack.fake.responses and slack.fake.responses[-1])
    assert "3. Disclaimers" in json.dumps(answer["blocks"]) and answer["response_type"] == "ephemeral"


async def test_a_quiz_button_click_answers_and_settles_the_question(slack):
    body, kind = command_body("quiz", slack.fake.response_url())
    await slack.post(body, kind)
    question = await slack.fake.wait_for(lambda: slack.fake.responses and slack.fake.responses[-1])
    answered = await slack.click(question["blocks"], question["blocks"][1]["elements"][0]["text"]["text"])
    assert "Policy section:" in json.dumps(answered[-1])
    settled = [r for r in slack.fake.responses if r.get("replace_original") is True][-1]
    assert not [b for b in settled["blocks"] if b["type"] == "actions"]  # no stale buttons left


async def test_a_review_decision_reaches_the_author(slack):
    verdict = await slack.dm("official: Exciting news! The new splash pad opens June 1.", "Ev-2")
    await slack.click(verdict["blocks"], "Send to communications")
    item = await slack.fake.wait_for(
        lambda: slack.fake.posted(REVIEW_CHANNEL) and slack.fake.posted(REVIEW_CHANNEL)[-1]
    )
    assert "Draft for pre-approval #1" in json.dumps(item["blocks"])
    await slack.click(item["blocks"], "Approve", user="URITA", channel=REVIEW_CHANNEL)
    told = await slack.fake.wait_for(lambda: [p for p in slack.fake.posted("DUALICE") if "was approved" in p["text"]])
    assert told and ("conversations.open", {"users": "UALICE"}) in slack.fake.calls


async def test_app_home_is_published_when_opened(slack):
    body = event_body({"type": "app_home_opened", "user": "UALICE", "channel": "DALICE", "tab": "home"}, "Ev-3")
    assert (await slack.post(body)).status == 200
    _, params = await slack.fake.wait_for(lambda: next((c for c in slack.fake.calls if c[0] == "views.publish"), None))
    view = params["view"] if isinstance(params["view"], dict) else json.loads(params["view"])
    assert params["user_id"] == "UALICE" and view["type"] == "home" and "Your settings" in json.dumps(view)


async def test_a_retried_event_is_processed_once(slack):
    body = event_body(dm_event("Go vote! Polls close at 8.", user="UBOB", channel="DUBOB"), "Ev-4")
    for retry in (None, "1", "2"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        assert (await slack.post(body, headers=headers)).status == 200
    await slack.fake.wait_for(lambda: slack.fake.posted("DUBOB"))
    await asyncio.sleep(0.5)
    assert len(slack.fake.posted("DUBOB")) == 1


async def test_the_language_slack_reports_is_used_until_the_user_writes_one(slack):
    from bot import texts_fr

    await slack.dm("quiz", "Ev-fr-1", user="UFR1")  # one word: nothing tells the language yet
    await slack.fake.wait_for(lambda: any(m == "users.info" for m, _ in slack.fake.calls))
    await slack.adapter.tasks.drain()
    [(_, info)] = [c for c in slack.fake.calls if c[0] == "users.info"]
    assert info.get("include_locale") in ("1", "true", "True")
    await slack.dm("stop", "Ev-fr-2", user="UFR1")
    await slack.adapter.tasks.drain()
    posted = [p for m, p in slack.fake.calls if m == "chat.postMessage"]
    assert texts_fr.STOPPED in posted[-1]["text"]
    home = event_body({"type": "app_home_opened", "user": "UFR1", "channel": "DUFR1", "tab": "home"}, "Ev-fr-3")
    assert (await slack.post(home)).status == 200
    _, params = await slack.fake.wait_for(lambda: next((c for c in slack.fake.calls if c[0] == "views.publish"), None))
    assert texts_fr.SETTINGS_TITLE in json.dumps(params["view"], ensure_ascii=False)


@pytest.mark.parametrize("how", ["bad", "stale", "missing"])
async def test_a_bad_or_stale_signature_gets_401_and_no_processing(slack, how):
    body = event_body(dm_event("Go vote!", user="UEVE", channel="DUEVE"), f"Ev-sig-{how}")
    headers = {
        "bad": sign(body, secret="wrong-secret"),
        "stale": sign(body, timestamp=int(time.time()) - 3600),
        "missing": {},
    }[how]
    response = await slack.post(body, headers=headers, signed=False)
    assert response.status == 401
    await asyncio.sleep(0.3)
    assert not slack.fake.posted("DUEVE")


async def test_the_bots_own_messages_and_edits_are_ignored(slack):
    await slack.post(event_body(dm_event("I am the bot", user="UBOT", channel="DUX", bot_id="BBOT"), "Ev-5"))
    await slack.post(event_body(dm_event("edited", user="UX", channel="DUX", subtype="message_changed"), "Ev-6"))
    await asyncio.sleep(0.5)
    assert not slack.fake.posted("DUX")


async def test_ack_arrives_fast_even_when_the_work_is_slow(slack):
    original = slack.adapter.bot.handle

    async def slow_handle(incoming):
        await asyncio.sleep(4)
        return await original(incoming)

    slack.adapter.bot.handle = slow_handle
    started = time.monotonic()
    response = await slack.post(event_body(dm_event("Go vote!", user="USLOW", channel="DUSLOW"), "Ev-7"))
    assert response.status == 200 and time.monotonic() - started < 1.0
    await slack.fake.wait_for(lambda: slack.fake.posted("DUSLOW"), timeout=15)


async def test_429_retry_after_is_honoured_and_nothing_is_dropped(slack):
    slack.fake.rate_limited["chat.postMessage"] = 1
    started = time.monotonic()
    await slack.dm("Go vote! Polls close at 8.", "Ev-8", user="URATE")
    assert time.monotonic() - started >= 1.0  # waited the Retry-After second
    assert [m for m, _ in slack.fake.calls].count("chat.postMessage:429") == 1


async def test_no_draft_text_reaches_the_logs_even_at_debug(slack, caplog):
    import logging

    from bot.app import quiet_libraries

    quiet_libraries()
    caplog.set_level(logging.DEBUG)
    secret = "Quetzal harbor lanyard"
    await slack.dm(f"Leaked memo: {secret} is closing", "Ev-privacy", user="UPRIV")
    assert "as=draft" in caplog.text  # taken as a draft, whatever the verdict (or a question back)
    assert secret not in caplog.text


async def test_the_users_slack_time_zone_is_learned_once(slack):
    await slack.dm("Go vote! Polls close at 8.", "Ev-tz-1", user="UTZ")
    await slack.fake.wait_for(lambda: any(m == "users.info" for m, _ in slack.fake.calls))
    await slack.adapter.tasks.drain()
    assert (await slack.adapter.bot.store.get_user("slack:T1:UTZ")).timezone == "America/Chicago"
    await slack.dm("Polls close at 8.", "Ev-tz-2", user="UTZ")
    await slack.adapter.tasks.drain()
    assert [m for m, _ in slack.fake.calls].count("users.info") == 1


@pytest.mark.parametrize(
    "value",
    ['{"d":"hello"}', "not json at all", '{"v":1,"k":"draft","account":"personal","on_duty":false}', ""],
    ids=["old-untyped", "foreign", "old-version", "empty"],
)
async def test_a_stale_or_foreign_button_gets_expired_and_no_traceback(slack, caplog, value):
    stale = [
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "draft.fix",
                    "value": value,
                    "text": {"type": "plain_text", "text": "Fix it for me"},
                }
            ],
        }
    ]
    with caplog.at_level(logging.DEBUG):
        answered = await slack.click(stale, "Fix it for me")
    assert "This button has expired" in json.dumps(answered[-1])
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


@pytest.mark.parametrize(
    ("headers", "status"),
    [({"X-Slack-Request-Timestamp": "soon"}, 400), ({"X-Slack-Signature": ""}, 401)],
    ids=["timestamp-not-a-number", "no-signature"],
)
async def test_malformed_slack_headers_get_400_or_401_without_a_traceback(slack, caplog, headers, status):
    body = event_body(dm_event("hello", user="UHDR", channel="DUHDR"), "Ev-hdr")
    with caplog.at_level(logging.INFO):
        response = await slack.post(body, headers=headers)
    assert response.status == status
    assert not [r for r in caplog.records if r.exc_info]
