import os
import time
from functools import partial
from pathlib import Path

import pytest

from hrdwatch.errors import Errors, InputRejected
from hrdwatch.ingest.limits import read_capped, run_limited
from hrdwatch.ingest.text import read_text


def code_of(call: partial[object], *, timeout: float = 30.0, memory_mb: int = 1024) -> str:
    with pytest.raises(InputRejected) as caught:
        run_limited(call, name="hostile.bin", timeout=timeout, memory_mb=memory_mb)
    return caught.value.code


def test_result_comes_back_from_the_child() -> None:
    source = run_limited(
        partial(read_text, b"Amara Velt was detained in Norvik.", name="a.txt"),
        name="a.txt",
        timeout=30.0,
        memory_mb=1024,
    )
    assert source.text == "Amara Velt was detained in Norvik."


def test_child_runs_in_another_process() -> None:
    assert run_limited(os.getpid, name="pid", timeout=30.0, memory_mb=1024) != os.getpid()


def test_slow_parser_is_stopped_with_e109() -> None:
    started = time.monotonic()
    assert code_of(partial(time.sleep, 30), timeout=0.5) == "E109"
    assert time.monotonic() - started < 10


def test_memory_hungry_parser_is_e110() -> None:
    assert code_of(partial(bytearray, 2 * 1024**3), memory_mb=512) == "E110"


def test_child_coded_error_comes_back_unchanged() -> None:
    with pytest.raises(InputRejected) as caught:
        run_limited(partial(read_text, b"", name="empty.txt"), name="empty.txt", timeout=30.0, memory_mb=1024)
    assert caught.value.code == "E101"
    assert caught.value.detail == Errors.E101.format(name="empty.txt")


def test_other_child_failure_is_e112() -> None:
    assert code_of(partial(int, "not a number")) == "E112"


def test_child_that_dies_is_e112() -> None:
    assert code_of(partial(os._exit, 3)) == "E112"


def test_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: takes no disk space

    def no_open(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr("builtins.open", no_open)
    with pytest.raises(InputRejected) as caught:
        read_capped(huge, name="huge.txt", limit=20 * 1024 * 1024)
    assert caught.value.code == "E102"
    assert caught.value.fields["size"] == 200 * 1024 * 1024


def test_file_within_the_cap_is_read(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_bytes(b"Norvik")
    assert read_capped(small, name="small.txt", limit=6) == b"Norvik"
