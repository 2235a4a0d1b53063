"""The ``Doc._`` attributes the stages read and write, registered once."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

#: attribute -> what it holds. Every list holds dataclasses from :mod:`hrdwatch.extract.facts`.
ATTRIBUTES: dict[str, str] = {
    "hrd_meta": "dict: published (PartialDate | None), title, doc_id, language",
    "hrd_dates": "list[DateMention]",
    "hrd_places": "list[PlaceMention]",
    "hrd_entities": "list[Entity]",
    "hrd_acts": "list[ActMention]",
    "hrd_articles": "list[LegalMention]",
    "hrd_sanctions": "list[SanctionMention]",
    "hrd_perpetrators": "list[PerpetratorMention]",
    "hrd_demands": "list[DemandMention]",
    "hrd_record": "CaseRecord | None (written by event assembly)",
    "hrd_warnings": "list[str]",
}


def register() -> None:
    """Idempotent: safe to call from every component module."""
    for name in ATTRIBUTES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def init_doc(doc: Doc, meta: dict[str, Any]) -> Doc:
    """Give a fresh Doc its metadata and empty fact lists before the stages run."""
    register()
    doc._.hrd_meta = dict(meta)
    for name in ATTRIBUTES:
        if name not in ("hrd_meta", "hrd_record"):
            setattr(doc._, name, [])
    return doc


def add_facts(doc: Doc, name: str, items: list[Any]) -> None:
    """Append a stage's mentions to ``doc._.<name>``, creating the list on a Doc not set up by init_doc."""
    register()
    current = getattr(doc._, name)
    setattr(doc._, name, [*(current or []), *items])


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc. spaCy joins every token again on each ``doc.text``, so a
    stage that reads it in a loop turned a 130 KB report into minutes of work."""
    text = doc.user_data.get("hrdwatch.text")
    if not isinstance(text, str):
        text = doc.text
        doc.user_data["hrdwatch.text"] = text
    return text
