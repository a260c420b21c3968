"""`policybot serve` as a real process against a fake Slack: health and metrics endpoints, the
drain on SIGTERM, a deleted SQLite file, and start-up refusing bad settings by name."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys

import aiohttp
import pytest

from tests.conftest import ROOT
from tests.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, dm_event, event_body, serve_env, sign
from tests.localhost import start_serve


@pytest.fixture
async def served(tmp_path):
    fake = await FakeSlack().start()
    env = serve_env(fake, tmp_path / "serve.sqlite3", POLICYBOT_DRAIN_SECONDS="30", POLICYBOT_LOG_FORMAT="json")
    process, base = await start_serve("--slack", env=env)
    async with aiohttp.ClientSession() as http:
        yield process, base, http, fake, tmp_path / "serve.sqlite3"
    if process.returncode is None:
        process.terminate()
        await process.communicate()
    await fake.stop()


async def send(http, base: str, text: str, event_id: str, user: str) -> int:
    body = event_body(dm_event(text, user=user, channel=f"D{user}"), event_id)
    headers = {"Content-Type": "application/json", **sign(body)}
    async with http.post(f"{base}/slack/events", data=body, headers=headers) as response:
        return response.status


async def get(http, url: str) -> tuple[int, str]:
    async with http.get(url) as response:
        return response.status, await response.text()


async def test_livez_readyz_and_metrics(served):
    _, base, http, fake, _ = served
    assert (await get(http, f"{base}/livez"))[0] == 200
    status, body = await get(http, f"{base}/readyz")
    assert status == 200 and json.loads(body)["ready"] is True
    assert await send(http, base, "can I post this: Go Eagles!", "Ev-m1", "UMET") == 200
    await fake.wait_for(lambda: fake.posted("DUMET"))
    status, metrics = await get(http, f"{base}/metrics")
    assert status == 200
    assert 'policybot_events_total{kind="message",platform="slack"} 1.0' in metrics
    assert "policybot_verdicts_total" in metrics and "policybot_queue_depth" in metrics


async def test_sigterm_drains_every_acknowledged_event(served):
    process, base, http, fake, _ = served
    events = 12
    statuses = await asyncio.gather(
        *(
            send(http, base, f"can I post this: Draft number {i} about the parade.", f"Ev-d{i}", "UDRN")
            for i in range(events)
        )
    )
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    acknowledged = statuses.count(200)
    assert acknowledged == events
    assert len(fake.posted("DUDRN")) == acknowledged  # nothing acknowledged is lost
    drained = [json.loads(line) for line in stderr.decode().splitlines() if '"drained"' in line]
    assert drained and drained[0]["left"] == 0
    assert process.returncode == 0


async def test_a_deleted_sqlite_file_fails_readiness_and_drafts_are_still_checked(served):
    _, base, http, fake, database = served
    database.unlink()
    status, body = await get(http, f"{base}/readyz")
    assert status == 503 and "deleted or replaced" in json.loads(body)["problems"]["store"]
    assert await send(http, base, "Her cell is 608-555-0143", "Ev-gone", "UGONE") == 200
    posted = await fake.wait_for(lambda: fake.posted("DUGONE"))
    shown = json.dumps(posted[0]["blocks"])
    assert "STOP" in shown and "settings are unavailable" in shown
    assert not database.exists()  # never silently started afresh


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("POLICYBOT_LOG_LEVEL", "LOUD", "must be one of DEBUG, INFO"),
        ("POLICYBOT_LOG_FORMAT", "xml", "must be text or json"),
        ("POLICYBOT_NUDGE_EVERY_DAYS", "0", "above 0"),
        ("POLICYBOT_REVIEWERS", "rita", "not 'rita'"),
        ("POLICYBOT_DRAIN_SECONDS", "-3", "above 0"),
        ("POLICYBOT_MAX_QUEUE", "lots", "whole number"),
        ("POLICYBOT_LLM_BASE_URL", "ftp://llm", "http:// or https://"),
        ("POLICYBOT_WORK_HOURS", "25-3", "working hours look like"),
        ("POLICYBOT_TIMEZONE", "Europe/Londn", "did you mean Europe/London"),
    ],
)
def test_a_bad_setting_stops_start_up_and_is_named(tmp_path, setting, value, words):
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "POLICYBOT_DATABASE": str(tmp_path / "x.sqlite3"),
        setting: value,
    }
    result = subprocess.run(
        [sys.executable, "-m", "adapters.main", "serve", "--slack", "--port", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr[-500:]
    assert f"Error: {setting}: " in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr
