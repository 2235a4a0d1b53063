"""HTML pages: the main text by trafilatura (menus, share buttons, cookie banners dropped)."""

from __future__ import annotations

import codecs
import re
from typing import Any

import trafilatura

from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, InputRejected
from hrdwatch.ingest.build import build_source, normalise_newlines

MEDIA_TYPE = "text/html"
CHARSET_SNIFF_BYTES = 4096
MIN_FALLBACK_WORDS = 20
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def declared_charset(data: bytes) -> str | None:
    """The encoding named by a byte-order mark or a ``<meta charset>``, if Python knows it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    match = _CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode_html(data: bytes) -> str:
    """Decode by the declared charset, else UTF-8; undecodable bytes become U+FFFD."""
    return data.decode(declared_charset(data) or "utf-8", errors="replace")


def _page_language(markup: str) -> str | None:
    root = trafilatura.load_html(markup)
    lang = root.get("lang") if root is not None and root.tag == "html" else None
    return lang.strip() or None if lang else None


def page_metadata(markup: str) -> tuple[dict[str, str | None], dict[str, Any]]:
    """Title, date, canonical URL and site name (Source fields), then author etc. (metadata)."""
    found = trafilatura.extract_metadata(markup)
    fields = {"title": found.title, "published": found.date, "url": found.url, "publisher": found.sitename}
    extra = {
        "author": found.author,
        "description": found.description,
        "hostname": found.hostname,
        "declared_language": _page_language(markup),
    }
    return fields, {key: value for key, value in extra.items() if value}


def _extract(markup: str, *, fast: bool) -> str:
    text = trafilatura.extract(
        markup, include_comments=False, favor_precision=True, include_tables=True, fast=fast
    )
    return normalise_newlines(text).strip() if text else ""


def main_text(markup: str) -> str | None:
    """The article text. Trafilatura's own extractor first; its fallbacks (readability, jusText)
    only when they find at least ``MIN_FALLBACK_WORDS`` words, since on a page with no article
    they return the menu."""
    text = _extract(markup, fast=True)
    if text:
        return text
    text = _extract(markup, fast=False)
    return text if len(text.split()) >= MIN_FALLBACK_WORDS else None


def read_html(data: bytes, *, name: str) -> Source:
    """Read an HTML page. E101 when empty, E117 when it declares entities (the "billion laughs"
    attack; no web page needs them), E114 when it has no main text."""
    if not data.strip():
        raise InputRejected(Errors.E101, name=name)
    markup = decode_html(data)
    if _ENTITY_DECLARATION.search(markup):
        raise InputRejected(Errors.E117, name=name)
    text = main_text(markup)
    if not text:
        raise InputRejected(Errors.E114, name=name)
    fields, metadata = page_metadata(markup)
    metadata["charset"] = declared_charset(data) or "utf-8"
    return build_source(
        data, name=name, text=text, media_type=MEDIA_TYPE, reader="html", fields=fields, metadata=metadata
    )
