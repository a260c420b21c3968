"""Slack settings, declared next to the Slack code."""

from __future__ import annotations

from bot.config import Setting


def bot_token(value: str) -> str:
    if not value.startswith(("xoxb-", "xoxe.xoxb-")):
        raise ValueError("must be a bot token starting with xoxb-")
    return value


def app_token(value: str) -> str:
    if not value.startswith("xapp-"):
        raise ValueError("must be an app-level token starting with xapp-")
    return value


def api_url(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL such as https://slack.com/api/ or https://slack-gov.com/api/")
    return value if value.endswith("/") else value + "/"


SLACK_SETTINGS = {
    "bot_token": Setting("SLACK_BOT_TOKEN", bot_token, required=True, help="the bot token (xoxb-...)"),
    "signing_secret": Setting("SLACK_SIGNING_SECRET", str, None, help="verifies HTTP requests from Slack"),
    "app_token": Setting("SLACK_APP_TOKEN", app_token, None, help="app-level token for Socket Mode (xapp-...)"),
    "api_url": Setting("SLACK_API_URL", api_url, "https://slack.com/api/", help="Web API base URL"),
}
