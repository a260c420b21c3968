"""Microsoft Teams: botbuilder's CloudAdapter on aiohttp at /api/messages; translation only."""
