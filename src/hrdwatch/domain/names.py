"""When two names are the same name: one key for the extractor, the record writer and the pages
that link a defender across reports.

Reports spell one name many ways ("Téodor Valk", "teodor  VALK", "Mbeki-Fotso"); the key keeps only
what tells names apart: ASCII letters and digits, in lower case.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """ASCII, lower case, letters and digits only, words in order: ``"teodor valk"``."""
    return " ".join(_NOT_ALNUM.sub(" ", unidecode(name).lower()).split())


def name_words(name: str) -> frozenset[str]:
    """The words of :func:`name_key`, in no order."""
    return frozenset(name_key(name).split())


def any_order_key(name: str) -> str:
    """:func:`name_key` with its words sorted: "Valk, Teodor" and "Teodor Valk" give one key."""
    return " ".join(sorted(name_key(name).split()))
