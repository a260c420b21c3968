"""French and Spanish numbers written in words, read as digits for the number detectors.

"appelez le zéro six, quarante-deux, dix-huit, soixante-dix-sept, zéro trois" and "llama al
cincuenta y cinco, trece, cuarenta y ocho" are phone numbers to any reader. Single digit words
("six one four") are folded in `normalize`; numbers past nine need grammar (quatre-vingt-dix,
veintidós, cuarenta y ocho), which `text2num` knows. Runs are found with RE2 (linear time on
any input) on the folded text, so the accents text2num needs are put back on the few words
folding changed.
"""

from __future__ import annotations

import re2
from text_to_num import alpha2digit

_UNITS = (
    "zero|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|cero|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve"
)
_BEYOND_NINE = (
    "dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?"
    "|diez|once|doce|trece|catorce|quince|dieci(?:seis|siete|ocho|nueve)|veinte"
    "|veinti(?:uno|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)|treinta|cuarenta|cincuenta|sesenta"
    "|setenta|ochenta|noventa|cien|ciento"
)
_WORD = rf"(?:{_UNITS}|{_BEYOND_NINE})"
_NUMBER = rf"{_WORD}(?:(?:-et-|-| et | y | ){_WORD})*"
# Four or more numbers in a row, at least one past nine: a phone or id number read aloud.
NUMBER_RUN = re2.compile(rf"\b{_NUMBER}(?:[ ,.;\-]+{_NUMBER}){{3,}}\b")
BEYOND_NINE = re2.compile(rf"\b(?:{_BEYOND_NINE})\b")
_ACCENTED = {
    "zero": "zéro",
    "veintidos": "veintidós",
    "veintitres": "veintitrés",
    "veintiseis": "veintiséis",
    "dieciseis": "dieciséis",
}
_FOLDED_WORDS = re2.compile(rf"\b(?:{'|'.join(_ACCENTED)})\b")
_DIGITS = re2.compile(r"\d+")
MAX_RUN_CHARS = 300  # longer than any number read aloud; text2num's time grows faster than the run


def digits_from_number_words(piece: str) -> list[tuple[str, int]]:
    """A run of French or Spanish number words as digit groups joined by dashes ("06-42-18"),
    each character with an offset into the piece; the piece unchanged if neither language reads
    it whole."""
    if len(piece) > MAX_RUN_CHARS:
        return [(c, i) for i, c in enumerate(piece)]
    restored = _FOLDED_WORDS.sub(lambda m: _ACCENTED[m.group()], piece)
    readings = [alpha2digit(restored, language) for language in ("fr", "es")]
    best = min(readings, key=lambda reading: sum(c.isalpha() for c in reading))
    if any(c.isalpha() for c in best):
        return [(c, i) for i, c in enumerate(piece)]
    out = "-".join(_DIGITS.findall(best))
    return [(c, i * (len(piece) - 1) // max(1, len(out) - 1)) for i, c in enumerate(out)]
