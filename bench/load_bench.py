"""Load against `policybot serve --slack` as a real process, with a fake Slack on loopback.

For each rate it sends signed DM events for a few seconds (10% of them sent again as Slack's
retries), then prints, side by side: acks (p50, p99), refusals (503), replies (p50, p99 from
send to chat.postMessage), and acknowledged events lost or answered twice. The last run sends
SIGTERM half-way: every event acknowledged before it must still be answered. Also the peak RSS
of the server.

    python bench/load_bench.py [--seconds 10] [--rates 20,50,200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_slack import FakeSlack, dm_event, event_body, serve_env, sign  # noqa: E402
from tests.localhost import start_serve  # noqa: E402


class TimedSlack(FakeSlack):
    """The fake Slack, noting when each channel got its first and later messages."""

    def __init__(self) -> None:
        super().__init__()
        self.replied: dict[str, list[float]] = {}

    async def record(self, kind: list, item) -> None:
        if isinstance(item, tuple) and item[0] == "chat.postMessage":
            self.replied.setdefault(str(item[1].get("channel")), []).append(time.monotonic())
        await super().record(kind, item)


def drafts() -> list[str]:
    from policy import Policy

    return [e.text for e in Policy.load(need_model=False).examples if e.held_out][:500]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


async def run(rate: int, seconds: float, texts: list[str], sigterm: bool) -> dict:
    fake = await TimedSlack().start()
    database = Path(tempfile.mkdtemp()) / "load.sqlite3"
    process, base = await start_serve("--slack", env=serve_env(fake, database, POLICYBOT_LOG_LEVEL="WARNING"))
    sent: dict[str, float] = {}
    acks: list[float] = []
    statuses: dict[str, int] = {}
    rng = random.Random(rate)

    async def post(http: aiohttp.ClientSession, n: int, retry: bool) -> None:
        channel = f"DLOAD{n}"
        body = event_body(dm_event(rng.choice(texts), user=f"ULOAD{n}", channel=channel), f"Ev-{rate}-{n}")
        headers = {"Content-Type": "application/json", **sign(body), **({"X-Slack-Retry-Num": "1"} if retry else {})}
        started = time.monotonic()
        sent.setdefault(channel, started)
        try:
            async with http.post(f"{base}/slack/events", data=body, headers=headers) as response:
                status = response.status
        except aiohttp.ClientError:
            status = 0  # the server has gone (after SIGTERM): not acknowledged
        acks.append(time.monotonic() - started)
        if status == 200 or channel not in statuses:
            statuses[channel] = status

    total = int(rate * seconds)
    peak = float("nan")
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        tasks, began = [], time.monotonic()
        for n in range(total):
            await asyncio.sleep(max(0.0, began + n / rate - time.monotonic()))
            tasks.append(asyncio.create_task(post(http, n, False)))
            if rng.random() < 0.1:
                tasks.append(asyncio.create_task(post(http, n, True)))
            if sigterm and n == total // 2:
                peak = _peak_rss(process.pid)
                process.send_signal(signal.SIGTERM)
        await asyncio.gather(*tasks)
    acknowledged = [c for c, s in statuses.items() if s == 200]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(c not in fake.replied for c in acknowledged):
        if sigterm and process.returncode is not None:
            break
        await asyncio.sleep(0.2)
    if process.returncode is None:
        peak = _peak_rss(process.pid)
        process.send_signal(signal.SIGTERM)
    await process.communicate()
    replies = [fake.replied[c][0] - sent[c] for c in acknowledged if c in fake.replied]
    await fake.stop()
    return {
        "rate": rate,
        "sigterm": sigterm,
        "events": total,
        "acknowledged": len(acknowledged),
        "refused_503": sum(1 for s in statuses.values() if s == 503),
        "lost": sum(1 for c in acknowledged if c not in fake.replied),
        "duplicated": sum(1 for c in fake.replied.values() if len(c) > 1),
        "ack_p50_ms": statistics.median(acks) * 1000,
        "ack_p99_ms": percentile(acks, 0.99) * 1000,
        "reply_p50_s": statistics.median(replies) if replies else float("nan"),
        "reply_p99_s": percentile(replies, 0.99),
        "peak_rss_mb": peak,
    }


def _peak_rss(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "")
    return int(line.split()[1]) / 1024 if line else float("nan")


async def main(rates: list[int], seconds: float) -> None:
    texts = drafts()
    results = [await run(rate, seconds, texts, False) for rate in rates]
    results.append(await run(max(rates), seconds, texts, True))
    columns = list(results[0])
    print("  ".join(f"{c:>13}" for c in columns))
    for row in results:
        print("  ".join(f"{row[c]:>13.1f}" if isinstance(row[c], float) else f"{row[c]!s:>13}" for c in columns))
    print(json.dumps(results))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rates", default="20,50,200")
    arguments = parser.parse_args()
    asyncio.run(main([int(r) for r in arguments.rates.split(",")], arguments.seconds))
