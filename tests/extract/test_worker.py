"""The extraction worker: a record comes back; a slow document is E205, memory exhaustion E206,
a killed worker E207; the next document after any of them is extracted by a fresh worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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


def test_a_worker_aborted_by_native_code_is_e206(extractor: BoundedExtractor) -> None:
    """Rust and C++ extensions abort (SIGABRT) when an allocation under the cap fails."""
    extractor.extract(_source())
    assert extractor.pid is not None
    os.kill(extractor.pid, signal.SIGABRT)
    assert _code(extractor, _source()) == "E206"
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


_ORPHANING_COMMAND = """
import sys, time
from hrdwatch.domain.source import Source
from hrdwatch.extract.worker import BoundedExtractor
text = sys.argv[1]
source = Source(name="x.txt", text=text, sha256="0" * 64, size=len(text), media_type="text/plain",
                reader="text", language="en")
extractor = BoundedExtractor(max_chars=10**6)
extractor.extract(source)
print(extractor.pid, flush=True)
long = Source(name="y.txt", text=text * 2000, sha256="1" * 64, size=len(text) * 2000,
              media_type="text/plain", reader="text", language="en")
extractor.extract(long)  # a minute of work: the command is killed meanwhile
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"  # a zombie waits for its reaper only
    except FileNotFoundError:
        return False


def test_the_worker_dies_with_a_command_killed_by_sigkill() -> None:
    command = subprocess.Popen(
        [sys.executable, "-c", _ORPHANING_COMMAND, REPORT], stdout=subprocess.PIPE, text=True
    )
    assert command.stdout is not None
    worker = int(command.stdout.readline())
    assert _alive(worker)
    time.sleep(1.0)  # the worker is busy with the long document now
    command.send_signal(signal.SIGKILL)
    command.wait()
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker), "the extraction worker outlived the command that started it"
