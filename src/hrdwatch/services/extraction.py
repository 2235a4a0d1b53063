"""Extraction without a database: input discovery and records for ``hrdwatch extract``, and the
extractors the commands use.

:func:`start_extractor` gives the bounded extractor (a worker process with a time limit per
report and a memory cap, see :mod:`hrdwatch.extract.worker`); :func:`make_extractor` the
in-process pipeline. spaCy is imported only when the in-process pipeline is asked for, so a
command that uses the worker stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from hrdwatch.config import Settings
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import HrdwatchError
from hrdwatch.extract.worker import BoundedExtractor, RecordExtractor
from hrdwatch.ingest.files import display_name
from hrdwatch.ingest.registry import discover_files
from hrdwatch.services.ingest import STDIN, Input, read_input

if TYPE_CHECKING:
    from hrdwatch.extract.pipeline import Extractor

__all__ = [
    "Extractor",
    "RecordExtractor",
    "discover_inputs",
    "extract_many",
    "make_extractor",
    "start_extractor",
]


def __getattr__(name: str) -> Any:
    if name == "Extractor":  # imported on demand: it loads spaCy
        from hrdwatch.extract.pipeline import Extractor

        return Extractor
    raise AttributeError(name)


def discover_inputs(paths: Sequence[str]) -> list[Input]:
    """Files as given, folders expanded recursively (each file remembers its folder), ``-`` for
    standard input."""
    return [STDIN if str(p.path) == STDIN else p for p in discover_files(paths)] if paths else []


def make_extractor(settings: Settings) -> Extractor:
    from hrdwatch.extract.pipeline import Extractor

    return Extractor(model=settings.model, max_chars=settings.max_text_chars)


def start_extractor(settings: Settings) -> BoundedExtractor:
    """The extractor in its worker process; it starts on the first report. Close it when done."""
    return BoundedExtractor(
        model=settings.model,
        timeout=settings.extract_timeout,
        memory_mb=settings.extract_memory_mb,
        max_chars=settings.max_text_chars,
    )


def extract_many(
    items: Sequence[Input], *, settings: Settings, stdin: Callable[[], bytes] | None = None
) -> Iterator[tuple[str, Source | None, CaseRecord | HrdwatchError]]:
    """(input name, source, record) per input; the error instead of the record when it failed."""
    with start_extractor(settings) as extractor:
        for item in items:
            name = display_name(str(item))
            try:
                source = read_input(item, settings=settings, stdin=stdin)
                yield name, source, extractor.extract(source)
            except HrdwatchError as e:
                yield name, None, e
