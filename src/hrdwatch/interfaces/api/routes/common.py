"""What the route modules share: the database, the caller's address, and the page query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy.engine import Engine

from hrdwatch.domain.users import Principal
from hrdwatch.interfaces.http.deps import client_ip, engine_of, requires
from hrdwatch.security.permissions import Action

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25  # as docs/api.md says, and as the pages show

Db = Annotated[Engine, Depends(engine_of)]
ClientIp = Annotated[str | None, Depends(client_ip)]


@dataclass(frozen=True, slots=True)
class PageQuery:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_query(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Items per page")] = DEFAULT_PER_PAGE,
) -> PageQuery:
    return PageQuery(page, per_page)


Paging = Annotated[PageQuery, Depends(page_query)]

# Who may call a route: each alias declares its action through ``requires`` and yields the caller.
Me = Annotated[Principal | None, requires(Action.SELF)]
RecordReader = Annotated[Principal | None, requires(Action.RECORD_READ)]
SourceReader = Annotated[Principal | None, requires(Action.SOURCE_READ)]
Uploader = Annotated[Principal | None, requires(Action.SOURCE_UPLOAD)]
Reviewer = Annotated[Principal | None, requires(Action.REVIEW)]
ConfidentialSetter = Annotated[Principal | None, requires(Action.CONFIDENTIAL_SET)]
Auditor = Annotated[Principal | None, requires(Action.AUDIT_READ)]
