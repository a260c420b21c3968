"""Quizzes: questions from the pack, one at a time; missed questions come back sooner.

Spaced repetition (Leitner boxes): a right answer moves a question up a box and further
into the future; a wrong answer sends it back to box 0, due at once.
"""

from __future__ import annotations

import difflib
import logging
import random
import re
import unicodedata
import uuid

from bot.catalog import language, texts, title_of
from bot.messages import Choices, Note, Reply, Text
from bot.payloads import QuizPick
from bot.services import Services
from bot.store import QuizSession, StoreError
from bot.turn import Turn, choice
from policy import Policy, Question

log = logging.getLogger("policybot")
BOX_DAYS = (0, 1, 3, 7, 14, 30)
TYPED_WINDOW = 12 * 3600  # an answer in words counts for a quiz (or nudge) started this recently
TYPED_MAX_CHARS = 120
_ORDINALS = (
    ("first", "1st", "premier", "premiere", "primero", "primera"),
    ("second", "2nd", "deuxieme", "seconde", "segundo", "segunda"),
    ("third", "3rd", "troisieme", "tercero", "tercera"),
    ("fourth", "4th", "quatrieme", "cuarto", "cuarta"),
    ("fifth", "5th", "cinquieme", "quinto", "quinta"),
)
_FILLER = {"the", "one", "answer", "option", "it's", "its", "is", "la", "le", "l", "el", "reponse", "respuesta"}


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


def plain(text: str) -> str:
    """Lower case, accents and punctuation dropped, single spaces: how typed answers are compared."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w']+", " ", folded).split())


def typed_choice(typed: str, options: list[str]) -> int | None:
    """Which of the options, in the order shown, a typed answer means: a letter ("b", "B)"), an
    ordinal ("the second one", "la deuxième", "la segunda"), or the option's words, whole or the
    start of them or most of them. None when it means none or more than one."""
    words = plain(typed).split()
    if not words or len(typed) > TYPED_MAX_CHARS:
        return None
    if len(words) == 1 and len(words[0]) == 1 and "a" <= words[0] <= "z":
        index = ord(words[0]) - ord("a")
        return index if index < len(options) else None
    meant = [w for w in words if w not in _FILLER]
    if len(meant) == 1:
        for index, names in enumerate(_ORDINALS[: len(options)]):
            if meant[0] in names:
                return index
    if typed.strip() in options:  # options may differ only in case ("#WaterQuality", "#waterquality")
        return options.index(typed.strip())
    said = " ".join(words)
    shown = [plain(option) for option in options]
    for matches in (
        [i for i, option in enumerate(shown) if option == said],
        [i for i, option in enumerate(shown) if option.split()[: len(words)] == words],
        [i for i, option in enumerate(shown) if len(words) >= 2 and set(words) <= set(option.split())],
        [shown.index(m) for m in difflib.get_close_matches(said, shown, n=2, cutoff=0.75)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return None
    return None


async def answer_in_words(turn: Turn) -> Reply | None:
    """A quiz answer typed as a letter, an ordinal or the option's words, while a question is on
    screen; None when the message is not one (then it is read as any other)."""
    if len(turn.incoming.text) > TYPED_MAX_CHARS:
        return None
    services = turn.services
    try:
        session = await services.store.get_quiz_session(turn.user.id)
    except StoreError:  # read as any other message, which works while the store is down
        return None
    if session is None or session.finished or session.started_at < services.clock() - TYPED_WINDOW:
        return None
    question = question_by_id(services.policy, session.question_ids[session.position])
    order = shown_order(session, question)
    shown = typed_choice(turn.incoming.text, [question.options[n] for n in order])
    if shown is None:
        return None
    return await _record(turn, QuizPick(session.session_id, session.position, question.id, shown), session)


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
