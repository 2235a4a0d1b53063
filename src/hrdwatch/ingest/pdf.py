"""PDF reports: the text layer, by pypdf. Scanned PDFs (no text layer) are refused, not OCR'd."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, InputRejected
from hrdwatch.ingest.build import build_source, normalise_newlines

MEDIA_TYPE = "application/pdf"
PAGE_SEPARATOR = "\n\n"
# What a damaged file can make pypdf raise besides its own errors.
_PARSE_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    RecursionError,
    OSError,
    ZeroDivisionError,
)


@contextmanager
def _pdf_errors(name: str) -> Iterator[None]:
    """pypdf's failures as coded refusals: E106 for encryption, E105 for anything malformed."""
    try:
        yield
    except InputRejected:
        raise
    except FileNotDecryptedError as e:
        raise InputRejected(Errors.E106, name=name) from e
    except _PARSE_ERRORS as e:
        raise InputRejected(Errors.E105, name=name, reason=str(e) or type(e).__name__) from e


def open_pdf(data: bytes, *, name: str) -> PdfReader:
    """Open ``data``; an encrypted file is tried with the empty password before E106."""
    with _pdf_errors(name):
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputRejected(Errors.E106, name=name)
        return reader


def page_texts(reader: PdfReader, *, name: str, max_pages: int) -> list[str]:
    """The text of every page; E107 when there are more than ``max_pages``."""
    with _pdf_errors(name):
        count = len(reader.pages)
        if count > max_pages:
            raise InputRejected(Errors.E107, name=name, pages=count, limit=max_pages)
        return [normalise_newlines(page.extract_text() or "").strip() for page in reader.pages]


def join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """The pages' text joined by a blank line, and where each page starts in it."""
    offsets: list[int] = []
    position = 0
    for page in pages:
        offsets.append(position)
        position += len(page) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(pages), offsets


def _pdf_date(value: Any) -> str | None:
    return value.date().isoformat() if value is not None and hasattr(value, "date") else None


def document_info(reader: PdfReader) -> tuple[dict[str, str | None], dict[str, Any]]:
    """Title and creation date (Source fields), author and subject (metadata); a damaged
    information dictionary gives nothing rather than failing the whole file."""
    try:
        info = reader.metadata
        if info is None:
            return {}, {}
        fields = {"title": (info.title or "").strip() or None, "published": _pdf_date(info.creation_date)}
        extra = {"author": info.author, "subject": info.subject, "producer": info.producer}
    except _PARSE_ERRORS:
        return {}, {}
    return fields, {key: value.strip() for key, value in extra.items() if value and value.strip()}


def read_pdf(data: bytes, *, name: str, max_pages: int) -> Source:
    """Read a PDF's text layer. E105 damaged, E106 encrypted, E107 too many pages, E108 no text."""
    if not data.strip():
        raise InputRejected(Errors.E101, name=name)
    reader = open_pdf(data, name=name)
    pages = page_texts(reader, name=name, max_pages=max_pages)
    if not any(pages):
        raise InputRejected(Errors.E108, name=name)
    text, offsets = join_pages(pages)
    fields, metadata = document_info(reader)
    metadata.update(pages=len(pages), page_offsets=offsets)
    return build_source(
        data, name=name, text=text, media_type=MEDIA_TYPE, reader="pdf", fields=fields, metadata=metadata
    )
