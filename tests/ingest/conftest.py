"""Fixtures for the reader tests: hand-built PDFs with a real text layer, and sample paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hrdwatch.config import Settings

FIXTURES = Path(__file__).parent / "fixtures"

MakePdf = Callable[..., bytes]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content_stream(lines: list[str]) -> bytes:
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        ops += [f"({_escape(line)}) Tj", "T*"]
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def build_pdf(pages: list[list[str]], *, title: str | None = None, created: str | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text stream per page, a correct xref table."""
    page_ids = [4 + 2 * i for i in range(len(pages))]
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for page_id, lines in zip(page_ids, pages, strict=True):
        stream = _content_stream(lines)
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>"
        ).encode()
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    info_id = None
    if title or created:
        info_id = max(objects) + 1
        entries = f"/Title ({_escape(title)}) " if title else ""
        entries += f"/CreationDate ({created})" if created else ""
        objects[info_id] = f"<< {entries} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    info = f" /Info {info_id} 0 R" if info_id else ""
    out += f"trailer\n<< /Size {size} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.fixture
def make_pdf() -> MakePdf:
    return build_pdf


@pytest.fixture
def settings() -> Settings:
    return Settings(db="sqlite://", parse_timeout=30.0)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
