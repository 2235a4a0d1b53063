"""Transliteration keys: a name part in any script becomes Latin, then romanisation-folded keys.

One person's name reaches us as "Илья Денисов", "Il’ya Denisov", "Ilia Denissov" and "Ilja Denissow":
each system writes the same sounds its own way. A key keeps the sounds and forgets the system, so
comparing keys compares names, not romanisation habits. The rules are data (``folding.json``, each
with the reason it exists and a test case); a rule that is ambiguous across systems (``j`` is й in
German and ж in French) yields one key per reading, and callers compare the best pair.

unidecode turns any other script into Latin (Han into toneless pinyin, Greek, Arabic letters without
short vowels); Kazakh Cyrillic letters are first written as the Russian letters a Russian document
would use, as BGN/PCGN and ICAO romanise those.
"""

from __future__ import annotations

import enum
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import product
from typing import TypedDict

from unidecode import unidecode

_NOT_NAME = re.compile(r"[^a-z' -]")
#: at most this many keys per token: each ambiguous rule doubles them
MAX_READINGS = 8


class RuleData(TypedDict, total=False):
    name: str
    pattern: str
    replace: str
    readings: list[str]
    why: str
    same: list[list[str]]
    latin_only: bool


class FoldingData(TypedDict):
    about: str
    letters: dict[str, str]
    cyrillic: dict[str, str]
    arabic: dict[str, str]
    rules: list[RuleData]


@dataclass(frozen=True, slots=True)
class FoldRule:
    """One rule of ``folding.json``: where ``pattern`` matches, each reading gives a key."""

    name: str
    pattern: re.Pattern[str]
    readings: tuple[str, ...]
    why: str
    same: tuple[tuple[str, str], ...]
    latin_only: bool = False


class Script(enum.StrEnum):
    LATIN = "latin"
    CYRILLIC = "cyrillic"
    ARABIC = "arabic"
    HAN = "han"
    OTHER = "other"


@cache
def folding_data() -> FoldingData:
    raw = resources.files(__package__ or __name__).joinpath("folding.json").read_text("utf-8")
    data: FoldingData = json.loads(raw)
    return data


@cache
def fold_rules() -> tuple[FoldRule, ...]:
    return tuple(
        FoldRule(
            name=rule["name"],
            pattern=re.compile(rule["pattern"]),
            readings=tuple(rule["readings"]) if "readings" in rule else (rule["replace"],),
            why=rule["why"],
            same=tuple((a, b) for a, b in rule["same"]),
            latin_only=rule.get("latin_only", False),
        )
        for rule in folding_data()["rules"]
    )


def script_of(text: str) -> Script:
    """The script of the first letter that is not Latin (a name is written in one script)."""
    for char in text:
        code = ord(char)
        if 0x0400 <= code <= 0x052F:
            return Script.CYRILLIC
        if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
            return Script.ARABIC
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            return Script.HAN
        if char.isalpha() and code > 0x024F and not 0x1E00 <= code <= 0x1EFF:
            return Script.OTHER
    return Script.LATIN


def ascii_lower(text: str) -> str:
    """Lower-case ASCII with the letters that stand for digraphs spelt out (š -> sh, not s)."""
    data = folding_data()
    text = unicodedata.normalize("NFC", text)
    if script_of(text) is Script.ARABIC:
        text = _arabic_latin(text, data["arabic"])
    text = "".join(data["cyrillic"].get(char, char) for char in text)
    text = "".join(data["letters"].get(char, char) for char in text.lower())
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = "".join(char if char == "'" else unidecode(char) for char in text).lower()
    return _NOT_NAME.sub("", text)


def _arabic_latin(text: str, letters: dict[str, str]) -> str:
    """Arabic letters by their values; و and ي starting a word are the consonants w and y."""
    out = []
    for i, char in enumerate(text):
        start = i == 0 or not text[i - 1].isalpha()
        out.append({"و": "w", "ي": "y"}.get(char, "") if start and char in "وي" else letters.get(char, char))
    return "".join(out)


def han_syllables(text: str) -> list[str]:
    """Toneless pinyin, one syllable per Han character: 唐国成 -> ["tang", "guo", "cheng"]."""
    return [unidecode(char).strip().lower() for char in text if script_of(char) is Script.HAN]


@lru_cache(maxsize=65536)
def fold_part(part: str, *, latin: bool = True) -> tuple[str, ...]:
    """The folded keys of one name part already in :func:`ascii_lower` form, one per reading
    (``latin`` False: the part was read from another script, so Wade-Giles rules do not apply)."""
    keys = [part]
    for rule in fold_rules():
        if rule.latin_only and not latin:
            continue
        next_keys: list[str] = []
        for key in keys:
            for reading in rule.readings:
                folded = rule.pattern.sub(reading, key)
                if folded not in next_keys:
                    next_keys.append(folded)
        keys = next_keys[:MAX_READINGS]
    return tuple(key for key in keys if key)


@lru_cache(maxsize=65536)
def fold_token(token: str) -> tuple[str, ...]:
    """Keys of a token whose parts a hyphen separates ("Hsiao-ming"): parts folded, then joined."""
    latin = script_of(token) is Script.LATIN
    parts = [p for p in re.split(r"[-\s]+", ascii_lower(token)) if p]
    keys = ["".join(combo) for combo in product(*(fold_part(p, latin=latin) for p in parts))]
    return tuple(dict.fromkeys(k for k in keys if k))[:MAX_READINGS]


_SOUND_DIGRAPHS = (("shch", "s"), ("sh", "s"), ("ch", "s"))
_SOUND_LETTERS = str.maketrans("bdgzcvoe", "ptkssfui")
_VOWELS = re.compile(r"[aiuy]")
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def sound(key: str) -> str:
    """A coarser key: voiced and voiceless pairs (Wade-Giles k is pinyin g), one letter for the
    sibilants s, z, c, sh, ch, zh (German and French write ж and ш alike, ž loses its caron, French
    c and German z are s and ts), e/i, o/u."""
    for digraph, letter in _SOUND_DIGRAPHS:
        key = key.replace(digraph, letter)
    return _DOUBLES.sub(r"\1", key.translate(_SOUND_LETTERS))


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """The consonants only, for Arabic script, which writes no short vowels (كريم -> krm). Letters
    that only a vowel separated stay two (Laila -> ll, not l)."""
    return _VOWELS.sub("", sound(key.replace("v", "")))


_INITIAL_CLASSES = str.maketrans("yjeqgxhwzcbdu", "iiikkkkvsspto")


def initial_class(letter: str) -> str:
    """Letters an initial may be written with for one sound: Y., J., I., E. for Юрий, Евгений."""
    folded = ascii_lower(letter)[:1]
    return folded.translate(_INITIAL_CLASSES)
