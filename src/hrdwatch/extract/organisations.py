"""Whether a name reads as an organisation's. The names stage asks it of NER's ORG entities (which
are often unfamiliar personal names); event assembly asks it of victims (an organisation is a
victim only when it is one, not merely someone's affiliation)."""

from __future__ import annotations

import re

from hrdwatch.domain.names import name_key
from hrdwatch.extract.names import lexicon


def orgish(name: str) -> bool:
    """All capitals, or a civil-society or state organisation word in it ("union", "ministry")."""
    lex = lexicon()
    k = name_key(name)
    words = lex["civil_org_words"] + lex["state_org_words"]
    return name.isupper() or any(re.search(rf"\b{re.escape(w)}\b", k) for w in words)
