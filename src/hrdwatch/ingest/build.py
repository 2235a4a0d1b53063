"""Assemble a :class:`Source` from a reader's text: fingerprint of the bytes and detected language."""

from __future__ import annotations

import hashlib
from typing import Any

from hrdwatch.domain.source import Source
from hrdwatch.ingest.language import detect_language


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def build_source(
    data: bytes,
    *,
    name: str,
    text: str,
    media_type: str,
    reader: str,
    fields: dict[str, str | None] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Source:
    """A Source for ``text`` read from ``data``. ``fields`` may set title, published, url,
    publisher and doc_id; ``None`` values are left out."""
    known = {key: value for key, value in (fields or {}).items() if value is not None}
    return Source(
        name=name,
        text=text,
        sha256=sha256_of(data),
        size=len(data),
        media_type=media_type,
        reader=reader,
        language=detect_language(text),
        title=known.get("title"),
        published=known.get("published"),
        url=known.get("url"),
        publisher=known.get("publisher"),
        doc_id=known.get("doc_id"),
        metadata=dict(metadata or {}),
    )
