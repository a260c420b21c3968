"""The store's quiz and review records."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.schema import (
    OPEN,
    QuizSession,
    ReviewItem,
    _review,
    quiz_results,
    quiz_sessions,
    quiz_state,
    reviews,
)
from bot.store_base import StoreBase


class QuizRecords(StoreBase):
    # quiz --------------------------------------------------------------------------------
    async def quiz_states(self, user_id: str) -> dict[str, dict]:
        async def work(connection: AsyncConnection) -> dict[str, dict]:
            rows = (await connection.execute(sa.select(quiz_state).where(quiz_state.c.user_id == user_id))).mappings()
            return {row["question_id"]: dict(row) for row in rows}

        return await self._run(work)

    async def quiz_state(self, user_id: str, question_id: str) -> dict | None:
        async def work(connection: AsyncConnection) -> dict | None:
            key = (quiz_state.c.user_id == user_id) & (quiz_state.c.question_id == question_id)
            row = (await connection.execute(sa.select(quiz_state).where(key))).mappings().first()
            return dict(row) if row else None

        return await self._run(work)

    async def get_quiz_session(self, user_id: str) -> QuizSession | None:
        async def work(connection: AsyncConnection) -> QuizSession | None:
            query = sa.select(quiz_sessions).where(quiz_sessions.c.user_id == user_id)
            row = (await connection.execute(query)).mappings().first()
            if row is None:
                return None
            return QuizSession(**{**row, "question_ids": json.loads(row["question_ids"])})

        return await self._run(work)

    async def start_quiz_session(self, session: QuizSession) -> None:
        async def work(connection: AsyncConnection) -> None:
            await connection.execute(quiz_sessions.delete().where(quiz_sessions.c.user_id == session.user_id))
            await connection.execute(
                quiz_sessions.insert().values(**{**asdict(session), "question_ids": json.dumps(session.question_ids)})
            )

        await self._run(work)

    async def answer_quiz(
        self, session: QuizSession, question_id: str, correct: bool, box: int, due_at: float, now: float
    ) -> bool:
        """Record one answer, if the session is still at this position (a stale click records nothing)."""

        async def work(connection: AsyncConnection) -> bool:
            moved = await connection.execute(
                quiz_sessions.update()
                .where(
                    quiz_sessions.c.user_id == session.user_id,
                    quiz_sessions.c.session_id == session.session_id,
                    quiz_sessions.c.position == session.position,
                )
                .values(position=session.position + 1, correct=session.correct + int(correct))
            )
            if moved.rowcount != 1:
                return False
            key = (quiz_state.c.user_id == session.user_id) & (quiz_state.c.question_id == question_id)
            row = (await connection.execute(sa.select(quiz_state).where(key))).mappings().first()
            if row is None:
                await connection.execute(
                    quiz_state.insert().values(
                        user_id=session.user_id,
                        question_id=question_id,
                        box=box,
                        due_at=due_at,
                        seen=1,
                        correct=int(correct),
                        last_at=now,
                    )
                )
            else:
                await connection.execute(
                    quiz_state.update()
                    .where(key)
                    .values(
                        box=box,
                        due_at=due_at,
                        seen=row["seen"] + 1,
                        correct=row["correct"] + int(correct),
                        last_at=now,
                    )
                )
            if session.position + 1 >= len(session.question_ids):  # the last answer: record the result
                await connection.execute(
                    quiz_results.insert().values(
                        user_id=session.user_id,
                        session_id=session.session_id,
                        score=session.correct + int(correct),
                        total=len(session.question_ids),
                        finished_at=now,
                    )
                )
                await connection.execute(quiz_sessions.delete().where(quiz_sessions.c.user_id == session.user_id))
            return True

        return await self._run(work)

    async def end_quiz_session(self, user_id: str, session_id: str) -> None:
        async def work(connection: AsyncConnection) -> None:
            await connection.execute(
                quiz_sessions.delete().where(
                    quiz_sessions.c.user_id == user_id, quiz_sessions.c.session_id == session_id
                )
            )

        await self._run(work)

    async def quiz_results(self, user_id: str | None = None, since: float | None = None) -> list[dict]:
        async def work(connection: AsyncConnection) -> list[dict]:
            query = sa.select(quiz_results).order_by(quiz_results.c.finished_at)
            if user_id is not None:
                query = query.where(quiz_results.c.user_id == user_id)
            if since is not None:
                query = query.where(quiz_results.c.finished_at >= since)
            return [dict(row) for row in (await connection.execute(query)).mappings()]

        return await self._run(work)

    # reviews -----------------------------------------------------------------------------


class ReviewRecords(StoreBase):
    async def create_review(self, **values: Any) -> int:
        values = {**values, "rules": json.dumps(values["rules"]), "status": OPEN}

        async def work(connection: AsyncConnection) -> int:
            result = await connection.execute(reviews.insert().values(**values).returning(reviews.c.id))
            return int(result.scalar_one())

        return await self._run(work)

    async def get_review(self, review_id: int) -> ReviewItem | None:
        async def work(connection: AsyncConnection) -> ReviewItem | None:
            row = (await connection.execute(sa.select(reviews).where(reviews.c.id == review_id))).mappings().first()
            return _review(row) if row else None

        return await self._run(work)

    async def list_reviews(self, status: str | None = OPEN) -> list[ReviewItem]:
        async def work(connection: AsyncConnection) -> list[ReviewItem]:
            query = sa.select(reviews).order_by(reviews.c.id)
            if status is not None:
                query = query.where(reviews.c.status == status)
            return [_review(row) for row in (await connection.execute(query)).mappings()]

        return await self._run(work)

    async def set_review_reason(self, review_id: int, author_id: str, reason: str) -> bool:
        async def work(connection: AsyncConnection) -> bool:
            result = await connection.execute(
                reviews.update()
                .where(reviews.c.id == review_id, reviews.c.author_id == author_id, reviews.c.status == OPEN)
                .values(reason=reason)
            )
            return result.rowcount == 1

        return await self._run(work)

    async def decide_review(
        self, review_id: int, status: str, decided_by: str, comment: str, now: float, keep_draft: bool
    ) -> bool:
        """Compare-and-set: only an open item can be decided, so it is decided once."""

        async def work(connection: AsyncConnection) -> bool:
            values: dict[str, Any] = {
                "status": status,
                "decided_by": decided_by,
                "decided_at": now,
                "comment": comment,
            }
            if not keep_draft:
                values["draft"] = None
            result = await connection.execute(
                reviews.update().where(reviews.c.id == review_id, reviews.c.status == OPEN).values(**values)
            )
            return result.rowcount == 1

        return await self._run(work)

    async def mark_exported(self, review_ids: list[int]) -> None:
        async def work(connection: AsyncConnection) -> None:
            await connection.execute(
                reviews.update().where(reviews.c.id.in_(review_ids)).values(exported=True, draft=None)
            )

        await self._run(work)

    async def purge_drafts(self, now: float) -> int:
        """Drop the text of every review item past its purge time."""

        async def work(connection: AsyncConnection) -> int:
            result = await connection.execute(
                reviews.update().where(reviews.c.purge_after <= now, reviews.c.draft.is_not(None)).values(draft=None)
            )
            return result.rowcount

        return await self._run(work)

    # scheduled jobs (quiz nudges, disclaimer reminders) --------------------------------------
