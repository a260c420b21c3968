"""Quizzes: questions from the pack, one at a time; missed questions come back sooner.

Spaced repetition (Leitner boxes): a right answer moves a question up a box and further
into the future; a wrong answer sends it back to box 0, due at once.
"""

from __future__ import annotations

import logging
import random
import uuid

from bot.catalog import language, texts, title_of
from bot.messages import Choices, Note, Reply, Text
from bot.payloads import QuizPick
from bot.services import Services
from bot.store import QuizSession
from bot.turn import Turn, choice
from policy import Policy, Question

log = logging.getLogger("policybot")
BOX_DAYS = (0, 1, 3, 7, 14, 30)


def next_box(box: int, correct: bool) -> int:
    return min(box + 1, len(BOX_DAYS) - 1) if correct else 0


async def pick_questions(services: Services, user_id: str, count: int) -> list[Question]:
    """Missed and due questions first, then unseen ones, then the least recently seen."""
    states = await services.store.quiz_states(user_id)
    now = services.clock()
    questions = list(services.policy.questions)
    services.rng.shuffle(questions)

    def priority(question: Question) -> tuple:
        state = states.get(question.id)
        if state is None:
            return (1, 0.0)
        if state["due_at"] <= now:
            return (0, state["box"], state["due_at"])
        return (2, state["due_at"])

    return sorted(questions, key=priority)[:count]


def shown_order(session: QuizSession, question: Question) -> list[int]:
    """The options in the order they are shown: shuffled per question shown, and the same on every
    replica and after a restart, because it follows from the session's id and position."""
    order = list(range(len(question.options)))
    random.Random(f"{session.session_id}:{session.position}:{question.id}").shuffle(order)
    return order


async def start(turn: Turn) -> Reply:
    services = turn.services
    questions = await pick_questions(services, turn.user.id, services.settings.quiz_length)
    if not questions:
        return Reply([Text.of(texts.QUIZ_EMPTY)])
    session = QuizSession(turn.user.id, uuid.uuid4().hex[:12], [q.id for q in questions], 0, 0, services.clock())
    await services.store.start_quiz_session(session)
    log.info("quiz started user=%s session=%s", turn.user.id, session.session_id)
    return question_reply(services.policy, session)


def question_reply(policy: Policy, session: QuizSession) -> Reply:
    question = question_by_id(policy, session.question_ids[session.position])
    number, total = session.position + 1, len(session.question_ids)
    buttons = tuple(
        choice(question.options[option], "quiz.answer", QuizPick(session.session_id, session.position, question.id, n))
        for n, option in enumerate(shown_order(session, question))
    )
    prompt = Text.of(texts.QUIZ_QUESTION, number=number, total=total, prompt=question.prompt)
    return Reply([prompt, Choices(buttons)])


def question_by_id(policy: Policy, question_id: str) -> Question:
    """The question, in the turn's language where the pack has it."""
    return next(q for q in policy.questions if q.id == question_id).in_language(language())


async def answer(turn: Turn) -> Reply:
    return await _record(turn, turn.payload(QuizPick))


async def answer_typed(turn: Turn) -> Reply:
    """A number typed while a question is on screen answers it; any other number gets a hint."""
    session = await turn.services.store.get_quiz_session(turn.user.id)
    if session is None:
        return Reply([Text.of(texts.QUIZ_NONE_OPEN)])
    question = question_by_id(turn.services.policy, session.question_ids[session.position])
    number = int(turn.incoming.argument or 0)
    if not 1 <= number <= len(question.options):
        return Reply([Text.of(texts.QUIZ_PICK, last=len(question.options))])
    return await _record(turn, QuizPick(session.session_id, session.position, question.id, number - 1), session)


async def _record(turn: Turn, pick: QuizPick, session: QuizSession | None = None) -> Reply:
    services = turn.services
    session = session or await services.store.get_quiz_session(turn.user.id)
    if session is None or (pick.session, pick.position) != (session.session_id, session.position):
        return Reply([Text.of(texts.QUIZ_NOT_OPEN)])
    question = question_by_id(services.policy, session.question_ids[session.position])
    order = shown_order(session, question)
    if pick.question != question.id or not 0 <= pick.shown < len(order):
        return Reply([Text.of(texts.QUIZ_NOT_OPEN)])
    correct = order[pick.shown] == question.answer
    state = await services.store.quiz_state(turn.user.id, question.id)
    box = next_box(state["box"] if state else 0, correct)
    now = services.clock()
    if not await services.store.answer_quiz(session, question.id, correct, box, now + BOX_DAYS[box] * 86400, now):
        return Reply([Text.of(texts.QUIZ_NOT_OPEN)])
    section = services.policy.sections[question.section]
    reply = Reply(
        [
            Text.of(texts.QUIZ_RIGHT)
            if correct
            else Text.of(texts.QUIZ_WRONG, answer=question.options[question.answer]),
            Text.of("{text}", text=question.explanation),
            Note(texts.QUIZ_SECTION.format(title=title_of(section))),
        ]
    )
    session.position += 1
    session.correct += int(correct)
    if session.finished:
        log.info("quiz finished user=%s score=%s/%s", turn.user.id, session.correct, len(session.question_ids))
        return reply.add(Text.of(texts.QUIZ_DONE, score=session.correct, total=len(session.question_ids)))
    reply.blocks.extend(question_reply(services.policy, session).blocks)
    return reply


ACTIONS = {"quiz.answer": answer}
