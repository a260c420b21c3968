"""The training report (who took quizzes, how they did, who is overdue) and the review-queue report."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bot.store import OPEN, Store

DAY = 86400.0


@dataclass
class TrainingRow:
    user: str
    name: str
    team: str
    quizzes: int
    last_completed: float | None
    right: int
    asked: int
    overdue: bool

    @property
    def score(self) -> float | None:
        return self.right / self.asked if self.asked else None


async def training_report(store: Store, now: float, since: float | None = None, overdue_days: float = 365):
    """Per user: quizzes taken, last completion, score, overdue flag; and totals per team."""
    results = await store.quiz_results(since=since)
    by_user: dict[str, list[dict]] = {}
    for result in results:
        by_user.setdefault(result["user_id"], []).append(result)
    rows = []
    for user in await store.all_users():
        taken = by_user.get(user.id, [])
        last = max((r["finished_at"] for r in taken), default=None)
        rows.append(
            TrainingRow(
                user.id,
                user.name,
                user.team or "-",
                len(taken),
                last,
                sum(r["score"] for r in taken),
                sum(r["total"] for r in taken),
                overdue=last is None or now - last > overdue_days * DAY,
            )
        )
    teams: dict[str, dict] = {}
    for row in rows:
        team = teams.setdefault(row.team, {"team": row.team, "users": 0, "trained": 0, "overdue": 0, "quizzes": 0})
        team["users"] += 1
        team["trained"] += row.quizzes > 0
        team["overdue"] += row.overdue
        team["quizzes"] += row.quizzes
    return rows, sorted(teams.values(), key=lambda t: t["team"])


async def reviews_report(store: Store) -> dict:
    items = await store.list_reviews(status=None)
    decided = [i for i in items if i.status != OPEN and i.decided_at]
    waits = sorted((i.decided_at - i.created_at) / 3600 for i in decided)
    by_status: dict[str, int] = {}
    for item in items:
        by_status[f"{item.kind}:{item.status}"] = by_status.get(f"{item.kind}:{item.status}", 0) + 1
    return {
        "open": sum(i.status == OPEN for i in items),
        "decided": len(decided),
        "by_kind_and_status": dict(sorted(by_status.items())),
        "hours_to_decision": {
            "median": round(statistics.median(waits), 2) if waits else None,
            "p90": round(waits[int(0.9 * (len(waits) - 1))], 2) if waits else None,
            "max": round(waits[-1], 2) if waits else None,
        },
    }
