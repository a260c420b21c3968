"""Quiz nudges and disclaimer reminders: working hours, weekends, holidays, snooze, DST, exactly once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core import Bot
from bot.messages import Reply
from bot.messenger import Unreachable
from bot.scheduler import Scheduler, ScheduleSettings, in_working_hours, next_slot
from bot.services import BotSettings
from bot.store import Store
from tests.conftest import fresh_postgres_database

NY = "America/New_York"


def at(text: str, zone: str = NY) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


def local(moment: float, zone: str = NY) -> datetime:
    return datetime.fromtimestamp(moment, ZoneInfo(zone))


class RecordingMessenger:
    """A platform stand-in that records every proactive message (and can refuse some users)."""

    def __init__(self, gone: set[str] = frozenset(), delay: float = 0.0, clock=None) -> None:
        self.sent: list[tuple[str, Reply]] = []
        self.times: list[float] = []
        self.gone, self.delay, self.clock = gone, delay, clock

    async def send(self, user_id: str, reply: Reply) -> None:
        if user_id in self.gone:
            raise Unreachable(user_id)
        if self.delay:
            await asyncio.sleep(self.delay)
        self.sent.append((user_id, reply))
        if self.clock:
            self.times.append(self.clock())

    async def send_reviewers(self, reply: Reply, review_id: int | None = None) -> None:
        pass


class Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def test_slots_fall_inside_working_hours_on_working_days_and_are_spread():
    rng = random.Random(1)
    friday_evening = at("2026-03-06T18:00:00")
    slots = [next_slot(friday_evening, NY, (540, 1020), "US", rng) for _ in range(200)]
    for slot in slots:
        moment = local(slot)
        assert moment.date().isoformat() == "2026-03-09" and 9 <= moment.hour < 17  # Monday, not the weekend
    assert len({local(s).hour for s in slots}) >= 6  # jitter: not everyone at 9:00


def test_holidays_are_skipped():
    july_third_evening = at("2026-07-02T20:00:00")  # July 3 2026 is the observed Independence Day
    slot = local(next_slot(july_third_evening, NY, (540, 1020), "US", random.Random(2)))
    assert slot.date().isoformat() == "2026-07-06"
    without = local(next_slot(july_third_evening, NY, (540, 1020), "", random.Random(2)))
    assert without.date().isoformat() == "2026-07-03"


def test_dst_changes_keep_slots_in_local_working_hours():
    rng = random.Random(3)
    for start in ("2026-03-06T18:00:00", "2026-10-30T18:00:00"):  # before spring-forward and fall-back weekends
        for _ in range(50):
            slot = next_slot(at(start), NY, (540, 1020), "", rng)
            assert 9 <= local(slot).hour < 17 and in_working_hours(slot, NY, (540, 1020), "")


def test_each_users_own_time_zone_is_used():
    slot = next_slot(at("2026-03-09T00:00:00", "Asia/Tokyo"), "Asia/Tokyo", (480, 720), "", random.Random(4))
    assert 8 <= local(slot, "Asia/Tokyo").hour < 12


async def make_bot(policy, store, messenger, clock) -> Bot:
    return Bot(policy, store, messenger, BotSettings(timezone=NY), clock=clock)


async def add_users(store: Store, count: int, **fields) -> list[str]:
    ids = []
    for n in range(count):
        user = await store.get_user(f"test:u{n:04d}")
        for key, value in fields.items():
            setattr(user, key, value)
        await store.save_user(user)
        ids.append(user.id)
    return ids


async def test_nudges_only_inside_hours_never_weekends_snoozed_or_opted_out(policy, store):
    clock = Clock(at("2026-03-06T10:00:00"))  # Friday 10:00
    messenger = RecordingMessenger(clock=clock)
    bot = await make_bot(policy, store, messenger, clock)
    scheduler = Scheduler(
        bot, ScheduleSettings(nudge_every_days=7, reminder_every_days=0), clock=clock, rng=random.Random(5)
    )
    await add_users(store, 3)
    snoozed = await store.get_user("test:snoozed")
    snoozed.snooze_until = at("2026-03-20T00:00:00")
    await store.save_user(snoozed)
    opted_out = await store.get_user("test:optout")
    opted_out.nudges = False
    await store.save_user(opted_out)

    await scheduler.run_once()  # plans: first nudge an hour or more from now, inside hours
    assert messenger.sent == []
    times = {u.id: u.next_nudge_at for u in await store.all_users()}
    assert times["test:optout"] is None
    for user_id in ("test:u0000", "test:u0001", "test:u0002"):
        assert in_working_hours(times[user_id], NY, (540, 1020), "")
    assert local(times["test:snoozed"]).date().isoformat() >= "2026-03-20"

    for _ in range(24 * 4 * 4):  # walk the clock through the weekend, 15 minutes at a time
        clock.now += 900
        await scheduler.run_once()
    for (_, reply), moment in zip(messenger.sent, messenger.times, strict=True):
        assert "Question 1 of 1" in reply.plain()
        assert local(moment).weekday() < 5 and 9 <= local(moment).hour < 17
    assert Counter(user for user, _ in messenger.sent) == {"test:u0000": 1, "test:u0001": 1, "test:u0002": 1}


async def test_nothing_is_sent_at_night_after_an_outage(policy, store):
    clock = Clock(at("2026-03-10T10:00:00"))
    messenger = RecordingMessenger()
    bot = await make_bot(policy, store, messenger, clock)
    scheduler = Scheduler(bot, ScheduleSettings(reminder_every_days=0), clock=clock, rng=random.Random(6))
    await add_users(store, 1)
    await scheduler.plan_new()
    clock.now = at("2026-03-11T03:00:00")  # the scheduler comes back at 3 a.m.
    await scheduler.run_once()
    assert messenger.sent == []
    user = (await store.all_users())[0]
    assert in_working_hours(user.next_nudge_at, NY, (540, 1020), "")


async def test_unanswered_nudges_are_not_stacked_and_missed_questions_come_first(policy, store):
    clock = Clock(at("2026-03-10T09:00:00"))
    messenger = RecordingMessenger()
    bot = await make_bot(policy, store, messenger, clock)
    scheduler = Scheduler(
        bot, ScheduleSettings(nudge_every_days=1, reminder_every_days=0), clock=clock, rng=random.Random(7)
    )
    [user_id] = await add_users(store, 1)
    await store.set_job_time("nudge", user_id, clock.now)
    await scheduler.run_once()
    assert len(messenger.sent) == 1
    await store.set_job_time("nudge", user_id, clock.now)  # due again, but the first is unanswered
    await scheduler.run_once()
    assert len(messenger.sent) == 1

    from bot.messages import Incoming, User

    question = messenger.sent[0][1]
    prompt = next(q for q in policy.questions if q.prompt in question.plain())
    wrong = next(c for c in question.choices if c.label != prompt.options[prompt.answer])  # shown shuffled
    await bot.handle(Incoming("test", User(user_id), user_id, "action", action=wrong.action, value=wrong.value))
    clock.now = at("2026-03-11T10:00:00")
    await store.set_job_time("nudge", user_id, clock.now)
    await scheduler.run_once()
    assert len(messenger.sent) == 2
    assert prompt.prompt in messenger.sent[1][1].plain()  # the missed one comes back first


async def test_a_user_who_blocked_the_bot_is_marked_and_skipped(policy, store):
    clock = Clock(at("2026-03-10T10:00:00"))
    messenger = RecordingMessenger(gone={"test:u0000"})
    bot = await make_bot(policy, store, messenger, clock)
    scheduler = Scheduler(bot, ScheduleSettings(reminder_every_days=0), clock=clock)
    await add_users(store, 2)
    for user in await store.all_users():
        await store.set_job_time("nudge", user.id, clock.now)
    await scheduler.run_once()
    users = {u.id: u for u in await store.all_users()}
    assert users["test:u0000"].unreachable and [u for u, _ in messenger.sent] == ["test:u0001"]


async def test_disclaimer_reminders_are_sent_on_their_own_cadence(policy, store):
    clock = Clock(at("2026-03-10T10:00:00"))
    messenger = RecordingMessenger()
    bot = await make_bot(policy, store, messenger, clock)
    scheduler = Scheduler(bot, ScheduleSettings(nudge_every_days=7, reminder_every_days=30), clock=clock)
    [user_id] = await add_users(store, 1, nudges=False)
    await store.set_job_time("reminder", user_id, clock.now)
    await scheduler.run_once()
    assert "personal-views disclaimer" in messenger.sent[0][1].plain()
    user = await store.get_user(user_id)
    assert user.next_reminder_at - clock.now >= 29 * 86400


async def run_replicas(url: str, policy, users: int, kill_one: bool) -> Counter:
    clock = Clock(at("2026-03-10T10:00:00"))
    messenger = RecordingMessenger(delay=0.001)
    stores = [await Store.open(url) for _ in range(2)]
    ids = await add_users(stores[0], users)
    for user_id in ids:
        await stores[0].set_job_time("nudge", user_id, clock.now - 60)
    schedulers = [
        Scheduler(
            await make_bot(policy, s, messenger, clock),
            ScheduleSettings(reminder_every_days=0, batch=25, claim_lease_seconds=600),
            clock=clock,
            rng=random.Random(n),
        )
        for n, s in enumerate(stores)
    ]
    tasks = [asyncio.create_task(s.run_once()) for s in schedulers]
    if kill_one:
        await asyncio.sleep(0.3)
        tasks[0].cancel()  # a replica dies mid-run, holding claims it never finished
    await asyncio.gather(*tasks, return_exceptions=True)
    clock.now += 601  # its claims expire
    await schedulers[1].run_once()
    for store in stores:
        await store.close()
    return Counter(user for user, _ in messenger.sent)


@pytest.mark.postgres
@pytest.mark.parametrize("kill_one", [False, True], ids=["both-run", "one-killed"])
async def test_two_replicas_on_postgres_nudge_a_thousand_users_exactly_once(policy, kill_one):
    counts = await run_replicas(await fresh_postgres_database(), policy, 1000, kill_one)
    assert len(counts) == 1000 and set(counts.values()) == {1}


async def test_two_replicas_on_sqlite_nudge_every_user_exactly_once(policy, tmp_path):
    counts = await run_replicas(str(tmp_path / "shared.sqlite3"), policy, 200, kill_one=True)
    assert len(counts) == 200 and set(counts.values()) == {1}


@pytest.mark.postgres
async def test_a_database_lost_during_a_run_is_retried_and_nothing_is_lost_or_repeated(policy, caplog):
    from urllib.parse import urlsplit

    from tests.tcp_proxy import Proxy

    url = await fresh_postgres_database()
    parts = urlsplit(url)
    proxy = await Proxy(parts.hostname, parts.port).up()
    through_proxy = url.replace(f":{parts.port}/", f":{proxy.port}/")
    store = await Store.open(through_proxy)
    clock = Clock(at("2026-03-10T10:00:00"))
    messenger = RecordingMessenger()
    ids = await add_users(store, 50)
    for user_id in ids:
        await store.set_job_time("nudge", user_id, clock.now - 60)
    scheduler = Scheduler(
        await make_bot(policy, store, messenger, clock),
        ScheduleSettings(reminder_every_days=0, tick_seconds=0.2),
        clock=clock,
    )
    await proxy.down()  # the database goes away before the run
    stop = asyncio.Event()
    running = asyncio.create_task(scheduler.run(stop))
    await asyncio.sleep(2.5)
    assert messenger.sent == [] and "database unavailable, retrying" in caplog.text
    await proxy.up()  # and comes back on the same address
    for _ in range(100):
        if len(messenger.sent) >= 50:
            break
        await asyncio.sleep(0.1)
    stop.set()
    await running
    await store.close()
    await proxy.down()
    assert Counter(user for user, _ in messenger.sent) == Counter(ids)
