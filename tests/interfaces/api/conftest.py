"""API fixtures (defined in :mod:`fixtures`, shared with the cross-cutting tests one folder up)."""

from __future__ import annotations

from .fixtures import api_fixture, extractor_fixture, template_fixture

__all__ = ["api_fixture", "extractor_fixture", "template_fixture"]
