"""Where the web review page still takes the addable kinds and sanction types from; the checks
live in :mod:`hrdwatch.services.review.values`. Goes once that page imports them from there."""

from __future__ import annotations

from hrdwatch.services.review.values import ADDABLE, SANCTION_TYPES

__all__ = ["ADDABLE", "SANCTION_TYPES"]
