"""Service fixtures: the store's migrated database per test, on SQLite and (when
HRDWATCH_TEST_PG_URL is set) PostgreSQL, taken from tests/store/conftest.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def _store_conftest() -> ModuleType:
    path = Path(__file__).parents[1] / "store" / "conftest.py"
    spec = importlib.util.spec_from_file_location("hrdwatch_tests_store_conftest", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # the test modules here take the builders from sys.modules
    spec.loader.exec_module(module)
    return module


_STORE = _store_conftest()
sqlite_url = _STORE.sqlite_url
pg_url = _STORE.pg_url
db_url = _STORE.db_url
engine = _STORE.engine
