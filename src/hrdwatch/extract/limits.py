"""What a text must be before extraction starts: short enough, and prose at all. One check, shared
by the pipeline and its worker, run before any model sees the text."""

from __future__ import annotations

import re

from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, ExtractionError

DEFAULT_MAX_CHARS = 1_000_000
#: shorter texts are always extracted; a few lines of notes need not read as prose
PROSE_CHECK_CHARS = 2_000
#: at least one word per this many characters (English prose has one per six or so)
CHARS_PER_WORD = 100
_WORD = re.compile(r"\b[^\W\d_]{2,40}\b")


def word_count(text: str) -> int:
    """Runs of 2 to 40 letters standing alone (no list is built: a long text costs no memory)."""
    return sum(1 for _ in _WORD.finditer(text))


def check_length(source: Source, *, max_chars: int) -> None:
    """E204 when ``source``'s text is longer than ``max_chars`` characters; E208 when a text of
    some length has almost no words (a million entity references, one endless "word", tables of
    symbols): the stages would spend minutes on it and find nothing."""
    chars = len(source.text)
    if chars > max_chars:
        raise ExtractionError(Errors.E204, name=source.name, chars=chars, limit=max_chars)
    if chars >= PROSE_CHECK_CHARS:
        words = word_count(source.text)
        if words * CHARS_PER_WORD < chars:
            raise ExtractionError(Errors.E208, name=source.name, words=words, chars=chars)
