"""A real PostgreSQL stopped for 20 seconds under events: every draft sent in the outage gets a
verdict (or the question it needs answered first) or a "try again", nothing acknowledged is
silently lost, /readyz says 503 during the outage and 200 again within 5 seconds of the restart."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time

import aiohttp
import pytest

from tests.conftest import fresh_postgres_database, need_postgres
from tests.fake_slack import FakeSlack, dm_event, event_body, serve_env, sign
from tests.localhost import start_serve

pytestmark = pytest.mark.postgres


def server_control(action: str) -> None:
    command = os.environ.get(f"POLICYBOT_TEST_PG_{action}")
    if not command:
        pytest.skip(f"POLICYBOT_TEST_PG_{action} is not set (run `. .ci/postgres` first)")
    subprocess.run(command, shell=True, check=True, capture_output=True, timeout=60)


async def test_a_database_outage_loses_no_acknowledged_event():
    need_postgres()
    url = await fresh_postgres_database()
    fake = await FakeSlack().start()
    process, base = await start_serve("--slack", env=serve_env(fake, url))
    acknowledged: list[str] = []
    try:
        async with aiohttp.ClientSession() as http:

            async def send(n: int) -> None:
                body = event_body(
                    dm_event(f"can I post this: Parade route news number {n}!", user=f"UO{n}", channel=f"DO{n}"),
                    f"Ev-o{n}",
                )
                async with http.post(
                    f"{base}/slack/events", data=body, headers={"Content-Type": "application/json", **sign(body)}
                ) as response:
                    if response.status == 200:
                        acknowledged.append(f"DO{n}")
                    else:
                        assert response.status == 503

            async def ready() -> int:
                async with http.get(f"{base}/readyz") as response:
                    return response.status

            assert await ready() == 200
            server_control("STOP")
            outage_started, n, readiness = time.monotonic(), 0, []
            while time.monotonic() - outage_started < 20:
                await send(n)
                n += 1
                readiness.append(await ready())
                await asyncio.sleep(0.5)
            server_control("START")
            restarted = time.monotonic()
            while await ready() != 200:
                assert time.monotonic() - restarted < 5, "not ready within 5 s of the restart"
                await asyncio.sleep(0.2)
            await send(n)
            await fake.wait_for(lambda: all(fake.posted(c) for c in acknowledged), timeout=60)
    finally:
        process.terminate()
        await process.communicate()
        await fake.stop()
    assert set(readiness) == {503}
    assert len(acknowledged) >= 30
    for channel in acknowledged:
        shown = json.dumps(fake.posted(channel)[0]["blocks"])
        answered = any(word in shown for word in ("STOP", "OK", "REVIEW", "DISCLAIMER"))
        asked_where = "depends on where you post" in shown  # a real answer too: the verdict needs the context
        assert answered or asked_where or "try again" in shown
    after = json.dumps(fake.posted(acknowledged[-1])[0]["blocks"])
    assert "settings are unavailable" not in after  # back to normal
