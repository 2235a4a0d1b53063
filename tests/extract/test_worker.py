"""The extraction worker: a record comes back; a slow document is E205, memory exhaustion E206,
a killed worker E207; the next document after any of them is extracted by a fresh worker."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from hrdwatch.domain.source import Source
from hrdwatch.errors import ExtractionError
from hrdwatch.extract.worker import BoundedExtractor

REPORT = (
    "On 3 March 2023, police officers arrested the journalist Amara Velt in Almaty, Kazakhstan. "
    "She was detained for two days."
)


def _source(text: str = REPORT, name: str = "velt.txt") -> Source:
    return Source(
        name=name,
        text=text,
        sha256="0" * 64,
        size=len(text),
        media_type="text/plain",
        reader="text",
        language="en",
    )


def _code(extractor: BoundedExtractor, source: Source) -> str:
    with pytest.raises(ExtractionError) as caught:
        extractor.extract(source)
    return caught.value.code


@pytest.fixture(scope="module")
def extractor() -> Iterator[BoundedExtractor]:
    with BoundedExtractor(timeout=120, memory_mb=1024, max_chars=100_000) as bounded:
        yield bounded


def test_the_record_comes_back_from_another_process(extractor: BoundedExtractor) -> None:
    record = extractor.extract(_source())
    assert [v.name for v in record.victims] == ["Amara Velt"]
    assert extractor.pid is not None and extractor.pid != os.getpid()


def test_the_model_is_loaded_once(extractor: BoundedExtractor) -> None:
    extractor.extract(_source())
    pid = extractor.pid
    extractor.extract(_source())
    assert extractor.pid == pid


def test_a_text_over_the_cap_is_e204_without_the_worker(extractor: BoundedExtractor) -> None:
    assert _code(extractor, _source("x" * 100_001)) == "E204"


def test_a_killed_worker_is_e207_and_the_next_document_works(extractor: BoundedExtractor) -> None:
    extractor.extract(_source())
    assert extractor.pid is not None
    os.kill(extractor.pid, signal.SIGKILL)
    code = _code(extractor, _source())
    assert code == "E207"
    assert [v.name for v in extractor.extract(_source()).victims] == ["Amara Velt"]


def test_a_document_past_its_time_is_e205_and_the_next_one_works(extractor: BoundedExtractor) -> None:
    extractor.extract(_source())  # the worker is up
    timeout, extractor.timeout = extractor.timeout, 0.01
    try:
        assert _code(extractor, _source(REPORT * 200)) == "E205"
        assert extractor.pid is None  # killed
    finally:
        extractor.timeout = timeout
    assert [v.name for v in extractor.extract(_source()).victims] == ["Amara Velt"]


def test_a_memory_cap_too_small_is_e206() -> None:
    with BoundedExtractor(timeout=120, memory_mb=200, max_chars=100_000) as small:
        assert _code(small, _source()) == "E206"


def test_ctrl_c_is_left_to_the_command(extractor: BoundedExtractor) -> None:
    """Ctrl-C reaches the whole process group; the worker must not die with a traceback of its own."""
    extractor.extract(_source())
    assert extractor.pid is not None
    os.kill(extractor.pid, signal.SIGINT)
    assert [v.name for v in extractor.extract(_source()).victims] == ["Amara Velt"]
