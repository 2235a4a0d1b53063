"""Name handling shared by the names and perpetrators stages: cleaning, keys, variant matching."""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz

from hrdwatch.domain.names import name_key, name_words
from hrdwatch.extract.rules import load_rules

_EDGE = re.compile(r"^[\s\"'“”‘’(\[,.;:–—-]+|[\s\"'“”‘’)\],.;:–—-]+$")
_POSSESSIVE = re.compile(r"[’']s?$")


@cache
def lexicon() -> dict[str, list[str]]:
    data = load_rules("en", "lexicon")
    return {k: v for k, v in data.items() if isinstance(v, list)}


@cache
def honorifics() -> frozenset[str]:
    return frozenset(lexicon()["honorifics"])


@cache
def state_titles() -> frozenset[str]:
    return frozenset(lexicon()["state_titles"])


def clean_name(raw: str) -> tuple[str, list[str]]:
    """Strip quotes, possessives, a leading article and honorifics/titles. Returns (name, titles)."""
    text = _EDGE.sub("", raw.strip())
    text = _POSSESSIVE.sub("", text) if text.endswith(("’s", "'s", "’", "'")) else text
    words = text.split()
    titles: list[str] = []
    while words and (words[0].lower() in honorifics() or words[0].lower().rstrip(".") in state_titles()):
        titles.append(words.pop(0).lower().rstrip("."))
    while words and words[0].lower() in ("the", "a", "an"):
        words.pop(0)
    return " ".join(words), titles


def same_person(short: str, full: str) -> bool:
    """Whether ``short`` can name the person called ``full``: a subset of its words, or a near spelling."""
    a, b = name_words(short), name_words(full)
    if not a or not b:
        return False
    if a <= b:
        return True
    return len(a) == len(b) and len(a) >= 2 and fuzz.ratio(name_key(short), name_key(full)) >= 90
