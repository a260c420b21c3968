"""Quizzes: questions from the pack, one at a time; missed questions come back sooner.

Spaced repetition (Leitner boxes): a right answer moves a question up a box and further
into the future; a wrong answer sends it back to box 0, due at once.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import replace

from bot import texts
from bot.core import Bot, Turn, choice
from bot.messages import Choices, Note, Reply, Text
from bot.store import QuizSession
from policy import Question

log = logging.getLogger("policybot")
BOX_DAYS = (0, 1, 3, 7, 14, 30)


def next_box(box: int, correct: bool) -> int:
    return min(box + 1, len(BOX_DAYS) - 1) if correct else 0


async def pick_questions(bot: Bot, user_id: str, count: int) -> list[Question]:
    """Missed and due questions first, then unseen ones, then the least recently seen."""
    states = await bot.store.quiz_states(user_id)
    now = bot.clock()
    questions = list(bot.policy.questions)
    bot.rng.shuffle(questions)

    def priority(question: Question) -> tuple:
        state = states.get(question.id)
        if state is None:
            return (1, 0.0)
        if state["due_at"] <= now:
            return (0, state["box"], state["due_at"])
        return (2, state["due_at"])

    return sorted(questions, key=priority)[:count]


async def start(turn: Turn) -> Reply:
    bot = turn.bot
    questions = await pick_questions(bot, turn.user.id, bot.settings.quiz_length)
    if not questions:
        return Reply([Text(texts.QUIZ_EMPTY)])
    session = QuizSession(turn.user.id, uuid.uuid4().hex[:12], [q.id for q in questions], 0, 0, bot.clock())
    await bot.store.start_quiz_session(session)
    log.info("quiz started user=%s session=%s", turn.user.id, session.session_id)
    return question_reply(bot, session)


def question_reply(bot: Bot, session: QuizSession) -> Reply:
    question = _question(bot, session.question_ids[session.position])
    number, total = session.position + 1, len(session.question_ids)
    value = {"s": session.session_id, "p": session.position, "q": question.id}
    return Reply(
        [
            Text(f"*Question {number} of {total}:* {question.prompt}"),
            Choices(
                tuple(
                    choice(option, "quiz.answer", {**value, "i": index})
                    for index, option in enumerate(question.options)
                )
            ),
        ]
    )


def _question(bot: Bot, question_id: str) -> Question:
    return next(q for q in bot.policy.questions if q.id == question_id)


async def answer(turn: Turn) -> Reply:
    bot, payload = turn.bot, turn.payload()
    session = await bot.store.get_quiz_session(turn.user.id)
    if (
        session is None
        or payload.get("s") != session.session_id
        or payload.get("p") != session.position
        or payload.get("q") != session.question_ids[session.position]
    ):
        return Reply([Text(texts.QUIZ_NOT_OPEN)])
    question = _question(bot, session.question_ids[session.position])
    correct = payload.get("i") == question.answer
    state = (await bot.store.quiz_states(turn.user.id)).get(question.id)
    box = next_box(state["box"] if state else 0, correct)
    now = bot.clock()
    if not await bot.store.answer_quiz(session, question.id, correct, box, now + BOX_DAYS[box] * 86400, now):
        return Reply([Text(texts.QUIZ_NOT_OPEN)])
    section = bot.policy.sections[question.section]
    reply = Reply(
        [
            Text(texts.QUIZ_RIGHT if correct else texts.QUIZ_WRONG.format(answer=question.options[question.answer])),
            Text(question.explanation),
            Note(f"Policy section: {section.title}"),
        ]
    )
    session.position += 1
    session.correct += int(correct)
    if session.position >= len(session.question_ids):
        log.info("quiz finished user=%s score=%s/%s", turn.user.id, session.correct, len(session.question_ids))
        reply.add(Text(texts.QUIZ_DONE.format(score=session.correct, total=len(session.question_ids))))
        return reply
    reply.blocks.extend(question_reply(bot, session).blocks)
    return reply


async def answer_typed(turn: Turn) -> Reply:
    """A number typed while a question is on screen answers it; any other number gets a hint."""
    session = await turn.bot.store.get_quiz_session(turn.user.id)
    if session is None:
        return Reply([Text(texts.QUIZ_NONE_OPEN)])
    question = _question(turn.bot, session.question_ids[session.position])
    number = int(turn.incoming.argument or 0)
    if not 1 <= number <= len(question.options):
        return Reply([Text(texts.QUIZ_PICK.format(last=len(question.options)))])
    value = {"s": session.session_id, "p": session.position, "q": question.id, "i": number - 1}
    turn.incoming = replace(turn.incoming, value=json.dumps(value))
    return await answer(turn)


ACTIONS = {"quiz.answer": answer}
