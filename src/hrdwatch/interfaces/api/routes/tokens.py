"""The caller's own API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import Response

from hrdwatch.interfaces.api.routes.common import ClientIp, Db, Me
from hrdwatch.interfaces.api.schemas import NOT_FOUND, TokenCreate, TokenCreated, TokenPublic
from hrdwatch.services import accounts

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.get("", response_model=list[TokenPublic])
def list_tokens(db: Db, user: Me) -> list[TokenPublic]:
    return [TokenPublic.model_validate(row) for row in accounts.list_tokens(db, user)]


@router.post("", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, db: Db, ip: ClientIp, user: Me) -> TokenCreated:
    new = accounts.create_token(db, user, name=body.name, ip=ip)
    return TokenCreated(id=new.id, name=new.name, token=new.secret)


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def revoke_token(token_id: str, db: Db, ip: ClientIp, user: Me) -> Response:
    accounts.revoke_token(db, user, token_id=token_id, ip=ip)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
