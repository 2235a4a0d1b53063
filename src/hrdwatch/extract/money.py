"""Amounts of money in text: numbers (digits, number words, scales), ranges and ISO 4217 currencies.

Vocabulary is data (``rules/money.json``); ISO codes are checked against ``pycountry.currencies``,
whose names ("Belarusian Ruble", "Indian Rupee") also serve as qualified currency names.
A bare name ("rubles") takes the currency of the last qualified mention of that name earlier in
the text ("Belarusian rubles"), else its default in the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from hrdwatch.extract.rules import load_rule_file

DIGITS = (
    r"(?<![\d.,])\d{1,3}(?:(?:,|\.|\u00a0|\u202f|\s)\d{3})+(?:[.,]\d{1,2})?(?![\d])"
    r"|(?<![\d.,])\d+(?:[.,]\d+)?"
)


def data() -> dict[str, Any]:
    """The parsed ``rules/money.json``."""
    return load_rule_file("money.json")


def _alt(words: list[str] | Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def number_pattern() -> str:
    """A regex fragment for one number: digits or number words, with an optional scale word."""
    words = [w for w in data()["number_words"] if w not in ("a", "an", "un", "une", "una", "uno")]
    scales = _alt(data()["scales"])
    word = rf"(?:{_alt(words)})"
    wordnum = rf"{word}(?:[\s-]+(?:and\s+)?{word})*"
    lone = rf"(?:an?|une?|una?|uno)(?=\s+(?:{scales})\b)"
    return rf"(?:{DIGITS}|(?i:\b(?:{wordnum}|{lone})\b))(?:\s*(?i:(?:{scales})\b))?"


def parse_number(raw: str) -> float | None:
    """``111,000`` -> 111000; ``2 million`` -> 2e6; ``ten thousand`` -> 10000; ``1,5`` -> 1.5."""
    scales: dict[str, int] = data()["scales"]
    words: dict[str, int] = data()["number_words"]
    tokens = re.findall(r"[\d][\d.,\s\u00a0\u202f]*\d|\d|[^\W\d_]+", raw.lower())
    total = current = 0.0
    for tok in tokens:
        if tok[0].isdigit():
            current += _digits(tok)
        elif tok in scales:
            total += (current or 1) * scales[tok]
            current = 0
        elif tok == "hundred" or tok == "cent" or tok == "cien":
            current = (current or 1) * 100
        elif tok in words:
            current += words[tok]
        elif tok != "and":
            return None
    return total + current


def _digits(tok: str) -> float:
    tok = re.sub(r"[\s\u00a0\u202f]", ",", tok.strip())
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", tok):
        return float(re.sub(r"[.,]", "", tok))
    m = re.fullmatch(r"(\d{1,3}(?:[.,]\d{3})+)[.,](\d{1,2})", tok)
    if m:
        return float(re.sub(r"[.,]", "", m.group(1)) + "." + m.group(2))
    return float(tok.replace(",", "."))


@cache
def _qualified() -> dict[str, str]:
    names = {c.name.lower(): c.alpha_3 for c in pycountry.currencies}
    names.update(data()["qualified"])
    return names


def _singular(word: str) -> str:
    names: dict[str, str] = data()["names"]
    word = word.lower()
    for cut in (0, 1, 2):
        stem = word[: len(word) - cut] if cut else word
        if stem in names:
            return stem
    return word


def iso_code(token: str) -> str | None:
    """``USD`` -> ``USD`` when it is an ISO 4217 code, else None."""
    return token if pycountry.currencies.get(alpha_3=token) is not None else None


@dataclass(frozen=True, slots=True)
class Money:
    start: int
    end: int
    amount: float | None
    amount_max: float | None
    currency: str | None
    in_parens: bool  # inside "( ... )" opened just before: a conversion or an aside


@cache
def money_re() -> re.Pattern[str]:
    num = number_pattern()
    syms = _alt(data()["symbols"])
    names = _alt(data()["names"])
    cap = r"[A-ZÀ-Þ][\w.’'-]*"
    pre = rf"(?P<sym>{syms})|\b(?P<code>[A-Z]{{3}})\b"
    sep = r"\s*(?:–|—|-|\bto\b|\band\b|\bet\b|\by\b|\bà\b|\ba\b)\s*"
    named = rf"(?P<adj>(?:{cap}\s+){{0,3}})(?P<name>(?i:{names})(?:e?s)?)\b"
    post = rf"(?P<sym2>{syms})|{named}|(?P<code2>[A-Z]{{3}})\b"
    return re.compile(
        rf"(?:(?:{pre})\s?)?(?P<num>{num})(?:{sep}(?:{syms})?\s?(?P<num2>{num}))?(?:[\s-]*(?:{post}))?"
    )


def _scale_pair(first: str, second: str) -> tuple[float | None, float | None]:
    """``2-3 million``: the scale written once applies to both ends."""
    low, high = parse_number(first), parse_number(second)
    scales = data()["scales"]
    tail = re.search(r"([^\W\d_]+)\s*$", second.lower())
    if low is not None and high is not None and tail and tail.group(1) in scales and low < high / 100:
        low *= scales[tail.group(1)]
    return low, high


def _resolve(text: str, start: int, m: re.Match[str]) -> tuple[str | None, float]:
    """The currency of a match and a factor (tomans are ten rials)."""
    factors: dict[str, float] = data()["factors"]
    for key in ("sym", "sym2"):
        if m.group(key):
            return data()["symbols"][m.group(key)], 1.0
    for key in ("code", "code2"):
        if m.group(key) and iso_code(m.group(key)):
            return m.group(key), 1.0
    if not m.group("name"):
        return None, 1.0
    name = _singular(m.group("name"))
    adj_words = m.group("adj").lower().split()
    for n in range(len(adj_words), 0, -1):
        key = " ".join([*adj_words[-n:], name])
        if key in _qualified():
            return _qualified()[key], float(factors.get(key, 1))
    earlier = _earlier_qualified(text[:start], name)
    return earlier or data()["names"][name], float(factors.get(name, 1))


def _earlier_qualified(before: str, name: str) -> str | None:
    forms = rf"{re.escape(name)}(?:e?s)?"
    found = None
    for m in re.finditer(rf"((?:[A-ZÀ-Þ][\w’'.-]*\s+){{1,3}})(?i:{forms})\b", before):
        words = m.group(1).lower().split()
        for n in range(len(words), 0, -1):
            key = " ".join([*words[-n:], name])
            if key in _qualified():
                found = _qualified()[key]
                break
    return found


def _in_parens(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    return before.rfind("(") > before.rfind(")")


def find_money(text: str, start: int = 0, end: int | None = None) -> list[Money]:
    """Every number in ``text[start:end]`` with the currency written next to it (None if none)."""
    out = []
    for m in money_re().finditer(text, start, len(text) if end is None else end):
        if m.group("code") and not iso_code(m.group("code")):
            continue
        amount, amount_max = parse_number(m.group("num")), None
        if m.group("num2"):
            amount, amount_max = _scale_pair(m.group("num"), m.group("num2"))
        currency, factor = _resolve(text, m.start(), m)
        if amount is None:
            continue
        amount *= factor
        amount_max = amount_max * factor if amount_max is not None else None
        out.append(Money(m.start(), m.end(), amount, amount_max, currency, _in_parens(text, m.start())))
    return out
