"""Imported once by the forkserver that parsers run under (see :mod:`hrdwatch.ingest.limits`):
loads the parsers and the language profiles, so every forked child starts warm."""

from __future__ import annotations

import logging

from hrdwatch.ingest import html, pdf, text
from hrdwatch.ingest.language import warm_up

__all__ = ["html", "pdf", "text"]

warm_up()

# A damaged PDF makes pypdf log warnings ("EOF marker not found") on the user's terminal; what
# matters comes back as a coded error instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)
