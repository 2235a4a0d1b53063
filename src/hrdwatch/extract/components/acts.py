"""Acts stage: find act triggers (patterns in ``rules/en/acts.json``), with negation and hedging.

requires: POS, lemmas, dependency parse. assigns: ``doc._.hrd_acts``.
A trigger that is negated ("released without being charged") or hedged ("calls for the release",
"at risk of detention", "could be sentenced") is kept with its flag set, so reviewers see why it
was not counted; event assembly only uses acts that are neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from hrdwatch.extract import extensions
from hrdwatch.extract.facts import ActMention
from hrdwatch.extract.registry import ACTS, LEMMAS, PARSE, POS
from hrdwatch.extract.rules import load_rules

HEAD_POS = ("VERB", "NOUN", "ADJ", "PROPN")
MODALS = {"must", "should", "could", "would", "may", "might", "shall", "ought"}
RISK_LEMMAS = {"risk", "danger", "fear", "possibility", "likelihood", "prospect", "threat", "face"}
TOPIC_LEMMAS = {"document", "investigate", "expose", "research", "highlight", "study", "monitor"}
REFUSAL_LEMMAS = {"refuse", "fail", "decline", "deny"}
HEDGE_WORDS = {"potential", "possible", "upcoming", "planned", "proposed"}
CONDITIONAL_MARKS = {"if", "whether", "unless", "lest"}


@dataclass(frozen=True, slots=True)
class ActRule:
    code: str
    id: str
    when: re.Pattern[str] | None
    unless: re.Pattern[str] | None


@cache
def _rules() -> tuple[tuple[ActRule, list[dict[str, Any]]], ...]:
    data = load_rules("en", "acts")
    out = []
    for entry in data["patterns"]:
        when = re.compile(entry["when"]) if entry.get("when") else None
        unless = re.compile(entry["unless"]) if entry.get("unless") else None
        out.append((ActRule(entry["code"], entry["id"], when, unless), entry["pattern"]))
    return tuple(out)


@cache
def _calls() -> frozenset[str]:
    """Verbs under which an act is asked for, not done: ``hedging`` in ``rules/en/calls.json``."""
    return frozenset(load_rules("en", "calls")["hedging"])


_MATCHERS: dict[int, tuple[Matcher, dict[str, ActRule]]] = {}


def _matcher(vocab: Vocab) -> tuple[Matcher, dict[str, ActRule]]:
    key = id(vocab)
    if key not in _MATCHERS:
        matcher = Matcher(vocab)
        by_key: dict[str, ActRule] = {}
        for rule, pattern in _rules():
            key_name = f"{rule.code}:{rule.id}"
            matcher.add(key_name, [pattern])
            by_key[key_name] = rule
        _MATCHERS[key] = (matcher, by_key)
    return _MATCHERS[key]


def head_token(span: Span) -> Token:
    """The trigger's content word: the first verb/noun in the match, else its root."""
    for token in span:
        if token.pos_ in HEAD_POS and not token.is_stop:
            return token
    return span.root


def _chain(token: Token, depth: int = 4) -> list[Token]:
    out = []
    current = token
    for _ in range(depth):
        if current.head is current:
            break
        current = current.head
        out.append(current)
    return out


def is_negated(token: Token, span: Span) -> bool:
    """``not arrested``, ``no charges``, ``released without being charged``, ``refused to release``."""
    in_span = {t.i for t in span}
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return child.i not in in_span
    for t in (token, *_chain(token, 2)):
        for child in t.children:
            if child.lower_ == "without" and child.i < token.i and child.i not in in_span:
                return True
    if token.head.lower_ == "without" and token.head.i not in in_span:
        return True
    prev = [t.lower_ for t in token.doc[max(token.i - 3, token.sent.start) : token.i]]
    if "without" in prev and not (in_span & set(range(token.i - 3, token.i))):
        return True
    return any(t.lemma_ in REFUSAL_LEMMAS and token.dep_ in ("xcomp", "ccomp") for t in _chain(token, 1))


PASS_THROUGH = {"xcomp", "ccomp", "conj", "pobj", "prep", "dobj", "acl", "pcomp", "advcl", "amod", "compound"}


def is_hedged(token: Token) -> bool:
    """A call, a risk, a modal or a condition: the act is not reported as done."""
    chain = [token, *_chain(token, 8)]
    for t in chain:
        if t.lemma_ in _calls() and t is not token:
            return True
        if t.lemma_ in TOPIC_LEMMAS and t is not token:
            return True
        if t.lemma_ in RISK_LEMMAS and t is not token and t.i < token.i:
            return True
        for child in t.children:
            if child.dep_ == "aux" and child.lower_ in MODALS:
                return True
            if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS:
                return True
        if t.pos_ in ("VERB", "AUX") and t is not token and t.dep_ not in PASS_THROUGH:
            break  # hedges beyond the governing clause do not reach the trigger
    return any(child.lower_ in HEDGE_WORDS for child in token.children if child.dep_ == "amod")


def find_acts(doc: Doc) -> list[ActMention]:
    matcher, rules = _matcher(doc.vocab)
    found: dict[tuple[str, int], ActMention] = {}
    for match_id, start, end in matcher(doc):
        rule = rules[doc.vocab.strings[match_id]]
        span = doc[start:end]
        sent = span.sent
        lowered = sent.text.lower()
        if rule.when and not rule.when.search(lowered):
            continue
        if rule.unless and rule.unless.search(lowered):
            continue
        token = head_token(span)
        key = (rule.code, token.i)
        if key in found:
            continue
        found[key] = ActMention(
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            code=rule.code,
            sent_start=sent.start_char,
            sent_end=sent.end_char,
            rule=rule.id,
            negated=is_negated(token, span),
            hedged=is_hedged(token),
            token_i=token.i,
        )
    return sorted(found.values(), key=lambda a: (a.start, a.code))


@Language.component(ACTS.factory, requires=[*PARSE, "doc.sents", *POS, *LEMMAS], assigns=["doc._.hrd_acts"])
def acts_component(doc: Doc) -> Doc:
    extensions.register()
    if doc._.hrd_acts is None:
        doc._.hrd_acts = []
    if not doc.has_annotation("DEP"):
        return doc
    doc._.hrd_acts.extend(find_acts(doc))
    return doc
