"""Sentence and clause windows found from characters alone, for the regex stages.

The legal and sanctions stages must run on a blank pipeline (no parser, no sentence boundaries),
so they bound their context with these heuristics instead of ``doc.sents``.
"""

from __future__ import annotations

import re

#: a full stop that ends a sentence: punctuation, optional closing quotes, space, then a capital
_SENT_END = re.compile(r"[.!?…][\"”’»)\]]*(?=\s+[\"“‘«(\[¿¡]?[A-ZÀ-Þ0-9])|\n")
#: a word before a full stop that does not end the sentence
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Ms|Mrs|Mme|Mlle|Dr|Prof|Art|Arts|No|Nos|Nr|St|Jr|Sr|Gen|Col|Lt|Capt|Sgt|Rev|Hon|vs|Sec|Para"
    r"|para|art|arts|no|approx|ca|cf|e\.g|i\.e|etc|p|pp|Sra|Sr|Dña|Ud)|\b[A-Z])\.$"
)
_CLAUSE_MARK = re.compile(r"[,;:(\u2014\u2013]")


def _ends(text: str) -> list[int]:
    out = []
    for m in _SENT_END.finditer(text):
        if text[m.start()] == "." and _ABBREV.search(text[max(0, m.start() - 8) : m.start() + 1]):
            continue
        out.append(m.end())
    return out


class Sentences:
    """Sentence bounds for one text, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._stops = _ends(text)

    def bounds(self, pos: int) -> tuple[int, int]:
        start, end = 0, len(self.text)
        for stop in self._stops:
            if stop <= pos:
                start = stop
            else:
                end = stop
                break
        while start < end and self.text[start].isspace():
            start += 1
        return start, end

    def before(self, pos: int, *, limit: int = 250) -> str:
        """The sentence's text before ``pos`` (at most ``limit`` characters)."""
        start = max(self.bounds(pos)[0], pos - limit)
        return self.text[start:pos]

    def after(self, pos: int, *, limit: int = 250) -> str:
        """The sentence's text from ``pos`` on (at most ``limit`` characters)."""
        end = min(self.bounds(pos)[1], pos + limit)
        return self.text[pos:end]


def clause_before(text: str) -> str:
    """The last clause of ``text``: what follows its last comma, semicolon, colon, bracket or dash."""
    marks = list(_CLAUSE_MARK.finditer(text))
    return text[marks[-1].end() :] if marks else text
