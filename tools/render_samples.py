"""Write the sample verdict that README points to, as Slack and Teams would receive it.

    python tools/render_samples.py        # rewrites docs/slack-verdict-message.json and
                                          # docs/teams-verdict-card.json from the shipped pack

The draft goes through the real bot (an in-memory conversation, a throwaway SQLite file), so the
samples show what the current model and renderers give. Paste the Teams card into the Adaptive
Cards Designer (https://adaptivecards.io/designer) to see it drawn.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.slack.render import message  # noqa: E402
from adapters.teams.render import to_card  # noqa: E402
from bot.core import Bot  # noqa: E402
from bot.messages import Incoming, User  # noqa: E402
from bot.messenger import InboxMessenger  # noqa: E402
from bot.services import BotSettings  # noqa: E402
from bot.store import Store  # noqa: E402
from policy import Policy  # noqa: E402

SAMPLE = (
    "personal: off duty: As a county building inspector, I think our permit fees are way too high. "
    "Text me on my personal phone about your permit and I'll sort it out."
)


async def sample_reply():
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(str(Path(folder) / "sample.sqlite3"))
        try:
            bot = Bot(Policy.load(), store, InboxMessenger(store, ()), BotSettings())
            user = User("sample:alex", "Alex")
            return await bot.handle(Incoming("sample", user, user.id, "message", text=SAMPLE))
        finally:
            await store.close()


def main() -> None:
    reply = asyncio.run(sample_reply())
    for name, payload in (("slack-verdict-message.json", message(reply)), ("teams-verdict-card.json", to_card(reply))):
        path = ROOT / "docs" / name
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
