"""Facts a reviewer decides on, each addressed by its table and id (:class:`FactRef`), and the
fields of each a reviewer may correct."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FactTable(StrEnum):
    """The tables that hold reviewable facts (the value is the table's name)."""

    INCIDENTS = "incidents"
    ACTS = "acts"
    PEOPLE = "people"
    ORGANISATIONS = "organisations"
    PERPETRATORS = "perpetrators"
    CHARGES = "charges"
    SANCTIONS = "sanctions"
    DEMANDS = "demands"

    @property
    def kind(self) -> str:
        """One row of the table, as messages name it: ``person`` for ``people``."""
        return "person" if self is FactTable.PEOPLE else self.value.removesuffix("s")


@dataclass(frozen=True, slots=True)
class FactRef:
    """The address of one fact: its table and its row id."""

    table: FactTable
    id: str


#: the column that holds a fact's review state (see :class:`hrdwatch.domain.review.ReviewStatus`)
STATUS = "review_status"

#: fields a reviewer may edit, per fact table
EDITABLE: dict[FactTable, tuple[str, ...]] = {
    FactTable.INCIDENTS: ("date", "end_date", "city", "country", "site", "detention_place"),
    FactTable.ACTS: ("act_type", "date"),
    FactTable.PEOPLE: ("name", "description"),
    FactTable.ORGANISATIONS: ("name",),
    FactTable.PERPETRATORS: ("name", "kind", "description"),
    FactTable.CHARGES: ("offence", "law", "article"),
    FactTable.SANCTIONS: ("type", "amount", "currency", "months", "description"),
    FactTable.DEMANDS: ("text",),
}
