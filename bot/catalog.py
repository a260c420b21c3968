"""The bot's texts in the language of the turn: English (`bot/texts.py`), French or Spanish.

`texts.NAME` reads the constant NAME in the language the current turn speaks, or in English
where a translation lacks it. `Bot.handle` chooses the language once per turn (`language_for`) and
sets it with `speaking`, so the dialogs do not pass it around; a context variable keeps turns
that run at the same time apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import ModuleType
from typing import Any

from bot import texts as english
from bot import texts_es, texts_fr
from policy import Policy
from policy.language import language_of
from policy.model import Finding, Section

CATALOGS: dict[str, ModuleType] = {"en": english, "fr": texts_fr, "es": texts_es}
LANGUAGE_NAMES = {"en": "English", "fr": "français", "es": "español"}  # each in its own words
LANGUAGE_WORDS = {
    "en": "en",
    "english": "en",
    "anglais": "en",
    "inglés": "en",
    "ingles": "en",
    "fr": "fr",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "francés": "fr",
    "frances": "fr",
    "es": "es",
    "spanish": "es",
    "espagnol": "es",
    "español": "es",
    "espanol": "es",
}
# the commands' French and Spanish names: the command each stands for, in its language
# (bot/intent.py reads the command; `written_in` the language)
COMMANDS_IN_LANGUAGES = {
    **{word: ("help", "fr") for word in ("aide",)},
    **{word: ("policy", "fr") for word in ("politique",)},
    **{word: ("settings", "fr") for word in ("paramètres", "parametres")},
    **{word: ("stop", "fr") for word in ("arrêter", "arreter")},
    **{word: ("help", "es") for word in ("ayuda",)},
    **{word: ("policy", "es") for word in ("política", "politica")},
    **{word: ("settings", "es") for word in ("ajustes",)},
    **{word: ("stop", "es") for word in ("detener",)},
}
# words that say which language the user speaks, however short the message
_SPOKEN_BY_WORD = {word: language for word, (_, language) in COMMANDS_IN_LANGUAGES.items()}
_SPOKEN_BY_WORD |= {"help": "en", "settings": "en", "salut": "fr", "merci": "fr", "hola": "es"}
MIN_WORDS = 3  # from here the language identifier is trusted at its usual score
SHORT_MIN_SCORE = 0.8  # a shorter message ("bonjour", "gracias") must be unmistakable, else the last one is kept

_speaking: ContextVar[str] = ContextVar("speaking", default="en")


class Catalog:
    """`texts.NAME` in the current turn's language."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(english, name)  # an unknown name fails as it would on the module
        language = _speaking.get()
        return value if language == "en" else getattr(CATALOGS[language], name, value)


texts = Catalog()


def language() -> str:
    """The current turn's language."""
    return _speaking.get()


def title_of(section: Section) -> str:
    """A pack section's title in the turn's language, when the pack has it (`titles`)."""
    return section.title_in(_speaking.get())


def body_of(section: Section) -> str:
    """A pack section's body in the turn's language, when the pack has it (`bodies`)."""
    return section.body_in(_speaking.get())


def passage_of(section: Section, passage: str) -> str:
    """A paragraph the pack quotes from a section, in the turn's language when the pack has it (`bodies`)."""
    return section.passage_in(passage, _speaking.get())


def message_of(policy: Policy, finding: Finding) -> str:
    """A finding's message in the turn's language, when its table row has it (`messages`)."""
    row = next((r for r in policy.rows if r.id == finding.rule), None)
    if row is None or _speaking.get() == "en":
        return finding.message
    message = row.message_in(_speaking.get())
    if finding.verdict == row.verdict:
        return message
    return texts.POSSIBLY.format(message=f"{message[:1].lower()}{message[1:]}")  # a "possible" stop row


def context_words(account: str, on_duty: bool) -> str:
    """ "personal account, off duty", in the turn's language."""
    return f"{texts.ACCOUNT_WORDS[account]}, {texts.DUTY_WORDS['on' if on_duty else 'off']}"


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Answer in `language` ("fr", or a locale such as "fr-CA") inside the block; English if unknown."""
    token = _speaking.set(_known(language))
    try:
        yield
    finally:
        _speaking.reset(token)


def answer_in(language: str | None) -> None:
    """From here to the end of the `speaking` block, answer in `language`."""
    _speaking.set(_known(language))


def _known(language: str | None) -> str:
    code = (language or "").split("-")[0].lower()
    return code if code in CATALOGS else "en"


def language_for(written: str | None, chosen: str | None, locale: str = "", last: str | None = None) -> str:
    """The language to answer in: the one the user chose in their settings; else the language of
    what they just wrote (`written_in`); else the one they wrote in last; else their platform's
    locale ("fr-CA"); else English."""
    if chosen in CATALOGS:
        return chosen
    return written or (last if last in CATALOGS else _known(locale))


def written_in(text: str) -> str | None:
    """The language of a message when it is long enough to tell, or is a command word."""
    words = text.split()
    if words and words[0].lower().lstrip("/") in _SPOKEN_BY_WORD and len(words) <= 4:
        return _SPOKEN_BY_WORD[words[0].lower().lstrip("/")]
    if not words:
        return None
    written = language_of(text) if len(words) >= MIN_WORDS else language_of(text, SHORT_MIN_SCORE)
    return written if written in CATALOGS else None
