"""People: one person with the same name in other reports and the incidents in their life."""

from __future__ import annotations

from fastapi import APIRouter

from hrdwatch.interfaces.api.routes.common import ClientIp, ConfidentialSetter, Db, RecordReader
from hrdwatch.interfaces.api.schemas import (
    NOT_FOUND,
    ConfidentialMarkPublic,
    PersonConfidentialUpdate,
    PersonPublic,
)
from hrdwatch.services import browse, review

router = APIRouter(prefix="/persons", tags=["persons"])


@router.get("/{person_id}", response_model=PersonPublic, responses=NOT_FOUND)
def read_person(person_id: str, db: Db, user: RecordReader) -> PersonPublic:
    """A person and their timeline (a viewer: only verified incidents, never a confidential person)."""
    return PersonPublic.model_validate(browse.person(db, user, person_id))


@router.put("/{person_id}/confidential", response_model=ConfidentialMarkPublic, responses=NOT_FOUND)
def set_confidential(
    person_id: str,
    body: PersonConfidentialUpdate,
    db: Db,
    ip: ClientIp,
    user: ConfidentialSetter,
) -> ConfidentialMarkPublic:
    """Hide a person (their name and their page) from viewers, or show them again."""
    mark = review.set_confidential(
        db, user, table="people", ident=person_id, confidential=body.confidential, fields=None, ip=ip
    )
    return ConfidentialMarkPublic.model_validate(mark)
