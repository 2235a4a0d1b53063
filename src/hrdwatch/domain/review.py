"""Review states: nothing extracted counts as fact until a person has decided on it."""

from __future__ import annotations

from enum import StrEnum


class ReviewStatus(StrEnum):
    EXTRACTED = "extracted"  # produced by the pipeline, not yet seen by a person
    ACCEPTED = "accepted"  # a person confirmed it as extracted
    CORRECTED = "corrected"  # a person changed it; the corrected value is current
    REJECTED = "rejected"  # a person said it is wrong; kept for the record, never published
    ADDED = "added"  # entered by a person, not by the pipeline

    @property
    def decided(self) -> bool:
        return self is not ReviewStatus.EXTRACTED

    @property
    def counts(self) -> bool:
        """Whether a fact in this state may appear in statistics and public exports."""
        return self in (ReviewStatus.ACCEPTED, ReviewStatus.CORRECTED, ReviewStatus.ADDED)


class IncidentStatus(StrEnum):
    EXTRACTED = "extracted"
    IN_REVIEW = "in_review"
    VERIFIED = "verified"
