"""What every list and every failure looks like: :class:`Page` and :class:`ErrorPublic`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    """Base of every API schema: read from our frozen dataclasses by attribute, no unknown fields."""

    model_config = ConfigDict(from_attributes=True, extra="forbid")


T = TypeVar("T")


class Page(Schema, Generic[T]):
    """One page of a longer list: ``page`` counts from 1; ``pages`` is at least 1, even when empty."""

    items: list[T]
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=100)
    pages: int = Field(ge=1)

    @classmethod
    def of(cls, items: Sequence[T], *, total: int, page: int, per_page: int) -> Page[T]:
        return cls(
            items=list(items),
            total=total,
            page=page,
            per_page=per_page,
            pages=max(1, math.ceil(total / per_page)),
        )


class ErrorDetail(Schema):
    code: str = Field(examples=["E503"])
    message: str = Field(examples=["[E503] a viewer may not source.read"])
    status: int = Field(examples=[403])


class ErrorPublic(Schema):
    """The body of every failed API request."""

    error: ErrorDetail


#: the error answers every route may give, for the OpenAPI document
ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorPublic, "description": "The body could not be parsed (malformed JSON or form)"},
    401: {"model": ErrorPublic, "description": "Not logged in, or the API token is unknown or revoked"},
    403: {"model": ErrorPublic, "description": "The role may not do this"},
    422: {"model": ErrorPublic, "description": "Invalid request"},
}
NOT_FOUND: dict[int | str, dict[str, object]] = {404: {"model": ErrorPublic, "description": "No such record"}}
CONFLICT: dict[int | str, dict[str, object]] = {
    409: {"model": ErrorPublic, "description": "The record is not in a state that allows this"}
}
TOO_LARGE: dict[int | str, dict[str, object]] = {
    413: {"model": ErrorPublic, "description": "The request body is over the upload limit (E102)"}
}
