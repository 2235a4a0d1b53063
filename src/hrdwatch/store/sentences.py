"""The sentence around a quote: what a reviewer needs to judge a piece of evidence."""

from __future__ import annotations

ENDS = ".!?"


def sentence_around(text: str, start: int, end: int) -> str:
    """The span ``text[start:end]`` widened to the nearest sentence boundaries.

    A boundary is ``.``, ``!`` or ``?`` or a line break. Offsets outside the text are clamped.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left = max(text.rfind(mark, 0, start) for mark in (*ENDS, "\n")) + 1
    right = end if end > start and text[end - 1] in ENDS else _next_end(text, end)
    return text[left:right].strip()


def _next_end(text: str, end: int) -> int:
    found = [i for i in (text.find(mark, end) for mark in ENDS) if i != -1]
    stop = min(found) + 1 if found else len(text)
    newline = text.find("\n", end)
    return newline if newline != -1 and newline < stop else stop
