"""Every file of the hostile corpus, read one by one: a coded refusal (from the reader, or from the
checks before extraction), within the parse time limit plus a grace for starting the reader's
process. The bound is generous ("does not hang"); timings are in benchmarks/hostile_ingest.py."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hrdwatch.config import Settings
from hrdwatch.errors import HrdwatchError
from hrdwatch.extract.limits import check_length
from hrdwatch.ingest.files import display_name
from hrdwatch.ingest.registry import discover_files, read_path

PARSE_TIMEOUT = 3.0
GRACE = 20.0  # forking the reader and killing it; a loaded CI machine
MAX_TEXT_CHARS = 200_000


def _hostile() -> ModuleType:
    path = Path(__file__).parent / "hostile.py"
    spec = importlib.util.spec_from_file_location("hrdwatch_tests_hostile_readers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("hostile")
    return _hostile().write_corpus(root / "corpus", outside=root / "outside")


def test_each_hostile_file_is_refused_in_time(corpus: Any) -> None:
    settings = Settings(db="sqlite://", parse_timeout=PARSE_TIMEOUT)
    hostile = corpus.hostile
    slow, wrong = [], []
    for found in discover_files([corpus.folder]):
        name = display_name(found.path)
        if name not in hostile:
            continue
        started = time.monotonic()
        try:
            source = read_path(found, settings=settings)
            check_length(source, max_chars=MAX_TEXT_CHARS)
            code = "read"
        except HrdwatchError as e:
            code = e.code
        elapsed = time.monotonic() - started
        if code not in hostile[name]:
            wrong.append((name, code))
        if elapsed > PARSE_TIMEOUT + GRACE:
            slow.append((name, round(elapsed, 1)))
    assert wrong == []
    assert slow == []
