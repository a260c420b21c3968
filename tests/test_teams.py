"""Teams end to end over real HTTP: activities POSTed to /api/messages, replies captured by a fake connector."""

from __future__ import annotations

import json
import logging

import aiohttp
import jwt
import pytest
from aiohttp import web

from adapters.teams.app import TeamsBot, TeamsMessenger, create_adapter, teams_routes
from adapters.teams.render import CARD_LIMIT, to_card
from adapters.teams.settings import BotFrameworkConfig
from bot.core import Bot
from bot.messages import Choice, Choices, Fields, Reply, Text
from bot.services import BotSettings
from tests.fake_teams import TENANT, FakeConnector, activity, submit
from tests.localhost import start_app, start_serve

RITA = f"teams:{TENANT}:aad-rita"


class Running:
    def __init__(self, fake, url, http, bot) -> None:
        self.fake, self.url, self.http, self.bot = fake, url, http, bot

    async def post(self, body: dict, headers: dict | None = None) -> int:
        async with self.http.post(self.url, json=body, headers=headers or {}) as response:
            await response.read()
            return response.status

    async def say(self, user: str, text: str = "", value: dict | None = None, **extra) -> dict:
        before = len(self.fake.cards_to(f"a:conv-{user}"))
        status = await self.post(activity(self.fake.service_url, user, text, value, **extra))
        assert status in (200, 201), status
        cards = await self.fake.wait_for(lambda: self.fake.cards_to(f"a:conv-{user}")[before:])
        return cards[-1]


async def start_teams(policy, store, config: BotFrameworkConfig):
    fake = await FakeConnector().start()
    adapter = create_adapter(config)
    messenger = TeamsMessenger(adapter, store, config.APP_ID, "", (RITA,))
    bot = Bot(policy, store, messenger, BotSettings(reviewers=(RITA,)))
    app = web.Application()
    app.add_routes(teams_routes(adapter, TeamsBot(bot)))
    runner, port = await start_app(app)
    return fake, runner, bot, f"http://127.0.0.1:{port}/api/messages"


@pytest.fixture
async def teams(policy, store):
    fake, runner, bot, url = await start_teams(policy, store, BotFrameworkConfig())
    async with aiohttp.ClientSession() as http:
        yield Running(fake, url, http, bot)
    await runner.cleanup()
    await fake.stop()


def texts(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


def assert_valid_card(card: dict) -> None:
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5" and "adaptive-card.json" in card["$schema"]
    assert card["body"] and len(json.dumps(card).encode()) <= CARD_LIMIT
    allowed = {"TextBlock", "Container", "FactSet", "ActionSet"}

    def check(element: dict) -> None:
        assert element["type"] in allowed, element
        if element["type"] == "TextBlock":
            assert isinstance(element["text"], str) and element["text"]
        if element["type"] == "Container":
            for item in element["items"]:
                check(item)
        if element["type"] == "FactSet":
            assert all({"title", "value"} <= set(f) for f in element["facts"])
        if element["type"] == "ActionSet":
            for action in element["actions"]:
                assert action["type"] == "Action.Submit" and action["title"] and "action" in action["data"]

    for element in card["body"]:
        check(element)
    for action in card.get("actions", []):
        assert action["type"] == "Action.Submit" and action["title"] and "action" in action["data"]


async def test_a_draft_gets_an_adaptive_card_with_verdict_and_section(teams):
    card = await teams.say("alice", "Guest wifi password is Welcome2City!")
    assert_valid_card(card)
    assert "STOP" in texts(card) and "9. Security (OPSEC)" in texts(card)
    assert [a["title"] for a in card["actions"]][-1] == "Change account / duty"


async def test_policy_disclaimer_answers(teams):
    card = await teams.say("alice", "policy disclaimer")
    assert_valid_card(card)
    assert card["body"][0]["text"].startswith("**3. Disclaimers**")


async def test_a_quiz_card_submit_answers_and_the_used_card_is_updated(teams):
    question = await teams.say("alice", "quiz")
    assert "Question 1 of 3" in texts(question)
    answer = await teams.say("alice", value=submit(question, question["actions"][0]["title"]), reply_to="resp-q1")
    assert_valid_card(answer)
    assert "Policy section:" in texts(answer)
    updates = [(p, b) for m, p, b in teams.fake.calls if m == "PUT"]
    assert updates and updates[-1][0].endswith("/activities/resp-q1")
    assert "actions" not in updates[-1][1]["attachments"][0]["content"]


async def test_install_stores_the_reference_and_a_review_decision_reaches_the_author(teams):
    install = activity(
        teams.fake.service_url, "rita", kind="conversationUpdate", members_added=[{"id": "28:policybot"}]
    )
    assert await teams.post(install) in (200, 201)
    assert (await teams.bot.store.get_conversation(RITA, "teams"))["serviceUrl"] == teams.fake.service_url
    verdict = await teams.say("alice", "official: Exciting news! The new splash pad opens June 1.")
    await teams.say("alice", value=submit(verdict, "Send to communications"))
    item = (await teams.fake.wait_for(lambda: teams.fake.cards_to("a:conv-rita")))[-1]
    assert "Draft for pre-approval #1" in texts(item)
    await teams.say("rita", value=submit(item, "Approve"))
    told = await teams.fake.wait_for(
        lambda: [c for c in teams.fake.cards_to("a:conv-alice") if "was approved" in texts(c)]
    )
    assert told


async def test_a_resent_activity_is_processed_once(teams):
    body = activity(teams.fake.service_url, "bob", "Go vote! Polls close at 8.", activity_id="act-same")
    for _ in range(3):
        assert await teams.post(body) in (200, 201)
    await teams.fake.wait_for(lambda: teams.fake.cards_to("a:conv-bob"))
    assert len(teams.fake.cards_to("a:conv-bob")) == 1


async def test_with_an_app_id_an_activity_without_a_valid_token_is_refused(policy, store):
    config = BotFrameworkConfig(
        APP_ID="00000000-0000-0000-0000-000000000001", APP_PASSWORD="secret", APP_TYPE="MultiTenant"
    )
    fake, runner, _bot, url = await start_teams(policy, store, config)
    try:
        async with aiohttp.ClientSession() as http:
            forged = jwt.encode({"iss": "https://evil.example", "aud": config.APP_ID, "exp": 4102444800}, "k" * 32)
            for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": f"Bearer {forged}"}):
                body = activity(fake.service_url, "mallory", "The door code is 4471#")
                async with http.post(url, json=body, headers=headers) as response:
                    assert response.status == 401
        assert fake.calls == [] and await store.get_conversation(f"teams:{TENANT}:aad-mallory", "teams") is None
    finally:
        await runner.cleanup()
        await fake.stop()


def test_every_card_shape_is_valid_and_huge_replies_fit():
    reply = Reply([Text.of("x" * 9000) for _ in range(20)])
    reply.add(Fields((("a", "b"),) * 5, title="Facts"))
    reply.add(Choices(tuple(Choice(f"option {n}", "quiz.answer", "{}") for n in range(9))))
    card = to_card(reply)
    assert_valid_card(card)
    assert "shortened" in texts(card)


def test_single_tenant_without_a_tenant_names_the_setting():
    from adapters.teams.settings import bot_framework_config
    from bot.config import ConfigError

    values = {"app_id": "x", "app_password": "y", "app_type": "SingleTenant", "tenant_id": "", "cloud": "public"}
    with pytest.raises(ConfigError, match="MICROSOFT_APP_TENANT_ID"):
        bot_framework_config(values)
    gov = bot_framework_config({**values, "tenant_id": "t", "cloud": "gcch"})
    assert gov.CHANNEL_SERVICE == "https://botframework.azure.us"


def test_teams_package_zips_the_manifest_with_the_app_id_and_right_sized_icons(tmp_path):
    import os
    import subprocess
    import sys
    import zipfile

    from adapters.teams.package import png_size
    from tests.conftest import ROOT

    out = tmp_path / "app.zip"
    result = subprocess.run(
        [sys.executable, "-m", "adapters.main", "teams", "package", "--app-id", "abc-123", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["manifestVersion"] == "1.16" and manifest["id"] == "abc-123"
        assert manifest["bots"][0]["botId"] == "abc-123"
        titles = {c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]}
        assert titles == {"policy", "quiz", "settings", "help"}
        assert png_size(archive.read("color.png")) == (192, 192)
        assert png_size(archive.read("outline.png")) == (32, 32)
    missing = subprocess.run(
        [sys.executable, "-m", "adapters.main", "teams", "package", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "MICROSOFT_APP_ID"},
    )
    assert missing.returncode == 2 and "MICROSOFT_APP_ID" in missing.stderr


async def test_serve_slack_and_teams_in_one_process(tmp_path):
    import os

    from tests.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, dm_event, event_body, sign

    slack, connector = await FakeSlack().start(), await FakeConnector().start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MICROSOFT_")},
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "POLICYBOT_DATABASE": str(tmp_path / "both.sqlite3"),
    }
    process, base = await start_serve("--slack", "--teams", env=env)
    try:
        async with aiohttp.ClientSession() as http:
            body = event_body(dm_event("The door code is 4471#", user="UBOTH", channel="DUBOTH"), "Ev-both")
            headers = {"Content-Type": "application/json", **sign(body)}
            async with http.post(f"{base}/slack/events", data=body, headers=headers) as response:
                assert response.status == 200
            message = activity(connector.service_url, "dana", "policy disclaimer")
            async with http.post(f"{base}/api/messages", json=message) as response:
                assert response.status in (200, 201)
        assert await slack.wait_for(lambda: slack.posted("DUBOTH"))
        cards = await connector.wait_for(lambda: connector.cards_to("a:conv-dana"))
        assert "3. Disclaimers" in texts(cards[0])
    finally:
        process.terminate()
        _, stderr = await process.communicate()
        await slack.stop()
        await connector.stop()
    assert b"UNAUTHENTICATED" in stderr  # the loud warning without an app id


async def test_the_users_teams_time_zone_is_learned(teams):
    body = activity(teams.fake.service_url, "tz", "help")
    body["localTimezone"] = "America/Denver"
    assert await teams.post(body) in (200, 201)
    assert (await teams.bot.store.get_user(f"teams:{TENANT}:aad-tz")).timezone == "America/Denver"


async def test_a_stale_or_foreign_card_submit_gets_expired_and_no_traceback(teams, caplog):
    for value in ({"action": "draft.fix", "value": '{"d":"hello"}'}, {"action": "quiz.answer", "value": "[1,2]"}):
        with caplog.at_level(logging.DEBUG):
            card = await teams.say("alice", value=value)
        assert "This button has expired" in texts(card)
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


async def test_an_undeliverable_reply_is_one_log_line_and_the_request_still_succeeds(teams, caplog):
    teams.fake.fail_next = [500]
    sent = activity(teams.fake.service_url, "alice", "Guest wifi password is Welcome2City!", activity_id="act-fail-1")
    with caplog.at_level(logging.INFO):
        status = await teams.post(sent)
    assert status in (200, 201)
    lines = [r.getMessage() for r in caplog.records if "not delivered" in r.getMessage()]
    assert lines == ["teams reply not delivered activity=act-fail-1 status=500 error=" + lines[0].rsplit("=", 1)[1]]
    assert not [r for r in caplog.records if r.exc_info]
    assert "Welcome2City" not in caplog.text
