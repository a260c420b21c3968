"""Shared helpers for servers on localhost: start an aiohttp app on a free port, run `policybot serve`,
wait for a condition that other tasks make true."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import time
from collections.abc import Callable

import aiohttp
from aiohttp import web

from tests.conftest import ROOT


async def start_app(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def start_serve(*flags: str, env: dict) -> tuple[asyncio.subprocess.Process, str]:
    """`policybot serve FLAGS` as a real process; returns it and its base URL once /healthz answers."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.main",
        "serve",
        *flags,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return process, base
            await asyncio.sleep(0.1)
    process.terminate()
    raise AssertionError(f"policybot serve did not start: {(await process.communicate())[1].decode()[-2000:]}")


class Recorder:
    """Something a fake platform appends to; tests wait until a predicate over it holds."""

    def __init__(self) -> None:
        self.changed = asyncio.Condition()

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def wait_for(self, predicate: Callable[[], object], timeout: float = 10, describe=lambda: "") -> object:
        async with self.changed:
            deadline = time.monotonic() + timeout
            while not (result := predicate()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting; {describe()}"[:2000])
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), remaining)
            return result


class FakeServer:
    """A fake platform on a free localhost port; subclasses list their routes."""

    def __init__(self) -> None:
        self.recorder = Recorder()
        self.runner: web.AppRunner | None = None
        self.port = 0

    def routes(self) -> list[web.RouteDef]:
        raise NotImplementedError

    async def start(self):
        app = web.Application()
        app.add_routes(self.routes())
        self.runner, self.port = await start_app(app)
        return self

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()
