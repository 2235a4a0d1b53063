"""Uploads parsed in memory: an uploaded report never reaches a temporary file on disk.

Starlette spools each uploaded file to a ``SpooledTemporaryFile`` that moves to disk past 1 MB,
which would leave the plaintext of a report from an encrypted database on the disk. A route
declared with ``route_class=MemoryUploadRoute`` parses its multipart body with
:class:`MemoryMultiPartParser` instead: each file is kept in memory, and only its first
``max_bytes + 1`` bytes (enough to refuse an oversized file with its real size, which
``UploadFile.size`` still counts). The whole body is capped before that by the security
middleware.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Coroutine
from contextlib import aclosing
from typing import Any

from fastapi import Request, Response, UploadFile
from fastapi.routing import APIRoute
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser

DEFAULT_CAP = 20 * 1024 * 1024 + 1


class CappedBuffer(io.BytesIO):
    """An in-memory file that keeps the first ``cap`` bytes written to it and drops the rest."""

    _rolled = False  # read by UploadFile: writes stay synchronous and in memory

    def __init__(self, cap: int) -> None:
        super().__init__()
        self._cap = cap

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        room = self._cap - self.tell()
        if room > 0:
            super().write(chunk[:room])
        return len(chunk)


class MemoryMultiPartParser(MultiPartParser):
    def __init__(self, *args: Any, cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cap = cap

    def on_headers_finished(self) -> None:
        super().on_headers_finished()
        upload = self._current_part.file
        if upload is not None:
            upload.file = CappedBuffer(self._cap)


class MemoryFormRequest(Request):
    """A request whose multipart form is parsed by :class:`MemoryMultiPartParser`."""

    async def _get_form(
        self,
        *,
        max_files: int | float = 1000,
        max_fields: int | float = 1000,
        max_part_size: int = 1024 * 1024,
    ) -> FormData:
        if self._form is not None or not self.headers.get("content-type", "").startswith(
            "multipart/form-data"
        ):
            return await super()._get_form(
                max_files=max_files, max_fields=max_fields, max_part_size=max_part_size
            )
        try:
            async with aclosing(self.stream()) as stream:
                parser = MemoryMultiPartParser(
                    self.headers,
                    stream,
                    max_files=max_files,
                    max_fields=max_fields,
                    max_part_size=max_part_size,
                    cap=_cap(self),
                )
                self._form = await parser.parse()
        except MultiPartException as exc:
            raise HTTPException(status_code=400, detail=exc.message) from exc
        return self._form


def read_capped(upload: UploadFile, limit: int) -> bytes:
    """At most one byte over ``limit``: enough for the size check to refuse it, never the whole file."""
    data: bytes = upload.file.read(limit + 1)
    return data


def _cap(request: Request) -> int:
    settings = getattr(request.app.state, "settings", None)
    return int(settings.max_bytes) + 1 if settings is not None else DEFAULT_CAP


class MemoryUploadRoute(APIRoute):
    """A route whose uploaded files stay in memory (see the module docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def in_memory(request: Request) -> Response:
            return await handler(MemoryFormRequest(request.scope, request.receive))

        return in_memory
