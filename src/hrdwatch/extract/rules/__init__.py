"""Patterns as data, per language. Every rule file is read through :func:`load_rule_file`, once
per process; ``load_rules(lang, name)`` is its shorthand for ``rules/<lang>/<name>.json``."""

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
    """A rule file by its path under ``rules/`` (multilingual files sit at the top), parsed once.
    A missing, unreadable or malformed file is E203: the stages cannot run without their rules."""
    resource = resources.files(__name__).joinpath(path)
    try:
        data = json.loads(resource.read_text("utf-8"))
    except FileNotFoundError as e:
        raise ExtractionError(Errors.E203, path=path, reason="there is no such file") from e
    except (OSError, ValueError) as e:
        raise ExtractionError(Errors.E203, path=path, reason=str(e)) from e
    if not isinstance(data, dict):
        raise ExtractionError(
            Errors.E203, path=path, reason=f"a JSON object expected, not {type(data).__name__}"
        )
    return data
