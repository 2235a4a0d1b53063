"""Event assembly: facts grouped into incidents, each victim linked only to the acts done to them.

requires: every earlier stage. assigns ``doc._.hrd_record`` (a CaseRecord). Each act is linked to
its victims, date, place and perpetrators (:mod:`hrdwatch.extract.linked_acts`); acts with the
same date and victims form one event (:mod:`hrdwatch.extract.assemble`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.domain.records import CaseRecord
from hrdwatch.extract import extensions
from hrdwatch.extract.assemble import build_record
from hrdwatch.extract.linked_acts import drop_coarse_duplicates, drop_repeated_summaries, link_acts

STAGE = "hrdwatch_events"


def assemble(doc: Doc) -> CaseRecord:
    linked = link_acts(doc) if doc.has_annotation("DEP") else []
    linked = drop_repeated_summaries(drop_coarse_duplicates(linked))
    return build_record(doc, linked)


@Language.component(STAGE, assigns=["doc._.hrd_record"])
def events_component(doc: Doc) -> Doc:
    extensions.register()
    doc._.hrd_record = assemble(doc)
    return doc
