"""Patterns as data, per language. ``load_rules(lang, name)`` reads ``rules/<lang>/<name>.json``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from hrdwatch.errors import Errors, ExtractionError


def load_rules(lang: str, name: str) -> dict[str, Any]:
    """``rules/<lang>/<name>.json``: the patterns of one language."""
    return load_rule_file(f"{lang}/{name}.json")


@cache
def load_rule_file(path: str) -> dict[str, Any]:
    """A rule file by its path under ``rules/`` (multilingual files sit at the top)."""
    resource = resources.files("hrdwatch.extract.rules").joinpath(path)
    try:
        data: dict[str, Any] = json.loads(resource.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise ExtractionError(Errors.E203, path=path, reason=str(e)) from e
    return data
