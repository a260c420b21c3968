"""Dialog behaviour from issue 11: expired buttons, the quiz against fixed strategies, settings in
human words, and a review decision with a comment."""

from __future__ import annotations

import asyncio
import io
import logging

import pytest

from adapters.console import ConsoleChat
from bot.human import parse_hours, parse_snooze, parse_timezone
from bot.messages import Choice, User, VerdictBlock
from bot.payloads import DraftRef, Expired, QuizPick, decode, encode
from tests.harness import text_of


@pytest.mark.parametrize(
    "value", ['{"d":"hello"}', "{}", "[]", "null", "x", '{"v":2,"k":"draft","account":7,"on_duty":false}']
)
async def test_an_old_or_foreign_payload_gets_expired_and_no_traceback(alice, caplog, value):
    with caplog.at_level(logging.DEBUG):
        reply = await alice.press(Choice("Fix it for me", "draft.fix", value))
    assert "This button has expired" in text_of(reply)
    assert not [r for r in caplog.records if r.exc_info]


def test_payloads_round_trip_and_refuse_other_kinds():
    ref = DraftRef("official", True, text="Hello")
    assert decode(encode(ref), DraftRef) == ref
    with pytest.raises(Expired):
        decode(encode(ref), QuizPick)


async def test_the_console_answers_an_expired_button_too(bot):
    out = io.StringIO()
    console = ConsoleChat(bot, User("console:zoe", "Zoe"), False, out, colour=False)
    console.choices = [Choice("Fix it for me", "draft.fix", '{"d":"hello"}')]
    await console.say("1")
    assert "This button has expired" in out.getvalue()


async def play(person, pick) -> tuple[int, int]:
    """One quiz, answering each question with the button `pick` chooses; (right, asked)."""
    reply = await person.say("quiz")
    right = asked = 0
    while reply.choices:
        shown = [c for c in reply.choices if c.action == "quiz.answer"]
        if not shown:
            break
        reply = await person.press(pick(shown))
        asked += 1
        right += "Right." in text_of(reply).split("\n")[0]
    return right, asked


@pytest.mark.parametrize("position", [0, 1, 2, -1])
async def test_the_quiz_cannot_be_passed_by_always_pressing_the_same_number(alice, position):
    right = asked = 0
    for _ in range(25):
        got, total = await play(alice, lambda shown: shown[position if position < len(shown) else -1])
        right, asked = right + got, asked + total
    assert asked == 75
    assert right / asked < 0.6  # about a third to a half by chance; a fixed answer key would give 1.0


async def test_the_correct_answers_are_spread_over_the_positions(policy):
    from collections import Counter

    positions = Counter((q.answer, len(q.options)) for q in policy.questions)
    for count in {len(q.options) for q in policy.questions}:
        spread = [positions[(i, count)] for i in range(count)]
        assert max(spread) - min(spread) <= 1, spread


async def test_a_number_not_on_screen_gets_a_hint_and_stop_leaves(alice):
    await alice.say("quiz")
    assert "Pick 1–" in text_of(await alice.say("7"))
    assert "Stopped" in text_of(await alice.say("stop"))
    assert "No quiz is open" in text_of(await alice.say("2"))


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("9-17", (540, 1020)),
        ("9am-5pm", (540, 1020)),
        ("8:30-17:00", (510, 1020)),
        ("22-6", (1320, 360)),
        ("8.30 to 16.45", (510, 1005)),
        ("12pm-8pm", (720, 1200)),
    ],
)
def test_working_hours_in_the_forms_people_type(typed, minutes):
    assert parse_hours(typed) == minutes


@pytest.mark.parametrize(("typed", "days"), [("3", 3), ("3 days", 3), ("1 week", 7), ("2 weeks", 14)])
def test_snooze_in_the_forms_people_type(typed, days):
    assert parse_snooze(typed) == days


def test_time_zone_typos_get_a_did_you_mean():
    assert parse_timezone("europe/london") == "Europe/London"
    with pytest.raises(ValueError, match="did you mean Europe/London"):
        parse_timezone("Europe/Londn")
    with pytest.raises(ValueError, match="did you mean America/Chicago"):
        parse_timezone("Chicago")


async def test_settings_are_said_back_in_human_words(alice):
    assert "Quiz nudges are off." in text_of(await alice.say("settings nudges off"))
    shown = text_of(await alice.say("settings"))
    assert "Quiz nudges: off" in shown and "snoozed" not in shown
    assert "Working hours: 22:00–6:00 (night shift), Mon–Fri" in text_of(await alice.say("settings hours 22-6"))
    assert "8:30–17:00" in text_of(await alice.say("settings hours 8:30-17"))
    assert "snoozed until" in text_of(await alice.say("settings snooze 1 week"))
    assert "Quiz nudges are off." in text_of(await alice.say("settings snooze forever"))
    assert "did you mean Europe/Paris" in text_of(await alice.say("settings timezone Europe/Pari"))
    for bad, words in (
        ("settings hours 25-3", "working hours look like"),
        ("settings snooze lots", "snooze takes"),
        ("settings nudges maybe", "say on or off"),
        ("settings colour blue", "no setting called"),
    ):
        reply = text_of(await alice.say(bad))
        assert words in reply and "invalid literal" not in reply and "Traceback" not in reply


async def test_settings_say_plainly_what_is_asked(alice):
    assert "Drafts are checked as: I ask when it matters (which account, on or off duty)" in text_of(
        await alice.say("settings")
    )
    await alice.say("settings account personal")
    assert "personal account; I ask whether you are on duty when it matters" in text_of(await alice.say("settings"))
    await alice.say("settings duty off")
    assert "Drafts are checked as: personal account, off duty" in text_of(await alice.say("settings"))


async def test_changing_the_context_of_one_draft_asks_before_it_becomes_the_default(alice, bot):
    await alice.say("settings account personal")
    await alice.say("settings duty off")
    first = await alice.say("Our new recycling pickup schedule starts Monday, see the city website.")
    changed = await alice.click(await alice.click(first, "Change account / duty"), "Official account")
    assert [b for b in changed.blocks if isinstance(b, VerdictBlock)]
    assert "Use that from now on?" in text_of(changed)
    assert (await bot.store.get_user(alice.user.id)).account == "personal"  # not changed silently
    await alice.click(changed, "Yes, from now on")
    assert (await bot.store.get_user(alice.user.id)).account == "official"


async def typed(lines: list[str], gap: float):
    for line in lines:
        yield line + "\n"
        await asyncio.sleep(gap)


PASTE = [
    "personal: off duty: Some news from work, folks:",
    "the internal memo says the north branch closes in March,",
    "nobody has been told yet.",
]


async def test_a_multi_line_paste_is_one_draft(bot):
    out = io.StringIO()
    console = ConsoleChat(bot, User("console:pat", "Pat"), False, out, colour=False)
    await console.run(typed(PASTE, 0.001), paste_window=0.25)
    assert out.getvalue().count("checked as:") == 1


async def test_lines_typed_slowly_are_separate_messages(bot):
    out = io.StringIO()
    console = ConsoleChat(bot, User("console:sam", "Sam"), False, out, colour=False)
    await console.run(typed(["personal: off duty: Go team!", "personal: off duty: Lovely day."], 0.1), 0.02)
    assert out.getvalue().count("checked as:") == 2


def test_lines_between_triple_quotes_are_one_draft_through_a_pipe(tmp_path):
    from tests.test_console import chat

    fenced = chat(tmp_path / "bot.db", ['"""', *PASTE, '"""'], "--user", "quinn")
    assert fenced.stdout.count("checked as:") == 1


async def test_replacing_personal_data_keeps_the_disclaimer_the_stop_left_out(alice, bot):
    await alice.say("settings account personal")
    await alice.say("settings duty off")
    with_view = await alice.say(
        "Call me at 555-201-3344. I'm a county engineer and honestly the new bridge is a waste of money."
    )
    assert "STOP" in text_of(with_view).upper()
    fixed = text_of(await alice.click(with_view, "What should I remove?"))
    assert "personal data replaced and the disclaimer added" in fixed
    assert "[phone number removed]" in fixed and "555-201" not in fixed and bot.policy.disclaimer in fixed

    no_view = await alice.say("Our bake sale raised $600 for the library! Call 555-201-3344 to volunteer next year.")
    fixed = text_of(await alice.click(no_view, "What should I remove?"))
    assert "personal data replaced:" in fixed and bot.policy.disclaimer not in fixed


def _first_line(reply) -> str:
    return text_of(reply).split("\n")[0]


def _answered(reply) -> bool:
    return "Right." in _first_line(reply) or "Not quite" in _first_line(reply)


def _on_screen(reply, policy):
    """The question a reply shows, and its options' labels in the order shown."""
    shown = [c.label for c in reply.choices if c.action == "quiz.answer"]
    question = next(q for q in policy.questions if q.prompt in text_of(reply))
    return question, shown


@pytest.mark.parametrize(
    "spell",
    [
        lambda labels, n: labels[n],
        lambda labels, n: f"  {labels[n]} ",
        lambda labels, n: "abcdef"[n],
        lambda labels, n: "ABCDEF"[n] + ")",
        lambda labels, n: f"the {('first', 'second', 'third', 'fourth')[n]} one",
    ],
    ids=["label", "label-spaced", "letter", "letter-paren", "ordinal"],
)
async def test_a_quiz_answer_can_be_typed_as_its_words_a_letter_or_an_ordinal(alice, policy, spell):
    reply = await alice.say("quiz")
    asked = 0
    while any(c.action == "quiz.answer" for c in reply.choices):
        question, labels = _on_screen(reply, policy)
        right = labels.index(question.options[question.answer])
        reply = await alice.say(spell(labels, right))
        assert "Right." in _first_line(reply), (labels, right, text_of(reply)[:200])
        asked += 1
    assert f"{asked} of {asked}" in text_of(reply) or f"{asked}/{asked}" in text_of(reply)


async def test_a_wrong_answer_typed_in_words_is_marked_wrong(alice, policy):
    question, labels = _on_screen(await alice.say("quiz"), policy)
    wrong = next(n for n, label in enumerate(labels) if label != question.options[question.answer])
    reply = await alice.say(labels[wrong])
    assert "Not quite" in _first_line(reply), labels[wrong]
    assert question.options[question.answer] in text_of(reply)


async def test_a_draft_or_question_typed_during_a_quiz_is_still_read_and_the_quiz_waits(alice, policy):
    question, labels = _on_screen(await alice.say("quiz"), policy)
    asked = await alice.say("Vote for Jane Smith on Tuesday! #TeamSmith")
    assert {c.action for c in asked.choices} == {"context.set"}  # read as a draft: which account?
    checked = await alice.say("personal account, off duty")
    assert any(isinstance(b, VerdictBlock) for b in checked.blocks)
    answered = await alice.say(str(labels.index(question.options[question.answer]) + 1))
    assert "Right." in _first_line(answered)


async def test_words_are_not_taken_for_an_answer_once_the_quiz_is_old(bot, alice, policy):
    await alice.say("quiz")
    start = bot.clock()
    bot.clock = lambda: start + 13 * 3600
    reply = await alice.say("b")
    assert not _answered(reply)
    assert _answered(await alice.say("2"))  # a number still answers  # a number still answers


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("No", 1),
        ("yes it applies", 0),
        ("only during working hours", 2),
        ("onyl during workng hours", 2),
        ("la deuxième", 1),
        ("la segunda", 1),
        ("(c)", 2),
        ("official accounts", None),  # in two options
        ("d", None),  # no fourth option
        ("I think so", None),
    ],
)
def test_typed_choice_takes_only_what_means_one_option(typed, meant):
    from bot.quiz import typed_choice

    options = [
        "Yes, it applies to personal and official accounts",
        "No, only to official accounts",
        "Only during working hours",
    ]
    assert typed_choice(typed, options) == meant
