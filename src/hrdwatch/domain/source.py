"""A report as read from disk: its text, where it came from, and its fingerprint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Source:
    """What a reader produces. ``text`` is the report body every evidence offset points into.

    ``sha256`` and ``size`` fingerprint the original bytes (chain of custody); the header block of
    the corpus format (``key: value`` lines) is moved into the metadata fields, not kept in ``text``.
    """

    name: str
    text: str
    sha256: str
    size: int
    media_type: str
    reader: str
    language: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    publisher: str | None = None
    doc_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "reader": self.reader,
            "language": self.language,
            "title": self.title,
            "published": self.published,
            "url": self.url,
            "publisher": self.publisher,
            "doc_id": self.doc_id,
            "metadata": dict(self.metadata),
        }
