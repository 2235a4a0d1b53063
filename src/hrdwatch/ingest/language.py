"""Which language a report body is written in, by ``langdetect`` (seeded, so runs repeat)."""

from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

MIN_LETTERS = 20
SAMPLE_CHARS = 10_000
MIN_PROBABILITY = 0.5

DetectorFactory.seed = 0


def warm_up() -> None:
    """Load the language profiles now rather than on the first call (about a third of a second)."""
    init_factory()


def letter_count(text: str) -> int:
    return sum(1 for char in text if char.isalpha())


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when there is too little to tell.

    Only the first ``SAMPLE_CHARS`` characters are looked at; a long report does not change
    language half-way often enough to pay for reading all of it.
    """
    sample = text[:SAMPLE_CHARS]
    if letter_count(sample) < MIN_LETTERS:
        return None
    try:
        best = detect_langs(sample)[0]
    except (LangDetectException, IndexError):
        return None
    if best.prob < MIN_PROBABILITY:
        return None
    code: str = best.lang
    return code.split("-", 1)[0]
