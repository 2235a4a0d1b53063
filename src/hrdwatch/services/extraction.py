"""Extraction without a database: input discovery and records for ``hrdwatch extract``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from hrdwatch.config import Settings
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import HrdwatchError
from hrdwatch.extract.pipeline import Extractor
from hrdwatch.ingest.registry import discover
from hrdwatch.services.ingest import read_input

__all__ = ["Extractor", "discover_inputs", "extract_many", "make_extractor"]


def discover_inputs(paths: Sequence[str]) -> list[str]:
    """Files as given, folders expanded recursively, ``-`` for standard input."""
    return [str(p) for p in discover(paths)] if paths else []


def make_extractor(settings: Settings) -> Extractor:
    return Extractor(model=settings.model)


def extract_many(
    items: Sequence[str], *, settings: Settings, stdin: Callable[[], bytes] | None = None
) -> Iterator[tuple[str, Source | None, CaseRecord | HrdwatchError]]:
    """(input, source, record) per input; the error instead of the record when it failed."""
    extractor = make_extractor(settings)
    for item in items:
        try:
            source = read_input(item, settings=settings, stdin=stdin)
            yield item, source, extractor.extract(source)
        except HrdwatchError as e:
            yield item, None, e
