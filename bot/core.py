"""The bot core: route an Incoming to a dialog and return a Reply; state lives in the Store."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot import texts
from bot.intent import Understood, parse_command, understand
from bot.llm import Assistant
from bot.messages import Choice, Incoming, Reply, Text
from bot.messenger import Messenger
from bot.store import Store, StoreError, UserRecord
from policy import Policy
from policy.encoder import EncoderSpec, shared_encoder
from policy.intent import IntentClassifier

log = logging.getLogger("policybot")

Handler = Callable[["Turn"], Awaitable[Reply]]


@dataclass
class BotSettings:
    reviewers: tuple[str, ...] = ()
    retention_days: int = 30
    keep_decided: bool = False
    quiz_length: int = 3
    timezone: str = "America/New_York"
    work_hours: tuple[int, int] = (9, 17)

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> BotSettings:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in names and v is not None})


@dataclass
class Turn:
    bot: Bot
    incoming: Incoming
    user: UserRecord

    @property
    def is_reviewer(self) -> bool:
        return self.incoming.reviewer or self.user.id in self.bot.reviewers

    def payload(self) -> dict:
        try:
            value = json.loads(self.incoming.value or "{}")
        except json.JSONDecodeError:
            return {}
        return value if isinstance(value, dict) else {}


class DraftCache:
    """Long drafts that do not fit in a button value, kept in memory only (never stored) for a while."""

    def __init__(self, ttl: float = 3600, limit: int = 10_000) -> None:
        self.ttl, self.limit = ttl, limit
        self._items: dict[str, tuple[float, dict]] = {}

    def put(self, payload: dict, now: float) -> str:
        if len(self._items) >= self.limit:
            for key in sorted(self._items, key=lambda k: self._items[k][0])[: self.limit // 10]:
                del self._items[key]
        token = f"{random.getrandbits(64):016x}"
        self._items[token] = (now + self.ttl, payload)
        return token

    def get(self, token: str, now: float) -> dict | None:
        expires, payload = self._items.get(token, (0.0, {}))
        return payload if expires > now else None


@dataclass
class Bot:
    policy: Policy
    store: Store
    messenger: Messenger
    settings: BotSettings = field(default_factory=BotSettings)
    clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)
    extra_reviewers: set[str] = field(default_factory=set)
    drafts: DraftCache = field(default_factory=DraftCache)
    assistant: Assistant | None = None  # the optional LLM endpoint

    def __post_init__(self) -> None:
        from bot import account, answers, drafts, quiz, reviews

        self.commands: dict[str, Handler] = {
            "help": account.help_reply,
            "policy": account.lookup,
            "quiz": quiz.start,
            "settings": account.settings,
            "queue": reviews.queue,
            "stop": account.stop,
            "answer": quiz.answer_typed,
        }
        self._intents: IntentClassifier | None = None
        self.actions: dict[str, Handler] = {
            **drafts.ACTIONS,
            **quiz.ACTIONS,
            **reviews.ACTIONS,
            **account.ACTIONS,
            **answers.ACTIONS,
        }
        self.awaiting: dict[str, Handler] = {**drafts.AWAITING, **reviews.AWAITING}
        self._check_text = drafts.check_text
        self._answers = answers

    async def learn_timezone(self, user_id: str, zone: str | None) -> None:
        """Record the time zone a platform reports for a user, unless they chose one themselves."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        if not zone:
            return
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            return
        record = await self.store.get_user(user_id)
        if record.timezone is None:
            record.timezone = zone
            await self.store.save_user(record)

    @property
    def reviewers(self) -> set[str]:
        return set(self.settings.reviewers) | self.extra_reviewers

    async def handle(self, incoming: Incoming) -> Reply:
        """One turn: never raises for bad input; storage trouble becomes a clear message."""
        started = time.perf_counter()
        try:
            user = await self.store.get_user(incoming.user.id, incoming.user.name, incoming.user.tenant)
            turn = Turn(self, incoming, user)
            handler, route = self.route(turn)
            reply = await handler(turn)
        except StoreError as error:
            log.error("store error user=%s: %s", incoming.user.id, error)
            return Reply([Text(texts.STORE_ERROR.format(reason=error))])
        log.info(
            "turn user=%s kind=%s route=%s ms=%.1f",
            incoming.user.id,
            incoming.kind,
            route,
            (time.perf_counter() - started) * 1000,
        )
        return reply

    def route(self, turn: Turn) -> tuple[Handler, str]:
        incoming = turn.incoming
        if incoming.kind == "action":
            handler = self.actions.get(incoming.action)
            return (handler, incoming.action) if handler else (_stale, "stale")
        if incoming.kind == "command":
            word, rest = _split(incoming.argument)
            if word in self.commands and word != "policy":
                return self._command(word, rest), word
            return self._command("policy", incoming.argument), "policy"
        command = parse_command(incoming.text)
        if command and command.word == "unknown":
            return _unknown, "unknown"
        if command:
            return self._command(command.word, command.argument), command.word
        if turn.user.awaiting:
            kind = json.loads(turn.user.awaiting).get("kind", "")
            if kind in self.awaiting:
                return self.awaiting[kind], f"awaiting:{kind}"
        understood = understand(incoming.text, self.intents())
        if understood.kind in ("smalltalk", "unsure") and self.policy.has_structured_data(incoming.text[:2000]):
            understood = Understood("draft", incoming.text)
        return self._for(understood), understood.kind

    def intents(self) -> IntentClassifier:
        if self._intents is None:
            self._intents = IntentClassifier(shared_encoder(EncoderSpec()).embed)
        return self._intents

    def _for(self, understood: Understood) -> Handler:
        answers = self._answers

        async def run(turn: Turn) -> Reply:
            if understood.kind == "question":
                return await answers.answer_question(turn, understood.text)
            if understood.kind == "smalltalk":
                return await answers.small_talk(turn)
            if understood.kind == "unsure":
                return answers.ask_intent(turn, understood.text)
            return await self._check_text(turn, understood.text)

        return run

    def _command(self, word: str, argument: str) -> Handler:
        handler = self.commands[word]

        async def run(turn: Turn) -> Reply:
            if turn.user.awaiting:  # a command abandons what we were waiting for
                turn.user.awaiting = None
                await self.store.save_user(turn.user)
            turn.incoming = Incoming(**{**turn.incoming.__dict__, "argument": argument})
            return await handler(turn)

        return run


def _split(text: str) -> tuple[str, str]:
    word, _, rest = text.strip().partition(" ")
    return word.lower(), rest.strip()


async def _stale(turn: Turn) -> Reply:
    return Reply([Text(texts.STALE_BUTTON)])


async def _unknown(turn: Turn) -> Reply:
    from bot.account import help_reply

    reply = await help_reply(turn)
    reply.blocks.insert(0, Text(texts.UNKNOWN_COMMAND))
    return reply


def choice(label: str, action: str, value: dict | str = "", style: str = "default") -> Choice:
    encoded = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Choice(label, action, encoded, style)  # type: ignore[arg-type]
