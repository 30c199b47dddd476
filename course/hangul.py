"""Hangul typed where Latin letters were meant: the 한/영 key was in Korean mode.

On the Korean 2-set (두벌식) keyboard each jamo sits on one QWERTY key, so a word
typed in the wrong mode can be turned back key by key: ``ㅔ갸ㅜㅅ`` -> ``print``,
``ㅣㅑㄹㄷㄸ테`` -> ``lifeExp`` (Shift+E gives ㄸ).
"""
from __future__ import annotations

import builtins
import difflib
import keyword
import unicodedata
from typing import Iterable

KEYS = {
    "ㄱ": "r", "ㄲ": "R", "ㄳ": "rt", "ㄴ": "s", "ㄵ": "sw", "ㄶ": "sg", "ㄷ": "e", "ㄸ": "E", "ㄹ": "f",
    "ㄺ": "fr", "ㄻ": "fa", "ㄼ": "fq", "ㄽ": "ft", "ㄾ": "fx", "ㄿ": "fv", "ㅀ": "fg", "ㅁ": "a", "ㅂ": "q",
    "ㅃ": "Q", "ㅄ": "qt", "ㅅ": "t", "ㅆ": "T", "ㅇ": "d", "ㅈ": "w", "ㅉ": "W", "ㅊ": "c", "ㅋ": "z",
    "ㅌ": "x", "ㅍ": "v", "ㅎ": "g",
    "ㅏ": "k", "ㅐ": "o", "ㅑ": "i", "ㅒ": "O", "ㅓ": "j", "ㅔ": "p", "ㅕ": "u", "ㅖ": "P", "ㅗ": "h",
    "ㅘ": "hk", "ㅙ": "ho", "ㅚ": "hl", "ㅛ": "y", "ㅜ": "n", "ㅝ": "nj", "ㅞ": "np", "ㅟ": "nl",
    "ㅠ": "b", "ㅡ": "m", "ㅢ": "ml", "ㅣ": "l",
}
# Python reads names in NFKC, which turns a lone jamo (U+3131…) into its conjoining form (U+1100…).
KEYS.update({unicodedata.normalize("NFKC", char): keys for char, keys in list(KEYS.items())})
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
FIRST_SYLLABLE, LAST_SYLLABLE = 0xAC00, 0xD7A3


def jamo(char: str) -> str:
    """A Hangul syllable split into the jamo typed for it (``"볃"`` -> ``"ㅂㅕㄷ"``)."""
    code = ord(char)
    if not FIRST_SYLLABLE <= code <= LAST_SYLLABLE:
        return char
    index = code - FIRST_SYLLABLE
    return INITIALS[index // 588] + VOWELS[index % 588 // 28] + FINALS[index % 28]


def to_qwerty(text: str) -> str:
    """The keys pressed to type ``text`` in Korean mode, as they read in English mode."""
    return "".join(KEYS.get(j, j) for char in text for j in jamo(char))


def has_hangul(text: str) -> bool:
    return any(jamo(char) != char or char in KEYS for char in text)


def has_lone_jamo(text: str) -> bool:
    """Jamo standing alone (``ㅣ``, ``ㅑ``) are rarely meant: a sign of the wrong mode."""
    return any(char in KEYS for char in text)


def meant(text: str, known: Iterable[str] = ()) -> str | None:
    """The word ``text`` was probably meant to be, or ``None`` when it looks like real Korean.

    ``known`` are names that exist (the notebook's variables, a table's columns); a
    name among them, or a Python word, is a sure guess, and lone jamo make any
    Latin guess likely.
    """
    if not has_hangul(text):
        return None
    guess = to_qwerty(text)
    if not guess.isascii() or not guess.strip():
        return None
    names = [name for name in known if isinstance(name, str) and name.isascii()]
    python_words = set(keyword.kwlist) | set(dir(builtins))
    close = difflib.get_close_matches(guess, names, n=1, cutoff=0.8)
    if close:
        return close[0]
    if guess in python_words or has_lone_jamo(text):
        return guess
    return None
