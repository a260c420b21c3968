"""What every detector kind shares: its settings from the pack and whole-word label matching."""

from __future__ import annotations

from dataclasses import dataclass, field

import re2

Span = tuple[int, int]


@dataclass(frozen=True)
class DetectorSettings:
    """What a kind needs from the pack: its words and the pack-wide allow lists."""

    words: tuple[str, ...] = ()
    public_words: tuple[str, ...] = ()
    regions: tuple[str, ...] = ("US",)
    allowed_numbers: frozenset[str] = frozenset()
    public_email_domains: tuple[str, ...] = ()
    public_email_names: frozenset[str] = frozenset()
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def words_regex(self, case_sensitive: bool = False):
        """All of the kind's words as one whole-word RE2 alternation, compiled once."""
        if case_sensitive not in self.cache:
            if not self.words:
                self.cache[case_sensitive] = None
            else:
                alternation = "|".join(_word_pattern(w, case_sensitive) for w in self.words)
                flags = "" if case_sensitive else "(?i)"
                self.cache[case_sensitive] = re2.compile(f"{flags}({alternation})")
        return self.cache[case_sensitive]

    def public_regex(self):
        if "public" not in self.cache:
            words = "|".join(_word_pattern(w, False) for w in self.public_words)
            self.cache["public"] = re2.compile(f"(?i)({words})") if self.public_words else None
        return self.cache["public"]


def _word_pattern(word: str, case_sensitive: bool) -> str:
    """A whole-word pattern: word boundaries on the sides where the word starts or ends with a letter."""
    if word.startswith("re:"):
        return word[3:]
    body = re2.escape(word if case_sensitive else word.lower())
    if word.endswith(":"):
        body = body[:-1] + " ?:"  # "[Description : ..." in French typography
    return ("\\b" if word[0].isalnum() else "") + body + ("\\b" if word[-1].isalnum() else "")


def near_words(
    text: str, start: int, end: int, settings: DetectorSettings, before: int = 40, after: int = 10, public: bool = False
) -> bool:
    regex = settings.public_regex() if public else settings.words_regex()
    if regex is None:
        return False
    return regex.search(text[max(0, start - before) : end + after]) is not None
