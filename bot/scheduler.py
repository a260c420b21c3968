"""Scheduled quiz nudges and disclaimer reminders.

Each user has `next_nudge_at` (and `next_reminder_at`) in the store. A time is planned inside
the user's working hours in their own time zone, on a working day that is not a holiday,
spread out at random across the window (not everyone at 9:00). A due job is claimed
atomically before it is sent (see `Store.claim_due`), so several replicas never send the same
one twice; a claim left by a crashed replica expires and the job goes out then. At send time
the window is checked again, so a scheduler that was down overnight never nudges at night.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_data

from bot.catalog import language, speaking, texts
from bot.config import Setting, positive_int
from bot.messages import Choices, Reply, Text
from bot.metrics import NUDGES, STORE_ERRORS
from bot.payloads import SettingChoice
from bot.quiz import pick_questions, question_reply
from bot.services import Services, Unreachable
from bot.store import QuizSession, StoreError, UserRecord
from bot.turn import choice

log = logging.getLogger("policybot.scheduler")
DAY = 86400.0


def holiday_setting(value: str) -> str:
    country, _, subdivision = value.partition("-")
    try:
        holiday_data.country_holidays(country.upper(), subdiv=subdivision.upper() or None)
    except (NotImplementedError, KeyError) as error:
        raise ValueError(f"unknown country or subdivision {value!r} ({error})") from None
    return value.upper()


def positive_days(value: str) -> float:
    days = non_negative(value)
    if days == 0:
        raise ValueError("must be a number of days above 0")
    return days


def non_negative(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError("must be 0 or more")
    return number


SCHEDULER_SETTINGS = {
    "nudge_every_days": Setting("POLICYBOT_NUDGE_EVERY_DAYS", positive_days, 7.0, help="days between quiz nudges"),
    "reminder_every_days": Setting(
        "POLICYBOT_REMINDER_EVERY_DAYS", non_negative, 90.0, help="days between disclaimer reminders (0: off)"
    ),
    "holidays": Setting("POLICYBOT_HOLIDAYS", holiday_setting, "", help="holiday calendar, e.g. US or US-CA"),
    "claim_lease_seconds": Setting("POLICYBOT_CLAIM_LEASE_SECONDS", positive_int, 600, help="claim expiry"),
}


@dataclass
class ScheduleSettings:
    nudge_every_days: float = 7.0
    reminder_every_days: float = 90.0
    holidays: str = ""
    claim_lease_seconds: float = 600.0
    batch: int = 100
    tick_seconds: float = 30.0
    concurrency: int = 20


@lru_cache(maxsize=32)
def holiday_calendar(spec: str, year: int) -> frozenset[date]:
    if not spec:
        return frozenset()
    country, _, subdivision = spec.partition("-")
    return frozenset(holiday_data.country_holidays(country, subdiv=subdivision or None, years=year))


def is_working_day(day: date, spec: str) -> bool:
    return day.weekday() < 5 and day not in holiday_calendar(spec, day.year)


def window(day: date, zone: ZoneInfo, hours: tuple[int, int]) -> tuple[datetime, datetime]:
    """The working window that starts on `day`; hours are minutes after midnight, and an end
    at or before the start is the next morning (a night shift)."""
    midnight = datetime.combine(day, clock_time(0), zone)
    start_minute, end_minute = hours
    end_day = day + timedelta(days=1) if end_minute <= start_minute or end_minute >= 24 * 60 else day
    start = datetime.combine(day, clock_time(start_minute // 60, start_minute % 60), zone)
    end = datetime.combine(end_day, clock_time((end_minute // 60) % 24, end_minute % 60), zone)
    return (start, end) if end > midnight else (start, start)


def in_working_hours(moment: float, zone_name: str, hours: tuple[int, int], spec: str) -> bool:
    """Inside a window that started today or (a night shift) yesterday, on a working day."""
    zone = ZoneInfo(zone_name)
    local = datetime.fromtimestamp(moment, zone).date()
    for day in (local, local - timedelta(days=1)):
        start, end = window(day, zone, hours)
        if is_working_day(day, spec) and start.timestamp() <= moment < end.timestamp():
            return True
    return False


def next_slot(after: float, zone_name: str, hours: tuple[int, int], spec: str, rng: random.Random) -> float:
    """A random moment inside working hours on the first working day at or after `after`."""
    zone = ZoneInfo(zone_name)
    day = datetime.fromtimestamp(after, zone).date()
    for _ in range(366):
        if is_working_day(day, spec):
            start, end = window(day, zone, hours)
            earliest = max(start.timestamp(), after)
            latest = end.timestamp() - 15 * 60  # not in the last quarter hour
            if earliest < latest:
                moment = rng.uniform(earliest, latest)
                if in_working_hours(moment, zone_name, hours, spec):  # guards DST edge cases
                    return moment
        day += timedelta(days=1)
    raise ValueError(f"no working day within a year for {zone_name} {hours} {spec}")


@dataclass
class Scheduler:
    services: Services
    settings: ScheduleSettings = field(default_factory=ScheduleSettings)
    clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (job, user id), for reports and tests

    def __post_init__(self) -> None:
        self._gate = asyncio.Semaphore(self.settings.concurrency)

    def user_zone(self, user: UserRecord) -> tuple[str, tuple[int, int]]:
        defaults = self.services.settings
        zone = user.timezone or defaults.timezone
        hours = (user.work_start, user.work_end) if user.work_start is not None else defaults.work_hours
        return zone, hours

    def plan_for(self, job: str, user: UserRecord, after: float) -> float | None:
        every = self.settings.nudge_every_days if job == "nudge" else self.settings.reminder_every_days
        if job == "reminder" and every == 0:
            return None
        if job == "nudge" and user.snooze_until:
            after = max(after, user.snooze_until)
        zone, hours = self.user_zone(user)
        return next_slot(after, zone, hours, self.settings.holidays, self.rng)

    async def plan_new(self) -> int:
        """Give a first time to users who have none (new users, or after a settings change)."""
        now, planned = self.clock(), 0
        for job in ("nudge", "reminder"):
            for user in await self.services.store.users_to_plan(job):
                first = now + (1 * 3600 if job == "nudge" else self.settings.reminder_every_days * DAY)
                when = self.plan_for(job, user, first)
                await self.services.store.set_job_time(job, user.id, when, only_if_unset=True)
                planned += 1
        return planned

    async def run_once(self) -> int:
        await self.plan_new()
        sent = 0
        for job in ("nudge", "reminder"):
            while True:
                claimed = await self.services.store.claim_due(
                    job, self.clock(), self.settings.claim_lease_seconds, self.settings.batch
                )
                NUDGES.labels(job, "claimed").inc(len(claimed))
                if not claimed:
                    break
                sent += sum(await asyncio.gather(*(self.deliver_gated(job, u) for u in claimed)))
        return sent

    async def deliver_gated(self, job: str, user: UserRecord) -> bool:
        async with self._gate:
            return await self.deliver(job, user)

    async def deliver(self, job: str, user: UserRecord) -> bool:
        """Send one claimed job, then plan the next; on failure release it for a retry."""
        store, now = self.services.store, self.clock()
        every = self.settings.nudge_every_days if job == "nudge" else self.settings.reminder_every_days
        zone, hours = self.user_zone(user)
        snoozed = job == "nudge" and user.snooze_until and user.snooze_until > now
        if snoozed or not in_working_hours(now, zone, hours, self.settings.holidays):
            await store.finish_job(job, user.id, self.plan_for(job, user, now), None)
            return False
        session = None
        try:
            if job == "nudge":
                if await store.get_quiz_session(user.id) is not None:  # the last nudge is unanswered
                    await store.finish_job(job, user.id, self.plan_for(job, user, now + every * DAY), None)
                    return False
                with speaking(user.speaks):
                    reply, session = await self.nudge(user)
            else:
                with speaking(user.speaks):
                    reply = self.reminder()
            await self.services.messenger.send(user.id, reply)
        except Unreachable:
            log.info("user unreachable, marked: user=%s", user.id)
            await store.finish_job(job, user.id, None, None, unreachable=True)
            return False
        except Exception as error:  # the platform failed: release the claim, retry in a while
            NUDGES.labels(job, "failed").inc()
            log.warning("%s not sent user=%s: %r", job, user.id, error)
            if session is not None:
                await store.end_quiz_session(user.id, session.session_id)
            await store.finish_job(job, user.id, now + 15 * 60, None)
            return False
        await store.finish_job(job, user.id, self.plan_for(job, user, now + every * DAY), now)
        self.sent.append((job, user.id))
        NUDGES.labels(job, "sent").inc()
        log.info("%s sent user=%s", job, user.id)
        return True

    async def nudge(self, user: UserRecord) -> tuple[Reply, QuizSession]:
        questions = await pick_questions(self.services, user.id, 1)
        if not questions:
            raise ValueError("the pack has no quiz questions")
        session = QuizSession(user.id, uuid.uuid4().hex[:12], [questions[0].id], 0, 0, self.clock())
        await self.services.store.start_quiz_session(session)
        reply = question_reply(self.services.policy, session)
        reply.blocks.insert(0, Text.of(texts.NUDGE_INTRO))
        return reply, session

    def reminder(self) -> Reply:
        """In the language being spoken (`bot.catalog.speaking`), the pack's disclaimer too."""
        return Reply(
            [
                Text.of(texts.REMINDER, disclaimer=self.services.policy.disclaimer_in(language())),
                Choices(
                    (
                        choice(texts.REMINDER_YES, "reminder.ok", None),
                        choice(texts.REMINDER_STOP, "settings.set", SettingChoice("reminders", "off")),
                    )
                ),
            ]
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Tick until stopped; a lost database is retried with backoff (nothing is lost: claims expire)."""
        backoff = 1.0
        while not stop.is_set():
            try:
                await self.run_once()
                backoff = 1.0
                delay = self.settings.tick_seconds
            except StoreError as error:
                STORE_ERRORS.inc()
                log.error("scheduler: database unavailable, retrying in %.0f s: %s", backoff, error)
                delay, backoff = backoff, min(backoff * 2, 60.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
