"""Demands stage: the calls on the authorities ("calls on the authorities to release X").

requires: parse. assigns ``doc._.hrd_demands``. Each demand is the infinitive clause governed
by a call verb (``demanding`` in ``rules/en/calls.json``) or by ``must``/``should`` with
the authorities as subject; coordinated clauses become separate demands.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from hrdwatch.extract import extensions
from hrdwatch.extract.facts import DemandMention
from hrdwatch.extract.registry import DEMANDS, LEMMAS, PARSE, POS
from hrdwatch.extract.rules import load_rules

AUTHORITY_WORDS = {"authorities", "government", "state", "police", "minister", "president", "court", "senate"}


@cache
def _calls() -> frozenset[str]:
    """Verbs whose clause is a demand: ``demanding`` in ``rules/en/calls.json``."""
    return frozenset(load_rules("en", "calls")["demanding"])


def _clause_end(verb: Token) -> int:
    """Last token index of the clause, leaving out coordinated clauses."""
    end = verb.i
    for child in verb.children:
        if child.dep_ in ("conj", "cc") or (
            child.dep_ == "punct" and child.i > verb.i and child.lower_ == ","
        ):
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                break
            continue
        end = max(end, child.right_edge.i)
    return end


def _clauses(call: Token) -> list[Token]:
    out: list[Token] = []
    for child in call.children:
        if child.dep_ in ("xcomp", "ccomp", "advcl") and child.pos_ in ("VERB", "AUX"):
            out.append(child)
        if child.dep_ == "prep" and child.lower_ == "for":
            out += [c for c in child.children if c.dep_ == "pobj"]
    more: list[Token] = []
    for verb in out:
        more += [c for c in verb.conjuncts if c.i > verb.i and c.pos_ in ("VERB", "AUX", "NOUN")]
    return out + more


def _is_call(token: Token) -> bool:
    if token.lemma_ in _calls() and token.pos_ == "VERB":
        return True
    if token.lower_ in ("must", "should") and token.dep_ == "aux":
        subject = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return any(s.lower_ in AUTHORITY_WORDS or s.head.lower_ in AUTHORITY_WORDS for s in subject)
    return False


def find_demands(doc: Doc) -> list[DemandMention]:
    found: list[DemandMention] = []
    for token in doc:
        if not _is_call(token):
            continue
        targets = [token.head] if token.dep_ == "aux" else _clauses(token)
        for verb in targets:
            start = verb.left_edge.i if verb.dep_ == "pobj" else verb.i
            start = start if doc[start].lower_ != "to" else start + 1
            end = _clause_end(verb)
            span = doc[start : end + 1]
            text = span.text.strip().rstrip(",;.")
            if len(text.split()) < 2:
                continue
            found.append(
                DemandMention(
                    span.start_char,
                    span.start_char + len(text),
                    text,
                    summary=text,
                    rule=f"call:{token.lemma_}",
                )
            )
    return found


@Language.component(DEMANDS.factory, requires=[*PARSE, *POS, *LEMMAS], assigns=["doc._.hrd_demands"])
def demands_component(doc: Doc) -> Doc:
    extensions.register()
    doc._.hrd_demands = find_demands(doc) if doc.has_annotation("DEP") else []
    return doc
