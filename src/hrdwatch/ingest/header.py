"""The corpus header block: ``key: value`` lines, one blank line, then the body.

A report may open with a few lines such as ``id: d001`` and ``title: ...``. The block is only
recognised when its first line names a known key and it ends with a blank line; anything else is
body text. Values left empty become ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KNOWN_KEYS = frozenset({"id", "url", "publisher", "title", "published", "language"})
MAX_HEADER_LINES = 30

_LINE = re.compile(r"([a-z][a-z_]*):(?: (.*))?")


@dataclass(frozen=True, slots=True)
class Header:
    """The parsed block. ``body_start`` is where the body begins in the text given."""

    fields: dict[str, str | None] = field(default_factory=dict)
    body_start: int = 0


def _parse_line(line: str) -> tuple[str, str | None] | None:
    match = _LINE.fullmatch(line)
    if match is None:
        return None
    value = (match.group(2) or "").strip()
    return match.group(1), value or None


def parse_header(text: str) -> Header:
    """Read the header block at the start of ``text`` (newlines already ``\\n``), if there is one."""
    fields: dict[str, str | None] = {}
    position = 0
    for number, line in enumerate(text.split("\n", MAX_HEADER_LINES + 1)[: MAX_HEADER_LINES + 1]):
        end = position + len(line) + 1
        if line.strip() == "":
            if fields and end <= len(text):
                return Header(fields=fields, body_start=end)
            return Header()
        parsed = _parse_line(line)
        if parsed is None or (number == 0 and parsed[0] not in KNOWN_KEYS):
            return Header()
        fields[parsed[0]] = parsed[1]
        position = end
    return Header()


def split_header(text: str) -> tuple[dict[str, str | None], str]:
    """Return the header fields and the body; ``({}, text)`` when there is no header block."""
    header = parse_header(text)
    return header.fields, text[header.body_start :]
