"""The shadow text: a folded copy of a draft for matching, with a map back to the original.

Matching runs on the shadow so that look-alike letters, zero-width characters,
leetspeak, s p a c e d letters and spelled-out digits cannot hide a cue; every
shadow position remembers the original index it came from, so findings point
at what the author actually wrote.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import re2

from policy.numberwords import BEYOND_NINE, NUMBER_RUN, digits_from_number_words

# Cyrillic and Greek letters that look like Latin ones (lower case; the text is lowered first).
HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ӏ": "l",
        "һ": "h",
        "ԛ": "q",
        "ԝ": "w",
        "ɡ": "g",
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "γ": "y",
        "ω": "w",
        "ѵ": "v",
    }
)
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    # French and Spanish, folded (no accents); read only in runs of three or more.
    "un": "1",
    "deux": "2",
    "trois": "3",
    "quatre": "4",
    "cinq": "5",
    "sept": "7",
    "huit": "8",
    "neuf": "9",
    "cero": "0",
    "uno": "1",
    "dos": "2",
    "tres": "3",
    "cuatro": "4",
    "cinco": "5",
    "seis": "6",
    "siete": "7",
    "ocho": "8",
    "nueve": "9",
}

# Runs of letters, digits, @ and $ (RE2: linear time on any input); a run is leetspeak when a
# digit or symbol stands between letters: "d0n4te", "k1ll3r", "p@ss".
_LEET_RUN = re2.compile(r"[a-zA-Z0-9@$]+")
_LEET_INSIDE = re2.compile(r"[a-zA-Z][0-9@$]+[a-zA-Z]")
# Three or more single letters (or four digits) separated by one space, dot, dash or star:
# "d o n a t e", "s-s-n", "5 1 2 4".
_SPACED = re.compile(r"(?<![\w])(?:(?:[a-z][ .\-*_]){2,}[a-z]|(?:\d ){1,}\d)(?![\w])")
_BLANKS = re.compile(r"[ \t]{2,}")
_SPACED_SHORT = re.compile(r"(?<![\w])(?:(?:[a-z][ .\-*_]){1,}[a-z]|(?:\d ){1,}\d)(?![\w])")
_DIGIT_WORD = "|".join(DIGIT_WORDS)
_DIGIT_RUN = re.compile(rf"\b(?:{_DIGIT_WORD})(?:[\s,.\-]+(?:{_DIGIT_WORD})\b){{2,}}")
_DIGIT_WORD_RE = re.compile(rf"\b({_DIGIT_WORD})\b|[\s,.\-]+")


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Fold one character: drop format characters and accents, NFKC forms, homoglyphs, case."""
    if unicodedata.category(char) == "Cf":
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.lower().translate(HOMOGLYPHS)


def fold(text: str) -> str:
    """Fold a cue (a phrase in a pack) the same way drafts are folded, without offsets."""
    return Shadow.of(text).text


@dataclass(frozen=True, slots=True)
class Shadow:
    text: str
    origin: tuple[int, ...] | None  # None: the shadow is the original, lowered (same offsets)
    length: int  # length of the original
    original: str = ""

    @classmethod
    def of(cls, original: str) -> Shadow:
        if original.isascii():
            text, origin = original, None
        else:
            chars: list[str] = []
            positions: list[int] = []
            for index, char in enumerate(original):
                folded = fold_char(char) if not char.isascii() else char
                chars.append(folded)
                positions.extend([index] * len(folded))
            text, origin = "".join(chars), positions
        # Case is kept until leetspeak is folded: "Maps4All" (an inner capital) is a password,
        # "D0nate" is leetspeak.
        text = _unleet_outside_emails(text).lower()
        if _SPACED.search(text):
            # A text written s p a c e d out joins its two-letter words too ("i s").
            spaced = _SPACED_SHORT if len(_SPACED.findall(text)) >= 2 else _SPACED
            text, origin = _rewrite(text, origin, spaced, _join_spaced)
        if "  " in text or "\t" in text:  # patterns are written with single spaces
            text, origin = _rewrite(text, origin, _BLANKS, lambda piece: [(" ", 0)])
        if BEYOND_NINE.search(text):  # before single digit words: "zero six, quarante-deux"
            text, origin = _rewrite(text, origin, NUMBER_RUN, digits_from_number_words)
        if _DIGIT_RUN.search(text):
            text, origin = _rewrite(text, origin, _DIGIT_RUN, _digits_from_words)
        return cls(text, tuple(origin) if origin is not None else None, len(original), original)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a shadow span to the original text's span."""
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            return self.length, self.length
        stop = self.origin[max(start, end - 1)] + 1
        # A digit folded from a number word maps to the word's first letter: take the whole word.
        while self.original and stop < self.length and self.original[stop - 1 : stop + 1].isalpha():
            stop += 1
        return self.origin[start], stop


_EMAIL = re2.compile(r"[\w.+\-]+@[\w\-]+\.[\w.]+")


def _unleet_outside_emails(text: str) -> str:
    emails = [m.span() for m in _EMAIL.finditer(text)] if "@" in text else []
    starts = [start for start, _ in emails]
    pieces, last = [], 0
    for match in _LEET_RUN.finditer(text):
        token = match.group()
        if not _LEET_INSIDE.search(token):
            continue
        nearest = bisect.bisect_right(starts, match.start()) - 1  # the e-mail starting at or before it
        if nearest >= 0 and match.start() < emails[nearest][1]:
            continue
        pieces += [text[last : match.start()], _unleet(token)]
        last = match.end()
    return "".join(pieces) + text[last:] if pieces else text


def _unleet(token: str) -> str:
    """Fold leetspeak, but keep passwords (an inner capital: "Maps4All") and ids and codes
    (four digits or more, or all capitals: "GOML850612MDFNRR07")."""
    inner_capital = any(c.isupper() for c in token[1:]) and any(c.islower() for c in token)
    id_like = sum(c.isdigit() for c in token) >= 4 or not any(c.islower() for c in token)
    return token if inner_capital or id_like else token.translate(LEET)


def _join_spaced(piece: str) -> list[tuple[str, int]]:
    return [(c, i) for i, c in enumerate(piece) if c.isalnum()]


def _digits_from_words(piece: str) -> list[tuple[str, int]]:
    """ "three two one, six five" -> "321-65": digit words become digits, spaces between them go,
    and a comma, dot or dash between them becomes one dash, as in a written phone number."""
    out: list[tuple[str, int]] = []
    for match in _DIGIT_WORD_RE.finditer(piece):
        if match.group(1):
            out.append((DIGIT_WORDS[match.group(1)], match.start()))
        elif not match.group().isspace():
            out.append(("-", match.start() + len(match.group()) - len(match.group().lstrip())))
    return out


def _rewrite(text, origin, pattern, replace):
    """Replace each match of pattern by replace(piece): (char, offset-in-piece) pairs."""
    positions = list(origin) if origin is not None else list(range(len(text)))
    chars: list[str] = []
    new_positions: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        chars.append(text[last : match.start()])
        new_positions.extend(positions[last : match.start()])
        for char, offset in replace(match.group()):
            chars.append(char)
            new_positions.append(positions[match.start() + offset])
        last = match.end()
    chars.append(text[last:])
    new_positions.extend(positions[last:])
    return "".join(chars), new_positions
