"""What each extraction stage writes onto the ``Doc``: mentions with character offsets.

Offsets are into ``doc.text`` (the report body, identical to ``Source.text``). Stages append to
the lists registered in :mod:`hrdwatch.extract.extensions`; event assembly turns them into a
:class:`~hrdwatch.domain.records.CaseRecord`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.evidence import Evidence
from hrdwatch.domain.records import Sanction


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str

    def evidence(self, field_name: str, stage: str, rule: str = "") -> Evidence:
        return Evidence(field_name, self.start, self.end, self.text, stage, rule)


@dataclass(slots=True)
class DateMention(Mention):
    """``value`` is the (start) date; ``end_value`` the end of a range. ``rule`` names the pattern:
    ``absolute``, ``partial``, ``no_year``, ``relative``, ``range``, ``header``."""

    value: PartialDate | None = None
    end_value: PartialDate | None = None
    rule: str = ""
    publication: bool = False  # the dateline / publication date, not an incident date


@dataclass(slots=True)
class PlaceMention(Mention):
    """``kind``: ``country`` | ``adjective`` (Kazakhstani) | ``city`` | ``region`` | ``site``."""

    kind: str = "city"
    name: str = ""
    country: str | None = None  # ISO 3166-1 alpha-2
    rule: str = ""


@dataclass(slots=True)
class EntityMention(Mention):
    """One occurrence of a person or organisation in the text."""


@dataclass(slots=True)
class Entity:
    """A person or organisation, with every mention of it in the text merged (variants, surnames)."""

    id: int
    name: str
    kind: str  # person | organisation
    mentions: list[EntityMention] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "co-founder of X", "journalist"
    affiliations: list[str] = field(default_factory=list)  # organisation names
    state: bool = False  # a state body or an official (judge, minister, police unit)
    publisher: bool = False  # the report's author or publisher, never a victim
    rule: str = ""


@dataclass(slots=True)
class ActMention(Mention):
    """An act trigger (``text`` is the trigger words) in a sentence, with its code."""

    code: str = ""
    sent_start: int = 0
    sent_end: int = 0
    rule: str = ""
    negated: bool = False
    hedged: bool = False  # reported as a call or risk, not as done ("calls for the release")
    token_i: int = -1  # index of the trigger's head token in the Doc


@dataclass(slots=True)
class LegalMention(Mention):
    article: str | None = None  # normalised number: 434(1), 228(4), 54.1.a
    law: str | None = None
    offence: str | None = None
    rule: str = ""


@dataclass(slots=True)
class SanctionMention(Mention):
    sanction: Sanction | None = None
    rule: str = ""


@dataclass(slots=True)
class PerpetratorMention(Mention):
    """An actor: ``name`` for a proper name, else ``description`` (``police``).

    ``kind`` is state, non_state or unknown.
    """

    name: str | None = None
    kind: str = "unknown"
    description: str | None = None
    entity_id: int | None = None
    rule: str = ""
    acts: list[int] = field(default_factory=list)  # indexes into doc._.hrd_acts


@dataclass(slots=True)
class DemandMention(Mention):
    """A call on the authorities; ``summary`` is the demand itself (the clause after the call verb)."""

    summary: str = ""
    rule: str = ""
