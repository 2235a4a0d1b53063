"""Which reader reads a file, and the public entry points: :func:`read_path`, :func:`read_bytes`,
:func:`discover`.

The reader is chosen by sniffing the bytes first (``%PDF-``, ``<!doctype html``, ``<html``) and
by the file's suffix after; a name with no suffix (standard input) is read as text. Every reader
(text too: decoding, the header block and language detection) runs in a child process under the
limits of :mod:`hrdwatch.ingest.limits`, so the calling process never holds a parser's memory.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from hrdwatch.config import Settings
from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, InputRejected
from hrdwatch.ingest.files import FoundFile, display_name, read_found
from hrdwatch.ingest.limits import check_size, run_limited
from hrdwatch.ingest.text import read_text

READER_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
SUPPORTED_SUFFIXES = frozenset(READER_BY_SUFFIX)
STDIN = "-"
SNIFF_BYTES = 1024
_HTML_OPENINGS = (b"<!doctype html", b"<html")


def sniff(data: bytes) -> str | None:
    """``"pdf"`` or ``"html"`` when the first bytes say so, else ``None``."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"%PDF-"):
        return "pdf"
    opening = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if opening.startswith(b"<?xml"):
        opening = opening[opening.find(b"?>") + 2 :].lstrip()
    while opening.startswith(b"<!--") and b"-->" in opening:
        opening = opening[opening.find(b"-->") + 3 :].lstrip()
    return "html" if opening.startswith(_HTML_OPENINGS) else None


def choose_reader(data: bytes, *, name: str) -> str:
    """The reader for ``data`` named ``name``: sniffed type, else suffix, else text when there is
    no suffix. E111 for any other suffix."""
    sniffed = sniff(data)
    if sniffed is not None:
        return sniffed
    suffix = Path(name).suffix.lower() if name != STDIN else ""
    if suffix in READER_BY_SUFFIX:
        return READER_BY_SUFFIX[suffix]
    if suffix == "":
        return "text"
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    raise InputRejected(Errors.E111, name=name, suffix=suffix, supported=supported)


def read_bytes(data: bytes, *, name: str, settings: Settings) -> Source:
    """Read a report given as bytes (standard input, an upload). ``name`` picks the reader by its
    suffix and names the report in errors and in ``Source.name``."""
    check_size(len(data), name=name, limit=settings.max_bytes)
    reader = choose_reader(data, name=name)
    # imported here: the parsers run in the child, and the calling process stays small
    if reader == "text":
        call = partial(read_text, data, name=name)
    elif reader == "markdown":
        call = partial(read_text, data, name=name, media_type="text/markdown")
    elif reader == "html":
        from hrdwatch.ingest.html import read_html

        call = partial(read_html, data, name=name)
    else:
        from hrdwatch.ingest.pdf import read_pdf

        call = partial(read_pdf, data, name=name, max_pages=settings.max_pdf_pages)
    return run_limited(call, name=name, timeout=settings.parse_timeout, memory_mb=settings.parse_memory_mb)


def read_path(path: Path | FoundFile, *, settings: Settings) -> Source:
    """Read the report at ``path``. E113 when missing; E115 for a link out of its folder; E116
    for a FIFO, device or socket (never opened in a way that blocks); E102 (checked before
    reading) when over ``settings.max_bytes``; otherwise as :func:`read_bytes`."""
    found = path if isinstance(path, FoundFile) else FoundFile(Path(path))
    name = display_name(found.path)
    if found.path.is_dir():
        raise InputRejected(Errors.E112, name=name, reason="it is a folder, not a file")
    try:
        data = read_found(found, name=name, limit=settings.max_bytes)
    except OSError as e:
        raise InputRejected(Errors.E112, name=name, reason=e.strerror or str(e)) from e
    return read_bytes(data, name=name, settings=settings)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: Path) -> list[FoundFile]:
    """Links to folders are not entered (``os.walk`` default); links to files are kept, for
    :func:`read_path` to follow or refuse."""
    found: list[FoundFile] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for file in sorted(files):
            if not _is_hidden(file) and Path(file).suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(FoundFile(Path(root) / file, root=folder))
    return found


def discover_files(paths: Sequence[str | Path]) -> list[FoundFile]:
    """The files to read: folders expanded recursively (sorted; hidden files and folders, and
    files of unsupported types, skipped), files and ``-`` kept as given, duplicates dropped.
    A file found in a folder remembers the folder, so a link leaving it can be refused."""
    found: dict[Path, FoundFile] = {}
    for given in paths:
        path = Path(given)
        for item in _walk(path) if path.is_dir() else [FoundFile(path)]:
            found.setdefault(item.path, item)
    return list(found.values())


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """The paths :func:`discover_files` finds."""
    return [item.path for item in discover_files(paths)]
