"""Review use cases: the queue, a report's review page, and every change a reviewer makes.

- :mod:`.page`: the queue and a report's review page (facts in groups, with labels and spans);
- :mod:`.decisions`: accept, reject, edit, undo, verify, confidential marks;
- :mod:`.additions`: facts a reviewer adds from a selection, and the rows each kind creates;
- :mod:`.values`: what a reviewer sends, checked and cleaned.
"""

from __future__ import annotations

from hrdwatch.domain.facts import EDITABLE, STATUS
from hrdwatch.services.review.additions import add_fact
from hrdwatch.services.review.decisions import decide, edit, set_confidential, undo, verify
from hrdwatch.services.review.page import list_sources, review_page, review_queue
from hrdwatch.services.review.values import ADDABLE
from hrdwatch.services.review.views import (
    GROUPS,
    ConfidentialMark,
    Decision,
    FactGroup,
    FactItem,
    QueueItem,
    ReviewIncident,
    ReviewPage,
    ReviewSource,
    Verification,
)

__all__ = [
    "ADDABLE",
    "EDITABLE",
    "GROUPS",
    "STATUS",
    "ConfidentialMark",
    "Decision",
    "FactGroup",
    "FactItem",
    "QueueItem",
    "ReviewIncident",
    "ReviewPage",
    "ReviewSource",
    "Verification",
    "add_fact",
    "decide",
    "edit",
    "list_sources",
    "review_page",
    "review_queue",
    "set_confidential",
    "undo",
    "verify",
]
