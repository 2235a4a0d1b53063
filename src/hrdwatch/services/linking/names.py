"""A written name split into what identifies the person: tokens with their keys, initials, the
optional patronymic or father's name, and the nickname, without titles and articles.

"Mr Grigorij Višnevskij", "VIŠNEVSKIJ Grigorij", "Г. Л. Вишневский" and "Layla "Umm Youssef"
al-Haddad" are parsed here once, so that the comparison only has to align tokens.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TypedDict

from hrdwatch.services.linking.keys import (
    Script,
    ascii_lower,
    fold_token,
    han_syllables,
    initial_class,
    script_of,
)

_NICKNAME = re.compile(r"[\"“”«»„]([^\"“”«»„]+)[\"“”«»„]")
_SPLIT = re.compile(r"[\s,;]+")
_ARABIC_ARTICLE = "ال"
_ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdoul", "abdu", "عبد"})


class WordsData(TypedDict):
    about: str
    titles: list[str]
    articles: list[str]
    standalone_articles: list[str]
    kinship: list[str]
    patronymic_endings: list[str]
    feminine_endings: list[str]


@cache
def words() -> WordsData:
    raw = resources.files(__package__ or __name__).joinpath("words.json").read_text("utf-8")
    data: WordsData = json.loads(raw)
    return data


@dataclass(frozen=True, slots=True)
class NameToken:
    """One word of a name. ``keys`` are folded (one per reading); an initial's key is its letter class."""

    text: str
    keys: tuple[str, ...]
    first: str
    initial: bool = False
    optional: bool = False
    vowelless: bool = False


@dataclass(frozen=True, slots=True)
class ParsedName:
    """``full`` and ``initials`` split ``tokens`` (kept apart because every comparison reads them)."""

    raw: str
    script: Script
    tokens: tuple[NameToken, ...]
    nickname: str = ""
    full: tuple[NameToken, ...] = ()
    initials: tuple[NameToken, ...] = ()


def _bare(word: str) -> str:
    """Lower case, letters and hyphens only (no dots, no ayn or hamza signs: "ʻAbd" -> "abd")."""
    return "".join(c for c in word.lower() if (c.isalpha() and unicodedata.category(c) != "Lm") or c == "-")


def _initial_letters(word: str) -> list[str] | None:
    """ "T." -> ["T"], "I.S." -> ["I", "S"], "Yu." -> ["Yu"]; None for a word that is not initials."""
    pieces = [p for p in word.split(".") if p]
    if len(pieces) == 1 and len(pieces[0]) == 1 and pieces[0].isalpha():
        return pieces
    if "." in word and pieces and all(len(p) <= 2 and p.isalpha() for p in pieces):
        return pieces
    return None


def _words(text: str) -> list[str]:
    """Words without titles, standalone articles, and with "Abd al-" joined to the name it governs."""
    info = words()
    drop = set(info["titles"]) | set(info["standalone_articles"]) | {_ARABIC_ARTICLE}
    raw = [w for w in _SPLIT.split(text) if w.strip("-.")]
    kept = [w for w in raw if _bare(w) not in drop] or raw
    joined: list[str] = []
    for word in kept:
        if joined and _bare(joined[-1]) in _ABD:
            joined[-1] += word.replace("-", "")
        else:
            joined.append(word)
    return joined


def _strip_article(word: str, script: Script) -> str:
    if script is Script.ARABIC and word.startswith(_ARABIC_ARTICLE) and len(word) > 3:
        return word[2:]
    head, dash, rest = word.partition("-")
    if dash and rest and head.lower() in words()["articles"]:
        return rest
    return word


def _is_patronymic(key: str) -> bool:
    return any(key.endswith(end) and len(key) >= len(end) + 3 for end in words()["patronymic_endings"])


def _full_token(word: str, script: Script, *, optional: bool, later: bool) -> NameToken | None:
    """None for a word with no letters to compare ("-", an emoji)."""
    word = _strip_article(word, script)
    keys = fold_token(word)
    if not keys:
        return None
    if later:  # "Alkhatib": an article written as one word with the name
        keys += tuple(k[2:] for k in keys if k[:2] in ("al", "el") and len(k) >= 6)
    optional = optional or _is_patronymic(keys[0])
    first = initial_class(ascii_lower(word).lstrip("'")[:1] or "?")
    return NameToken(word, keys, first, optional=optional, vowelless=script is Script.ARABIC)


def _han_tokens(word: str) -> list[NameToken]:
    """A name in Han characters: surname first (one character), then the given name as one word."""
    syllables = han_syllables(word)
    parts = [syllables[:1], syllables[1:]] if len(syllables) > 1 else [syllables]
    tokens = []
    for part in parts:
        keys = fold_token("-".join(part))
        if keys:
            tokens.append(NameToken(" ".join(part), keys, initial_class(part[0][:1])))
    return tokens


def _tokens(text: str, script: Script) -> list[NameToken]:
    tokens: list[NameToken] = []
    kinship = set(words()["kinship"]) | {"بن", "ابن", "بنت"}
    after_kin = False
    for index, word in enumerate(_words(text)):
        if _bare(word) in kinship:
            after_kin = True
            continue
        letters = _initial_letters(word)
        if letters is not None:
            tokens += [NameToken(p, (initial_class(p),), initial_class(p), initial=True) for p in letters]
        elif script_of(word) is Script.HAN:
            tokens += _han_tokens(word)
        elif token := _full_token(word, script, optional=after_kin, later=index > 0):
            tokens.append(token)
        after_kin = False
    return tokens


def _mark_middle(tokens: list[NameToken]) -> tuple[NameToken, ...]:
    """With three or more full words, the middle ones are a patronymic or a father's name."""
    full = [i for i, t in enumerate(tokens) if not t.initial]
    if len(full) < 3 or any(t.optional for t in tokens):
        return tuple(tokens)
    middle = set(full[1:-1])
    return tuple(
        NameToken(t.text, t.keys, t.first, t.initial, True, t.vowelless) if i in middle else t
        for i, t in enumerate(tokens)
    )


@lru_cache(maxsize=65536)
def parse_name(raw: str) -> ParsedName:
    """Parse a person's name as written in a report, in any script."""
    nickname = ""
    found = _NICKNAME.search(raw)
    if found:
        nickname = " ".join(k for w in found.group(1).split() for k in fold_token(w)[:1])
    text = _NICKNAME.sub(" ", raw)
    script = script_of(text)
    tokens = _mark_middle(_tokens(text, script))
    full = tuple(t for t in tokens if not t.initial)
    return ParsedName(raw, script, tokens, nickname, full, tuple(t for t in tokens if t.initial))
