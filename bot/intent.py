"""What a typed message asks for: a command (exact words only), a draft, a question or small talk.

A draft is never taken for a command because it starts with a command's word: "Quiz night at
the library!" is a draft; `quiz` alone, `/quiz`, `settings hours 9-17` and `policy records`
are commands. Everything that is not a command goes to the pack's intent classifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.account import SETTING_WORDS
from bot.catalog import COMMANDS_IN_LANGUAGES
from policy.intent import Intent, IntentClassifier

COMMAND_WORDS = ("help", "policy", "quiz", "settings", "queue", "stop")
COMMAND_ALIASES = {word: command for word, (command, _) in COMMANDS_IN_LANGUAGES.items()}
POLICY_TOPIC_MAX_WORDS = 4


def is_topic(text: str) -> bool:
    """A short topic to look up ("hatch act"), not a question to answer."""
    return len(text.split()) <= POLICY_TOPIC_MAX_WORDS and not text.strip().endswith("?")


# Below this confidence, a message that is either a draft or a question gets two buttons.
ASK_BELOW = 0.6
# Questions and small talk are short: anything longer, or a paste of several paragraphs, is a draft.
LONGEST_QUESTION = 600
_DRAFT_PREFIX = re.compile(
    r"^\s*(?:can i post this|could i post this|may i post this|is this ok(?:ay)?(?: to post)?|ok to post(?: this)?"
    r"(?: on \w+)?|is it ok to post this|check this(?: draft| post)?|thinking of (?:posting|tweeting|sharing) this"
    r"|je peux publier (?:ça|ceci|cela)|puis-je publier (?:ça|ceci|cela)|est-ce que je peux publier (?:ça|ceci)"
    r"|¿?puedo publicar esto|¿?puedo postear esto|¿?está bien publicar esto)\s*[?:\-–>]+\s*",
    re.IGNORECASE,
)
_ASKS_ITSELF = re.compile(r"\s*(?:¿|(?:can|could|may|should) i\b|puis-je|est-ce que|puedo\b)", re.IGNORECASE)
# The same ask after the draft: 'Tacos tonight! can I post this?', '..., ¿puedo publicarlo?'. Searched in
# the message's last ASK_TAIL characters only, so a long paste costs nothing.
ASK_TAIL = 80
_SEPARATORS = " -–—:,;(¿"
_DRAFT_SUFFIX = re.compile(
    r"(?<!\w)(?:can i post (?:this|it|that)|could i post (?:this|it)|may i post (?:this|it)"
    r"|is (?:this|it) ok(?:ay)? to post(?: this| it)?|ok to post(?: this| it)?|good to post|safe to post(?: this)?"
    r"|(?:je )?peux-?(?:je|tu)? ?(?:le |la )?publier(?: (?:ça|ceci|cela))?|puis-je (?:le |la )?publier(?: (?:ça|ceci))?"
    r"|est-ce que je peux (?:le |la )?publier(?: (?:ça|ceci))?"
    r"|¿?(?:puedo|podría) (?:publicarlo|publicarla|publicar esto|postearlo|postear esto|subirlo)"
    r"|¿?(?:está|esta) bien (?:publicarlo|publicar esto))\s*[?)]+\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Command:
    word: str  # one of COMMAND_WORDS, "answer" (a typed quiz answer), or "unknown" (a slash command we lack)
    argument: str


@dataclass(frozen=True)
class Understood:
    kind: str  # "command", "draft", "question", "smalltalk", "unsure" or "ask_only" (the ask, no draft)
    text: str  # the draft or question itself, without a "can I post this:" prefix
    command: Command | None = None
    intent: Intent | None = None


def parse_command(text: str) -> Command | None:
    stripped = text.strip()
    if stripped.startswith("/"):
        word, rest = _split(stripped[1:])
        return Command(word, rest) if word in COMMAND_WORDS else Command("unknown", stripped)
    if stripped.isdigit() and len(stripped) <= 2:
        return Command("answer", stripped)  # a quiz answer typed instead of pressed
    word, rest = _split(stripped)
    word = word.rstrip("?!.:")
    word = COMMAND_ALIASES.get(word, word)
    if word not in COMMAND_WORDS:
        return None
    if not rest:
        return Command(word, "")
    short = len(rest.split()) <= POLICY_TOPIC_MAX_WORDS and not re.search(r"[!.?]", rest)
    if word == "settings" and (rest.split()[0].lower() in SETTING_WORDS or short):
        return Command(word, rest)
    if word == "policy" and short:
        return Command(word, rest)
    return None


def understand(text: str, classifier: IntentClassifier) -> Understood:
    command = parse_command(text)
    if command:
        return Understood("command", text, command=command)
    if prefixed := _DRAFT_PREFIX.match(text):
        draft = text[prefixed.end() :].strip().strip('"“”«»')
        return Understood("draft", draft) if draft else Understood("ask_only", text)
    tail_start = max(0, len(text) - ASK_TAIL)
    if suffixed := _DRAFT_SUFFIX.search(text, tail_start):
        draft = text[: suffixed.start()].strip().rstrip(_SEPARATORS).strip().strip('"“”«»')
        if not draft.strip(_SEPARATORS):
            return Understood("ask_only", text)
        if len(draft.split()) >= 2 and not _ASKS_ITSELF.match(draft):
            return Understood("draft", draft)
    if len(text) > LONGEST_QUESTION or text.count("\n\n") >= 2:
        return Understood("draft", text)
    question = re.sub(r"^\s*/?policy\s+", "", text, flags=re.IGNORECASE)
    intent = classifier.classify(question)
    ranked = sorted(intent.probabilities, key=intent.probabilities.__getitem__, reverse=True)
    if intent.confidence < ASK_BELOW and set(ranked[:2]) == {"draft", "question"}:
        return Understood("unsure", text, intent=intent)
    return Understood(intent.kind, question if intent.kind == "question" else text, intent=intent)


def _split(text: str) -> tuple[str, str]:
    word, _, rest = text.strip().partition(" ")
    return word.lower(), rest.strip()
