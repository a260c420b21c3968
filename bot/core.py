"""The bot: one request pipeline for every platform, over the services dialogs use.

    dedupe -> user -> route -> dialog -> error boundary -> reply

`Bot.handle` returns None for what needs no answer (our own messages, a retried event) and
never raises: a stale button gets "this button has expired", storage trouble a clear message,
and anything else a short apology, with one log line and no text of the user's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import quiz
from bot.answers import might_be_a_draft, offer_check
from bot.catalog import answer_in, language_for, speaking, texts, written_in
from bot.engine_pool import EnginePool, TooComplex
from bot.followups import follow_up, wants_follow_up
from bot.howto import setting_answer, setting_asked
from bot.intent import Understood, parse_command, understand
from bot.llm import Assistant
from bot.messages import Incoming, Reply, Text
from bot.metrics import DEDUPE_HITS, EVENTS, REPLY_SECONDS, STORE_ERRORS
from bot.payloads import Awaiting, Expired, decode
from bot.routes import ACTIONS, AWAITING, BY_INTENT, COMMANDS, Dialog
from bot.services import BotSettings, DraftCache, Expiring, LastVerdicts, Messenger
from bot.store import Store, StoreError, UserRecord
from bot.turn import Turn
from policy import ModelError, Policy
from policy.encoder import EncoderSpec
from policy.encoders import shared_encoder
from policy.intent import IntentClassifier

log = logging.getLogger("policybot")
RECENT_WINDOW = 600.0  # seconds an event id is remembered in memory while the store is down


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
    last_verdicts: LastVerdicts = field(default_factory=LastVerdicts)
    # the language each user last wrote in, for a pressed button or a one-word message (in memory)
    languages: Expiring[str] = field(default_factory=lambda: Expiring(ttl=30 * 86400))
    assistant: Assistant | None = None  # the optional LLM endpoint
    engine: EnginePool = field(default_factory=EnginePool)
    _recent: dict[str, float] = field(default_factory=dict)  # event ids seen while the store was down
    intents: IntentClassifier = field(default_factory=lambda: IntentClassifier(shared_encoder(EncoderSpec()).embed))

    @property
    def reviewers(self) -> set[str]:
        return set(self.settings.reviewers) | self.extra_reviewers

    async def warm_up(self) -> None:
        """Load what a first message needs (the check's models, the intent classifier, the policy
        lookup's encoders and vectors) outside the per-message budget, so the first user to write
        after a start is not told their message is too complex."""

        def load() -> None:
            self.intents.classify("warm up")
            for warm in (self.policy.check, self.policy.lookup):
                with contextlib.suppress(ModelError):  # a message then says what is missing
                    warm("warm up")

        await asyncio.get_running_loop().run_in_executor(None, load)

    async def handle(self, incoming: Incoming) -> Reply | None:
        with speaking(self.languages.get(incoming.user.id, self.clock()) or incoming.user.locale):
            return await self._handle(incoming)

    async def _handle(self, incoming: Incoming) -> Reply | None:
        started = time.perf_counter()
        route = "-"
        try:
            if incoming.from_bot or not await self.first_time(incoming.platform, incoming.event_id):
                return None
            EVENTS.labels(incoming.platform, incoming.kind).inc()
            turn = await self._turn(incoming)
            await self._choose_language(turn)
            dialog, route = self.route(turn)
            reply = await dialog(turn)
        except TooComplex as error:
            log.warning("engine over budget user=%s route=%s: %s", incoming.user.id, route, error)
            reply = Reply([Text.of(texts.TOO_COMPLEX)])
        except Expired as error:
            log.info("expired button user=%s action=%s: %s", incoming.user.id, incoming.action, error)
            reply = Reply([Text.of(texts.BUTTON_EXPIRED)])
        except StoreError as error:
            STORE_ERRORS.inc()
            log.error("store error user=%s route=%s: %s", incoming.user.id, route, error)
            reply = Reply([Text.of(texts.STORE_ERROR, reason=error)])
        except Exception as error:  # the boundary: a bug must not kill the platform's task
            log.error("turn failed user=%s route=%s: %s", incoming.user.id, route, type(error).__name__)
            log.debug("turn failure", exc_info=True)
            reply = Reply([Text.of(texts.SOMETHING_WRONG)])
        elapsed = time.perf_counter() - started
        REPLY_SECONDS.labels(incoming.platform).observe(elapsed)
        log.info("turn user=%s kind=%s route=%s ms=%.1f", incoming.user.id, incoming.kind, route, elapsed * 1000)
        return reply

    async def _choose_language(self, turn: Turn) -> None:
        incoming = turn.incoming
        typed = incoming.text if incoming.kind == "message" else incoming.argument
        last = self.languages.get(incoming.user.id, self.clock()) or turn.user.wrote_in
        written = written_in(typed)
        answer_in(language_for(written, turn.user.language, incoming.user.locale, last))
        if not written:  # remembered only from what they wrote, not from a default
            return
        self.languages.put(incoming.user.id, written, self.clock())
        if written != turn.user.wrote_in:  # stored too, for the other replicas and the scheduler
            turn.user.wrote_in = written
            try:
                await turn.save_user()
            except StoreError as error:  # the store is down: this turn still answers
                log.warning("language not saved user=%s: %s", incoming.user.id, error)

    async def _turn(self, incoming: Incoming) -> Turn:
        """The user's record; while the store is down, a stand-in with the defaults (offline)."""
        try:
            user = await self.store.get_user(incoming.user.id, incoming.user.name, incoming.user.tenant)
        except StoreError as error:
            STORE_ERRORS.inc()
            log.error("store down user=%s: %s", incoming.user.id, error)
            return Turn(self, incoming, UserRecord(incoming.user.id, incoming.user.name), offline=True)
        if user.timezone is None and _known_zone(incoming.user.timezone):
            user.timezone = incoming.user.timezone  # as the platform reports it, until they choose one
            await self.store.save_user(user)
        return Turn(self, incoming, user)

    async def first_time(self, platform: str, event_id: str) -> bool:
        """Platforms resend events they think were lost; each event id is answered once: in the
        store (across replicas), or in memory for a while when the store is down."""
        if not event_id:
            return True
        key, now = f"{platform}:{event_id}", self.clock()
        try:
            fresh = await self.store.first_time(key, now)
        except StoreError:
            fresh = self._recent.setdefault(key, now) == now
            for old in [k for k, at in self._recent.items() if at < now - RECENT_WINDOW]:
                del self._recent[old]
        if not fresh:
            DEDUPE_HITS.inc()
        return fresh

    def route(self, turn: Turn) -> tuple[Dialog, str]:
        incoming = turn.incoming
        if incoming.kind == "action":
            return ACTIONS.get(incoming.action, _expired), incoming.action
        if incoming.kind == "command":  # a slash command: /policy <word> [argument]
            word, _, rest = incoming.argument.strip().partition(" ")
            if word.lower() in COMMANDS and word.lower() not in ("policy", "answer"):
                return _command(word.lower(), rest.strip()), word.lower()
            return _command("policy", incoming.argument), "policy"
        command = parse_command(incoming.text)
        if command and command.word == "unknown":
            return _unknown, "unknown"
        if command:
            return _command(command.word, command.argument), command.word
        if turn.user.awaiting:
            try:
                awaiting = decode(turn.user.awaiting, Awaiting)
            except Expired:
                awaiting = None
            if awaiting and awaiting.what in AWAITING:
                return _awaited(awaiting), f"awaiting:{awaiting.what}"
        if action := wants_follow_up(turn):
            return _typed(action), f"typed:{action}"
        if len(incoming.text) <= quiz.TYPED_MAX_CHARS:
            return self._quiz_answer_or_understand, "message"
        return self._understand, "message"

    def _read(self, text: str) -> Understood:
        understood = understand(text, self.intents)
        if understood.kind != "draft" and self.policy.has_structured_data(text[:2000]):
            return Understood("draft", text)  # personal data in it: check it, whatever it reads like
        return understood

    async def _quiz_answer_or_understand(self, turn: Turn) -> Reply:
        return await quiz.answer_in_words(turn) or await self._understand(turn)

    async def _understand(self, turn: Turn) -> Reply:
        understood = await self.engine.run(self._read, turn.incoming.text)
        log.info("understood user=%s as=%s", turn.user.id, understood.kind)
        if understood.kind in ("question", "smalltalk", "unsure") and (topic := setting_asked(turn.incoming.text)):
            log.info("setting asked about user=%s setting=%s", turn.user.id, topic)
            return setting_answer(turn, topic)
        reply = await BY_INTENT[understood.kind](turn, understood.text)
        if understood.kind in ("question", "smalltalk") and might_be_a_draft(understood.intent):
            reply.add(offer_check(turn, turn.incoming.text))
        return reply

    async def learn_timezone(self, user_id: str, zone: str | None) -> None:
        """Record the time zone a platform reports for a user, unless they chose one themselves."""
        if not _known_zone(zone):
            return
        try:
            record = await self.store.get_user(user_id)
            if record.timezone is None:
                record.timezone = zone
                await self.store.save_user(record)
        except StoreError as error:  # learned another time
            log.info("time zone not saved user=%s: %s", user_id, error)


def _known_zone(zone: str | None) -> bool:
    if not zone:
        return False
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _command(word: str, argument: str) -> Dialog:
    async def run(turn: Turn) -> Reply:
        if turn.user.awaiting:  # a command abandons what the next message was to answer
            turn.user.awaiting = None
            await turn.save_user()
        turn.incoming = replace(turn.incoming, argument=argument)
        return await COMMANDS[word](turn)

    return run


def _awaited(awaiting: Awaiting) -> Dialog:
    async def run(turn: Turn) -> Reply:
        turn.user.awaiting = None
        await turn.save_user()
        return await AWAITING[awaiting.what](turn, awaiting)

    return run


def _typed(action: str) -> Dialog:
    async def run(turn: Turn) -> Reply:
        return await follow_up(turn, action)

    return run


async def _expired(turn: Turn) -> Reply:
    raise Expired(f"no action {turn.incoming.action!r}")


async def _unknown(turn: Turn) -> Reply:
    reply = await COMMANDS["help"](turn)
    reply.blocks.insert(0, Text.of(texts.UNKNOWN_COMMAND))
    return reply
