"""Slack: slack-bolt's AsyncApp over HTTP (aiohttp) or Socket Mode; translation only."""
