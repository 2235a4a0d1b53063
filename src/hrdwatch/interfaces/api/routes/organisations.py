"""Organisations: one organisation, its members, and the incidents it or they suffered."""

from __future__ import annotations

from fastapi import APIRouter

from hrdwatch.interfaces.api.routes.common import Db, RecordReader
from hrdwatch.interfaces.api.schemas import NOT_FOUND, OrganisationPublic
from hrdwatch.services import browse

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("/{organisation_id}", response_model=OrganisationPublic, responses=NOT_FOUND)
def read_organisation(organisation_id: str, db: Db, user: RecordReader) -> OrganisationPublic:
    return OrganisationPublic.model_validate(browse.organisation(db, user, organisation_id))
