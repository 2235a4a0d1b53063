"""Event assembly: facts grouped into incidents, each victim linked only to the acts done to them.

requires: the stages every pipeline has (dates, places, legal, sanctions); on a parsed Doc it also
reads the names, acts, perpetrators and demands stages, which the English pipeline runs before it.
assigns ``doc._.hrd_record`` (a CaseRecord). Each act is linked to its victims, date, place and
perpetrators (:mod:`hrdwatch.extract.linked_acts`); acts with the same date and victims form one
event (:mod:`hrdwatch.extract.assemble`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.domain.records import CaseRecord
from hrdwatch.extract import extensions
from hrdwatch.extract.assemble import build_record
from hrdwatch.extract.linked_acts import drop_coarse_duplicates, drop_repeated_summaries, link_acts
from hrdwatch.extract.registry import EVENTS


def assemble(doc: Doc) -> CaseRecord:
    linked = link_acts(doc) if doc.has_annotation("DEP") else []
    linked = drop_repeated_summaries(drop_coarse_duplicates(linked))
    return build_record(doc, linked)


@Language.component(
    EVENTS.factory,
    requires=["doc._.hrd_dates", "doc._.hrd_places", "doc._.hrd_articles", "doc._.hrd_sanctions"],
    assigns=["doc._.hrd_record"],
)
def events_component(doc: Doc) -> Doc:
    extensions.register()
    doc._.hrd_record = assemble(doc)
    return doc
