"""The routing table: every command, button action and awaited reply, and the dialog for it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot import account, answers, drafts, quiz, reviews
from bot.messages import Reply
from bot.payloads import Awaiting
from bot.turn import Turn

Dialog = Callable[[Turn], Awaitable[Reply]]
AwaitedDialog = Callable[[Turn, Awaiting], Awaitable[Reply]]

COMMANDS: dict[str, Dialog] = {
    "help": account.help_reply,
    "policy": answers.lookup,
    "quiz": quiz.start,
    "settings": account.settings,
    "queue": reviews.queue,
    "stop": account.stop,
    "answer": quiz.answer_typed,  # a number typed instead of a quiz button pressed
}
ACTIONS: dict[str, Dialog] = {
    **drafts.ACTIONS,
    **quiz.ACTIONS,
    **reviews.ACTIONS,
    **account.ACTIONS,
    **answers.ACTIONS,
}
AWAITING: dict[str, AwaitedDialog] = dict(reviews.AWAITING)


# Where an understood message goes (see bot/intent.py).
BY_INTENT: dict[str, Callable[[Turn, str], Awaitable[Reply]]] = {
    "draft": drafts.check_text,
    "question": answers.answer_question,
    "smalltalk": answers.small_talk,
    "unsure": answers.ask_intent,
    "ask_only": answers.ask_for_the_draft,
}
