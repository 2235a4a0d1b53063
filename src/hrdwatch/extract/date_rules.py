"""Date patterns per language, compiled from ``rules/dates.json`` (vocabulary and templates as data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from hrdwatch.extract.rules import load_rule_file

_FLAGS = re.IGNORECASE
#: around every pattern: not glued to a word, and not followed by more digits of a number
_BEFORE = r"(?<![^\W_])(?<![/\d])"
_AFTER = r"(?![^\W_])(?![/.,:-]\d)"


@dataclass(frozen=True, slots=True)
class LanguageRules:
    """Compiled date patterns for one language."""

    lang: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (rule, regex), rule: absolute|partial|no_year|range
    relative: re.Pattern[str]  # phrases counted from the previous date
    from_publication: re.Pattern[str]  # today, yesterday
    counted: re.Pattern[str]  # two days later
    weekday: re.Pattern[str]  # on Monday
    dateline_marker: re.Pattern[str]  # "posted on:" just before a date
    year_blocker: re.Pattern[str]  # "Article" just before a bare year
    capitalised_months: bool
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    publication_days: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, int]
    directions: dict[str, int]


def normalise(phrase: str) -> str:
    """Lower case, single spaces, one kind of apostrophe: the key used in the vocabulary tables."""
    return " ".join(phrase.lower().replace("’", "'").split())


def _alternation(words: Any) -> str:
    """Longest first, so ``the day before yesterday`` wins over ``the day before``."""
    ordered = sorted(words, key=len, reverse=True)
    escaped = (re.escape(w).replace(r"\ ", r"\s+").replace(":", r"\s*:") for w in ordered)
    return "(?:" + "|".join(escaped) + ")"


def _month_names(months: dict[str, int]) -> str:
    """Full names, or abbreviations (a prefix of a full name) with an optional full stop."""
    short = {
        k for k, v in months.items() if any(o != k and o.startswith(k) and w == v for o, w in months.items())
    }
    full = _alternation(set(months) - short)
    return f"(?:{full}|{_alternation(short)}\\.?)(?![^\\W_])" if short else f"{full}(?![^\\W_])"


def _slots(lang: dict[str, Any], dash: str) -> dict[str, str]:
    months = _month_names(lang["months"])
    weekdays = _alternation(lang["weekdays"]) + r"(?![^\W_])"
    day = r"(?<!\d)(?P<{}>[0-3]?\d)" + lang["ordinal"] + r"?(?![^\W_])"
    return {
        "%WDPRE%": rf"(?:{weekdays},?\s+)?",
        "%DAY2%": day.format("day2"),
        "%DAY%": day.format("day"),
        "%MONTH2%": f"(?P<month2>{months})",
        "%MONTH%": f"(?P<month>{months})",
        "%YEAR2%": r"(?P<year2>(?:19|20)\d\d)(?!\d)",
        "%YEAR%": r"(?P<year>(?:19|20)\d\d)(?!\d)",
        "%DM%": lang["day_month"],
        "%MY%": lang["month_year"],
        "%VAGUE%": _alternation(lang["vague"]),
        "%YEARCTX%": _alternation(lang["year_context"]),
        "%MONTHCTX%": _alternation(lang["month_context"]),
        "%NUMBER%": _alternation(lang["numbers"]),
        "%UNIT%": _alternation(lang["units"]),
        "%DIRECTION%": _alternation(lang["directions"]),
        "%WEEKDAYPRE%": "|".join(lang["weekday_prefix"]),
        "%WEEKDAY%": f"(?P<weekday>{weekdays})",
        "%DASH%": dash,
    }


def _fill(template: str, slots: dict[str, str]) -> str:
    for slot, value in slots.items():
        template = template.replace(slot, value)
    return template


def _compile(template: str, slots: dict[str, str]) -> re.Pattern[str]:
    return re.compile(_BEFORE + "(?:" + _fill(template, slots) + ")" + _AFTER, _FLAGS)


def _range_patterns(tpl: dict[str, Any], lang: dict[str, Any], slots: dict[str, str]) -> list[str]:
    out = []
    for prefix, connector in lang["range_pairs"]:
        conn = _fill(connector, slots) if connector.startswith("%") else _alternation([connector])
        filled = {**slots, "%CONN%": conn}
        lead = _alternation([prefix]) + r"\s+" if prefix else ""
        for key in ("range_day_first", "range_month_first"):
            out.append(lead + "(?P<body>" + _fill(tpl[key], filled) + ")")
        years = "(?P<body>" + _fill(tpl["range_years"], filled) + ")"
        out.append(lead + years if prefix else _fill("(?:%YEARCTX%)\\s+", slots) + years)
    return out


def _build(lang_code: str, tpl: dict[str, Any], lang: dict[str, Any]) -> LanguageRules:
    slots = _slots(lang, tpl["dash"])
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for rule in ("absolute", "partial", "no_year"):
        patterns.extend((rule, _compile(t, slots)) for t in tpl[rule])
    patterns.extend(("range", _compile(t, slots)) for t in _range_patterns(tpl, lang, slots))
    return LanguageRules(
        lang=lang_code,
        patterns=tuple(patterns),
        relative=_compile(_alternation(lang["relative"]), slots),
        from_publication=_compile(_alternation(lang["from_publication"]), slots),
        counted=_compile(tpl["counted"], slots),
        weekday=_compile(tpl["weekday"], slots),
        dateline_marker=re.compile(_alternation(lang["dateline_markers"]) + r"\s*:?\s*$", _FLAGS),
        year_blocker=re.compile(r"(?<![^\W_])" + tpl["year_blockers"], _FLAGS),
        capitalised_months=bool(lang["capitalised_months"]),
        months={normalise(k): v for k, v in lang["months"].items()},
        weekdays={normalise(k): v for k, v in lang["weekdays"].items()},
        relative_days={normalise(k): v for k, v in lang["relative"].items()},
        publication_days={normalise(k): v for k, v in lang["from_publication"].items()},
        numbers={normalise(k): v for k, v in lang["numbers"].items()},
        units={normalise(k): v for k, v in lang["units"].items()},
        directions={normalise(k): v for k, v in lang["directions"].items()},
    )


def _data() -> dict[str, Any]:
    return load_rule_file("dates.json")


@cache
def rules_for(lang: str) -> LanguageRules:
    """The compiled rules for ``lang`` (``en``, ``fr``, ``es``); unknown languages fall back to English."""
    data = _data()
    code = lang.split("-")[0].lower()
    if code not in data["languages"]:
        code = "en"
    return _build(code, data["templates"], data["languages"][code])


def languages() -> tuple[str, ...]:
    return tuple(_data()["languages"])
