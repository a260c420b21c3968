"""Adapters: each translates one platform (terminal, Slack, Teams) to the bot core and back."""
