"""Sanctions stage: fines, prison terms and other penalties, read from ``doc.text`` with regexes.

requires: nothing (runs on a blank pipeline). assigns: ``doc._.hrd_sanctions``.

A fine needs a fine word ("fined", "a fine of", "amende", "multa") with the amount a few words
after it (or just before: "a €400 fine"); amounts in parentheses are conversions and are skipped,
as are amounts with no fine word (agreements, payments). "Was fined" with no amount gives a fine
with no amount (rule ``fine_no_amount``). A court order to pay or collect money is ``other``.
Prison terms and other penalties: see :mod:`hrdwatch.extract.penalties`. Vocabulary: ``rules/money.json``.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.domain.records import Sanction
from hrdwatch.extract import extensions
from hrdwatch.extract.facts import SanctionMention
from hrdwatch.extract.money import Money, data, find_money
from hrdwatch.extract.penalties import find_other_penalties, find_terms, hedged
from hrdwatch.extract.registry import SANCTIONS
from hrdwatch.extract.windows import Sentences

_WINDOW = 100  # characters after a fine word in which its amount may stand
_MAX_GAP_WORDS = 6
_FINE_BEFORE = re.compile(r"^[\s-]*(?:(?:administrative|criminal|monetary)\s+)?$", re.I)
_BARE_GAP = re.compile(r"^\s*(?:of\s+)?(?:an?\s+)?$", re.I)


@cache
def _re(key: str) -> re.Pattern[str]:
    value = data()[key]
    return re.compile("|".join(value) if isinstance(value, list) else value, re.I)


def _amount_after(text: str, start: int, end: int, moneys: list[Money]) -> Money | None:
    """The first amount in ``text[start:end]`` that the words before it leave attached."""
    for money in moneys:
        if money.start < start or money.start >= end:
            continue
        gap = text[start : money.start]
        if money.in_parens or _re("gap_blockers").search(gap) or len(gap.split()) > _MAX_GAP_WORDS:
            return None
        if money.currency is None and not _BARE_GAP.match(gap):
            return None
        return money
    return None


def _amount_before(text: str, pos: int, moneys: list[Money]) -> Money | None:
    for money in moneys:
        if money.end <= pos and money.currency and _FINE_BEFORE.match(text[money.end : pos]):
            return money
    return None


def _fine(money: Money) -> Sanction:
    return Sanction(type="fine", amount=money.amount, amount_max=money.amount_max, currency=money.currency)


def find_fines(text: str, sents: Sentences, moneys: list[Money]) -> list[SanctionMention]:
    out: list[SanctionMention] = []
    used: set[int] = set()
    no_amount: dict[tuple[int, int], SanctionMention] = {}
    with_amount: set[tuple[int, int]] = set()
    for trig in _re("fine_triggers").finditer(text):
        before = sents.before(trig.start())
        after = text[trig.end() : trig.end() + 12].lower()
        if hedged(before) or after.lstrip().startswith("up to"):
            continue
        bounds = sents.bounds(trig.start())
        limit = min(bounds[1], trig.end() + _WINDOW)
        bare = trig.group(0).lower() in ("fine", "fines")  # may be the adjective: amount before only
        money = None if bare else _amount_after(text, trig.end(), limit, moneys)
        money = money or _amount_before(text, trig.start(), moneys)
        if money is not None:
            with_amount.add(bounds)
            if money.start not in used:
                used.add(money.start)
                start, end = min(trig.start(), money.start), max(trig.end(), money.end)
                rule = "fine_range" if money.amount_max is not None else "fine_amount"
                out.append(SanctionMention(start, end, text[start:end], _fine(money), rule))
        elif _re("fine_verbs_without_amount").fullmatch(trig.group(0)) and bounds not in no_amount:
            sanction = Sanction(type="fine")
            no_amount[bounds] = SanctionMention(
                trig.start(), trig.end(), trig.group(0), sanction, "fine_no_amount"
            )
    out += [m for bounds, m in no_amount.items() if bounds not in with_amount]
    return out


def find_orders(text: str, sents: Sentences, moneys: list[Money]) -> list[SanctionMention]:
    """Court orders to pay or collect a sum (damages, costs, proceeds): ``other`` with the phrase."""
    out: list[SanctionMention] = []
    for trig in _re("order_triggers").finditer(text):
        if hedged(sents.before(trig.start())):
            continue
        limit = min(sents.bounds(trig.start())[1], trig.end() + _WINDOW)
        money = _amount_after(text, trig.end(), limit, moneys)
        if money is None:
            continue
        tail = re.match(r"[^(,;.\n]{0,60}", text[money.end :])
        end = money.end + (len(tail.group(0).rstrip()) if tail else 0)
        description = " ".join(text[trig.start() : end].split())
        sanction = Sanction(type="other", description=description)
        out.append(SanctionMention(trig.start(), end, text[trig.start() : end], sanction, "order_to_pay"))
    return out


def _dedupe(mentions: list[SanctionMention]) -> list[SanctionMention]:
    """One mention per span and type: two rules reading the same words give one sanction."""
    kept: list[SanctionMention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        kind = m.sanction.type if m.sanction else ""
        if any(k.sanction and k.sanction.type == kind and m.start < k.end and k.start < m.end for k in kept):
            continue
        kept.append(m)
    return kept


def find_sanctions(text: str) -> list[SanctionMention]:
    """Every sanction imposed in ``text``, in text order, each with its span and rule."""
    sents = Sentences(text)
    moneys = find_money(text)
    found = find_fines(text, sents, moneys) + find_orders(text, sents, moneys)
    found += find_terms(text, sents) + find_other_penalties(text, sents)
    return _dedupe(found)


@Language.component(SANCTIONS.factory, assigns=["doc._.hrd_sanctions"])
def sanctions_component(doc: Doc) -> Doc:
    extensions.add_facts(doc, "hrd_sanctions", find_sanctions(doc.text))
    return doc
