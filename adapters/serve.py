"""`policybot serve`: Slack (HTTP or Socket Mode) and Teams in one process, plus background jobs."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from adapters.health import SERVE_SETTINGS, Admission, health_routes
from adapters.tasks import TaskTracker
from bot.app import build_bot, core_settings
from bot.cli.common import fail
from bot.config import ConfigError, load_settings
from bot.core import Bot
from bot.messenger import RoutingMessenger
from bot.ratelimit import RateLimitedMessenger
from bot.scheduler import SCHEDULER_SETTINGS, Scheduler, ScheduleSettings
from bot.services import Messenger
from bot.store import Store, StoreError

log = logging.getLogger("policybot")
# Platform limits (approximate, documented by each platform).
PLATFORM_LIMITS = {
    "slack": {"global": 20.0, "per_conversation": 1.0},  # chat.postMessage: ~1/s per channel; tier budget
    "teams": {"global": 30.0, "per_conversation": 7.0},  # 30/s per app and tenant, 7/s per conversation
    "console": {"global": 1000.0, "per_conversation": 1000.0},
}


async def housekeeping(bot: Bot, every: float = 3600) -> None:
    """Purge review drafts past their retention time, and forget old event ids (a database
    outage only postpones it)."""
    while True:
        now = time.time()
        try:
            purged = await bot.store.purge_drafts(now)
            await bot.store.forget_events(now - 7 * 86400)
        except StoreError as error:
            log.error("housekeeping: database unavailable, retrying in 60 s: %s", error)
            await asyncio.sleep(60)
            continue
        if purged:
            log.info("purged %s review draft(s)", purged)
        await asyncio.sleep(every)


@dataclass
class Platform:
    """One chat platform in the server: its messenger, and how it attaches to the running bot."""

    name: str
    messenger: Callable[[Store], Messenger]  # built once the store is open
    attach: Callable[[Bot, TaskTracker], list[web.RouteDef]]  # routes to serve; may start jobs
    trackers: list[TaskTracker] = field(default_factory=list)  # work it does after an ack
    ready: Callable[[], str] = lambda: ""  # "" or what is wrong, for /readyz


def rate_limited(platform: str, messenger) -> RateLimitedMessenger:
    limits = PLATFORM_LIMITS[platform]
    return RateLimitedMessenger(messenger, limits["global"], limits["per_conversation"])


def slack_platform(values: dict, file_values: dict, socket_mode: bool) -> Platform:
    from adapters.slack.app import SlackAdapter, SlackMessenger, web_client
    from adapters.slack.server import run_socket_mode, slack_routes
    from adapters.slack.settings import SLACK_SETTINGS

    settings = load_settings(SLACK_SETTINGS, file_values=file_values)
    if socket_mode and not settings["app_token"]:
        raise ConfigError("SLACK_APP_TOKEN is required with --socket-mode (an app-level token, xapp-...)")
    if not socket_mode and not settings["signing_secret"]:
        raise ConfigError("SLACK_SIGNING_SECRET is required for HTTP mode (or use --socket-mode)")
    client = web_client(settings["bot_token"], settings["api_url"])
    adapters: list[SlackAdapter] = []

    platform = Platform("slack", lambda store: messenger(store), lambda bot, jobs: attach(bot, jobs))

    def attach(bot: Bot, jobs: TaskTracker) -> list[web.RouteDef]:
        adapter = SlackAdapter(bot, client, settings["signing_secret"], values["review_channel"])
        adapters.append(adapter)
        platform.trackers.append(adapter.tasks)
        if socket_mode:
            adapter.socket_down = "the Slack Socket Mode connection is not up yet"
            jobs.start(run_socket_mode(adapter, settings["app_token"]), "slack-socket-mode")
            return []
        return slack_routes(adapter)

    platform.ready = lambda: next((a.socket_down for a in adapters if a.socket_down), "")

    def messenger(store: Store) -> Messenger:
        return rate_limited("slack", SlackMessenger(client, values["review_channel"], values["reviewers"]))

    return platform


def teams_platform(values: dict, file_values: dict) -> Platform:
    from adapters.teams.app import TeamsBot, TeamsMessenger, create_adapter, teams_routes
    from adapters.teams.settings import TEAMS_SETTINGS, bot_framework_config

    settings = load_settings(TEAMS_SETTINGS, file_values=file_values)
    cloud_adapter = create_adapter(bot_framework_config(settings))
    if not settings["app_id"]:
        log.warning(
            "MICROSOFT_APP_ID is not set: /api/messages accepts UNAUTHENTICATED activities "
            "(Bot Framework Emulator mode). Never run this way in production."
        )

    def messenger(store: Store) -> Messenger:
        teams = TeamsMessenger(cloud_adapter, store, settings["app_id"], values["review_channel"], values["reviewers"])
        return rate_limited("teams", teams)

    def attach(bot: Bot, jobs: TaskTracker) -> list[web.RouteDef]:
        return teams_routes(cloud_adapter, TeamsBot(bot, values["review_channel"]))

    return Platform("teams", messenger, attach)


def setting_groups(slack: bool, teams: bool) -> tuple:
    from adapters.slack.settings import SLACK_SETTINGS
    from adapters.teams.settings import TEAMS_SETTINGS

    platform_groups = (*((SLACK_SETTINGS,) if slack else ()), *((TEAMS_SETTINGS,) if teams else ()))
    return (SCHEDULER_SETTINGS, SERVE_SETTINGS, *platform_groups)


async def serve(slack: bool, teams: bool, socket_mode: bool, host: str, port: int, stop: asyncio.Event | None = None):
    """Serve until `stop` is set, or SIGTERM/SIGINT: then refuse new events with 503, finish the
    work in flight within POLICYBOT_DRAIN_SECONDS, and say in the log how much finished."""
    # The engine pool runs one check per core; each check then uses one thread (unless set).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    values = core_settings(extra_groups=setting_groups(slack, teams))
    file_values = values.pop("file_values")
    schedule = load_settings(SCHEDULER_SETTINGS, file_values=file_values)
    serving = load_settings(SERVE_SETTINGS, file_values=file_values)
    platforms = [
        *([slack_platform(values, file_values, socket_mode)] if slack else []),
        *([teams_platform(values, file_values)] if teams else []),
    ]
    bot = await build_bot(values, lambda store: RoutingMessenger({p.name: p.messenger(store) for p in platforms}))
    await bot.warm_up()  # load the models before saying ready
    jobs, runner = TaskTracker(), None
    stop = stop or asyncio.Event()
    admission = Admission(serving["max_queue"])
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        routes = health_routes(bot, admission, [p.ready for p in platforms])
        for platform in platforms:
            routes += platform.attach(bot, jobs)
            admission.trackers.extend(platform.trackers)
        application = web.Application(middlewares=[admission.middleware])
        application.add_routes(routes)
        runner = web.AppRunner(application)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        log.info("serving on http://%s:%s (%s)", host, port, ", ".join(p.name for p in platforms))
        jobs.start(housekeeping(bot), "housekeeping")
        jobs.start(Scheduler(bot, ScheduleSettings(**schedule)).run(stop), "scheduler")
        await wait_until_stopped(stop, jobs)
        await admission.drain(serving["drain_seconds"])
    finally:
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signal_number)
        for task in list(jobs.tasks):
            task.cancel()
        if runner is not None:
            await runner.cleanup()
        bot.engine.close()
        await bot.store.close()


async def wait_until_stopped(stop: asyncio.Event, jobs: TaskTracker) -> None:
    """Until asked to stop, or until a background job fails (its error is raised)."""
    waiter = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait([waiter, *jobs.tasks], return_when=asyncio.FIRST_COMPLETED)
    for task in done:
        if task is not waiter and not task.cancelled() and task.exception():
            raise task.exception()


def run_server(slack: bool, teams: bool, socket_mode: bool, host: str, port: int) -> None:
    """`policybot serve`: errors become one line and an exit code, never a traceback."""
    from adapters.slack.server import SocketModeDown

    try:
        asyncio.run(serve(slack, teams, socket_mode, host, port))
    except (ConfigError, StoreError) as error:
        fail(error)
    except SocketModeDown as error:
        fail(f"{error}; exiting so that a supervisor restarts policybot", error.exit_code)
    except KeyboardInterrupt:
        pass
