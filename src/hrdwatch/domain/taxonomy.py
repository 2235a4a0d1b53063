"""Act and perpetrator vocabularies, kept as data in ``taxonomies/acts.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, cast


@dataclass(frozen=True, slots=True)
class ActType:
    code: str
    group: str
    label: str
    meaning: str


@cache
def _data() -> dict[str, Any]:
    raw = resources.files("hrdwatch.domain").joinpath("taxonomies/acts.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(raw))


@cache
def act_types() -> dict[str, ActType]:
    acts: list[dict[str, str]] = _data()["acts"]
    return {a["code"]: ActType(a["code"], a["group"], a["label"], a["meaning"]) for a in acts}


def act_codes() -> tuple[str, ...]:
    return tuple(act_types())


@cache
def perpetrator_kinds() -> tuple[str, ...]:
    kinds: list[dict[str, str]] = _data()["perpetrator_kinds"]
    return tuple(k["code"] for k in kinds)
