"""Plain text and Markdown reports (also standard input): UTF-8 only, with the corpus header block."""

from __future__ import annotations

import codecs
import re

from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, InputRejected
from hrdwatch.ingest.build import build_source, normalise_newlines
from hrdwatch.ingest.header import split_header

SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.05
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f\x1b")
_CONTROL_BYTES = (frozenset(range(0x20)) - _ALLOWED_CONTROLS) | {0x7F}
_VISIBLE_BYTE = re.compile(rb"\S")
_VISIBLE_CHAR = re.compile(r"\S")
_HEADER_FIELDS = {
    "id": "doc_id",
    "url": "url",
    "publisher": "publisher",
    "title": "title",
    "published": "published",
}


def looks_binary(data: bytes) -> bool:
    """True when ``data`` has a NUL byte, or its start has too many control characters for text."""
    if b"\x00" in data:
        return True
    sample = data[:SNIFF_BYTES]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return bool(sample) and controls / len(sample) > MAX_CONTROL_SHARE


def decode_utf8(data: bytes, *, name: str) -> str:
    """Decode strict UTF-8, dropping a byte-order mark; E104 names the first bad byte's offset."""
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputRejected(Errors.E104, name=name, offset=skip + e.start) from e


def read_text(data: bytes, *, name: str, media_type: str = "text/plain") -> Source:
    """Read a UTF-8 text report. The header block goes to the metadata; ``text`` is the body.
    Blank checks search for a visible character instead of stripping, so a 20 MB file is not
    copied again for each of them."""
    if _VISIBLE_BYTE.search(data) is None:
        raise InputRejected(Errors.E101, name=name)
    if looks_binary(data):
        raise InputRejected(Errors.E103, name=name)
    text = normalise_newlines(decode_utf8(data, name=name))
    if _VISIBLE_CHAR.search(text) is None:
        raise InputRejected(Errors.E101, name=name)
    header, body = split_header(text)
    if _VISIBLE_CHAR.search(body) is None:
        raise InputRejected(Errors.E101, name=name)
    fields = {target: header.get(key) for key, target in _HEADER_FIELDS.items()}
    metadata: dict[str, object] = {"header": dict(header)} if header else {}
    if header:
        metadata["declared_language"] = header.get("language")
    return build_source(
        data, name=name, text=body, media_type=media_type, reader="text", fields=fields, metadata=metadata
    )
