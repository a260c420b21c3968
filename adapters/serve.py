"""`policybot serve`: Slack (HTTP or Socket Mode) and Teams in one process, plus background jobs."""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web

from adapters.tasks import TaskTracker
from bot.app import build_bot, core_settings
from bot.config import ConfigError, load_settings
from bot.core import Bot
from bot.messenger import RoutingMessenger
from bot.ratelimit import PLATFORM_LIMITS, RateLimitedMessenger

log = logging.getLogger("policybot")


async def housekeeping(bot: Bot, every: float = 3600) -> None:
    """Purge review drafts past their retention time, and forget old event ids."""
    while True:
        now = time.time()
        purged = await bot.store.purge_drafts(now)
        await bot.store.forget_events(now - 7 * 86400)
        if purged:
            log.info("purged %s review draft(s)", purged)
        await asyncio.sleep(every)


async def serve(slack: bool, teams: bool, socket_mode: bool, host: str, port: int, stop: asyncio.Event | None = None):
    from adapters.slack.settings import SLACK_SETTINGS
    from adapters.teams.settings import TEAMS_SETTINGS, bot_framework_config
    from bot.scheduler import SCHEDULER_SETTINGS, Scheduler, ScheduleSettings

    groups = (SCHEDULER_SETTINGS, *((SLACK_SETTINGS,) if slack else ()), *((TEAMS_SETTINGS,) if teams else ()))
    values = core_settings(extra_groups=groups)
    file_values = values.pop("file_values")
    schedule = load_settings(SCHEDULER_SETTINGS, file_values=file_values)
    slack_values = load_settings(SLACK_SETTINGS, file_values=file_values) if slack else {}
    if slack and socket_mode and not slack_values.get("app_token"):
        raise ConfigError("SLACK_APP_TOKEN is required with --socket-mode (an app-level token, xapp-...)")
    if slack and not socket_mode and not slack_values.get("signing_secret"):
        raise ConfigError("SLACK_SIGNING_SECRET is required for HTTP mode (or use --socket-mode)")
    messengers: dict = {}
    adapter = None
    if slack:
        from adapters.slack.app import SlackAdapter, SlackMessenger, web_client

        client = web_client(slack_values["bot_token"], slack_values["api_url"])
        limits = PLATFORM_LIMITS["slack"]
        messengers["slack"] = RateLimitedMessenger(
            SlackMessenger(client, values["review_channel"], values["reviewers"]),
            limits["global"],
            limits["per_conversation"],
        )
    teams_messenger = None
    if teams:
        from adapters.teams.app import TeamsBot, TeamsMessenger, create_adapter, teams_routes

        teams_values = load_settings(TEAMS_SETTINGS, file_values=file_values)
        cloud_adapter = create_adapter(bot_framework_config(teams_values))
        if not teams_values["app_id"]:
            log.warning(
                "MICROSOFT_APP_ID is not set: /api/messages accepts UNAUTHENTICATED activities "
                "(Bot Framework Emulator mode). Never run this way in production."
            )
        teams_messenger = TeamsMessenger(
            cloud_adapter, None, teams_values["app_id"], values["review_channel"], values["reviewers"]
        )
        limits = PLATFORM_LIMITS["teams"]
        messengers["teams"] = RateLimitedMessenger(teams_messenger, limits["global"], limits["per_conversation"])
    bot = await build_bot(values, lambda store: RoutingMessenger(messengers))
    if teams_messenger is not None:
        teams_messenger.bot = bot
    jobs = TaskTracker()
    runner = None
    try:
        routes = [web.get("/healthz", lambda request: web.json_response({"ok": True}))]
        if slack:
            adapter = SlackAdapter(bot, client, slack_values["signing_secret"], values["review_channel"])
            if socket_mode:
                from adapters.slack.server import run_socket_mode

                jobs.start(run_socket_mode(adapter, slack_values["app_token"]), "slack-socket-mode")
            else:
                from adapters.slack.server import slack_routes

                routes += slack_routes(adapter)
        if teams:
            routes += teams_routes(cloud_adapter, TeamsBot(bot, values["review_channel"]))
        application = web.Application()
        application.add_routes(routes)
        runner = web.AppRunner(application)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        log.info("serving on http://%s:%s (slack=%s socket_mode=%s teams=%s)", host, port, slack, socket_mode, teams)
        jobs.start(housekeeping(bot), "housekeeping")
        stop = stop or asyncio.Event()
        scheduler = Scheduler(bot, ScheduleSettings(**schedule))
        jobs.start(scheduler.run(stop), "scheduler")
        waiter = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait([waiter, *jobs.tasks], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not waiter and task.exception():
                raise task.exception()
    finally:
        for task in list(jobs.tasks):
            task.cancel()
        if adapter is not None:
            await adapter.tasks.drain()
        if runner is not None:
            await runner.cleanup()
        await bot.store.close()
