"""Reports match what the store recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.reports import reviews_report, training_report
from bot.store import QuizSession
from tests.conftest import ROOT

DAY = 86400.0
NOW = 1_800_000_000.0


async def seed(store) -> None:
    for user_id, team in (("slack:T1:UA", "T1"), ("slack:T1:UB", "T1"), ("teams:X:UC", "X")):
        await store.get_user(user_id, user_id[-2:], team)
    answers = {"slack:T1:UA": [(True, True, False), (True, True, True)], "teams:X:UC": [(False, False, True)]}
    for user_id, quizzes in answers.items():
        for n, right in enumerate(quizzes):
            session = QuizSession(user_id, f"{user_id}-{n}", ["q1", "q2", "q3"], 0, 0, 0.0)
            await store.start_quiz_session(session)
            for position, correct in enumerate(right):
                when = NOW - (400 * DAY if user_id.startswith("teams") else 10 * DAY) + position
                await store.answer_quiz(session, f"q{position + 1}", correct, 1, when, when)
                session.position += 1
                session.correct += int(correct)
    first = await store.create_review(
        kind="draft",
        author_id="slack:T1:UA",
        author_name="A",
        draft="d",
        account="official",
        on_duty=True,
        verdict="review",
        rules=[],
        created_at=NOW,
        purge_after=NOW + DAY,
    )
    await store.create_review(
        kind="appeal",
        author_id="slack:T1:UB",
        author_name="B",
        draft="d",
        account="personal",
        on_duty=False,
        verdict="stop",
        rules=[],
        created_at=NOW,
        purge_after=NOW + DAY,
    )
    await store.decide_review(first, "approved", "r", "", NOW + 2 * 3600, keep_draft=False)


async def test_training_report_matches_the_recorded_answers(store):
    await seed(store)
    rows, teams = await training_report(store, NOW)
    by_user = {r.user: r for r in rows}
    assert (by_user["slack:T1:UA"].quizzes, by_user["slack:T1:UA"].right, by_user["slack:T1:UA"].asked) == (2, 5, 6)
    assert not by_user["slack:T1:UA"].overdue
    assert by_user["slack:T1:UB"].quizzes == 0 and by_user["slack:T1:UB"].overdue
    assert by_user["teams:X:UC"].overdue and by_user["teams:X:UC"].score == 1 / 3  # 400 days ago
    assert teams == [
        {"team": "T1", "users": 2, "trained": 1, "overdue": 1, "quizzes": 2},
        {"team": "X", "users": 1, "trained": 1, "overdue": 1, "quizzes": 1},
    ]
    recent, _ = await training_report(store, NOW, since=NOW - 30 * DAY)
    assert {r.user: r.quizzes for r in recent}["teams:X:UC"] == 0


async def test_reviews_report_counts_and_times(store):
    await seed(store)
    data = await reviews_report(store)
    assert data["open"] == 1 and data["decided"] == 1
    assert data["by_kind_and_status"] == {"appeal:open": 1, "draft:approved": 1}
    assert data["hours_to_decision"]["median"] == 2.0


async def test_report_commands_print_csv_and_json(store):
    await seed(store)
    env = {**os.environ, "POLICYBOT_DATABASE": store.label}
    run = [sys.executable, "-m", "adapters.main", "report"]
    csv = subprocess.run([*run, "training", "--csv"], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    lines = csv.stdout.splitlines()
    assert lines[0] == "user,name,team,quizzes,last_completed,score,overdue"
    assert any(line.startswith("slack:T1:UA,UA,T1,2,") and line.endswith(",83%,no") for line in lines)
    out = subprocess.run([*run, "reviews", "--json"], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert json.loads(out.stdout)["open"] == 1
