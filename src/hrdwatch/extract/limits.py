"""How long a text extraction takes on: one check, shared by the pipeline and its worker."""

from __future__ import annotations

from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, ExtractionError

DEFAULT_MAX_CHARS = 1_000_000


def check_length(source: Source, *, max_chars: int) -> None:
    """E204 when ``source``'s text is longer than ``max_chars`` characters."""
    if len(source.text) > max_chars:
        raise ExtractionError(Errors.E204, name=source.name, chars=len(source.text), limit=max_chars)
