"""Web fixtures: the whole app on a temporary SQLite file per test, a logged-in client per role,
and a fictional urgent appeal stored through the real pipeline.

Every person and organisation named below is invented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditEntry
from hrdwatch.extract.pipeline import Extractor
from hrdwatch.ingest.registry import read_bytes
from hrdwatch.interfaces.app import create_app
from hrdwatch.services import accounts, audit, browse, review
from hrdwatch.services.ingest import IngestResult, ingest_one

ORIGIN = "http://testserver"
PASSWORD = "correct horse battery staple"
XSS = "<script>alert(1)</script>"

APPEAL = """\
id: web-001
title: Zambia: land rights defender Talia Brennock detained and charged
published: 2025-03-12
language: en

Zambia: land rights defender Talia Brennock detained and charged

This urgent appeal is fictional: every person and organisation in it is invented for the hrdwatch tests.

On 3 March 2025, police officers arrested Talia Brennock, a land rights defender with the Copperleaf \
Justice Forum, at her office in Lusaka, Zambia. The officers searched the office and seized two \
laptops and a box of case files. Talia Brennock was held at a police station for four days without \
access to a lawyer.

On 7 March 2025, a magistrate charged Talia Brennock with "unlawful assembly" under Section 75 of the \
Penal Code. She was released on bail of 5,000 kwacha.

On 9 March 2025, unidentified men threatened her colleague Orin Vasquell outside the office of the \
Copperleaf Justice Forum in Lusaka. The Forum has documented forced evictions in Lusaka Province since \
2021. It believes the charges are meant to silence Talia Brennock.

The Forum urges the authorities to drop all charges against Talia Brennock. It calls on them to \
return the seized equipment and to investigate the threats against Orin Vasquell.
"""

SECOND_APPEAL = """\
Guatemala: journalist Emre Dalwick beaten in Quetzaltenango

This appeal is fictional: every person in it is invented for the hrdwatch tests.

On 11 June 2025, soldiers beat the journalist Emre Dalwick outside a court in Quetzaltenango, Guatemala.
"""


class LoadedExtractor:
    """Stands in for the app's lazy holder: the pipeline loaded once for the whole session."""

    def __init__(self, extractor: Extractor) -> None:
        self._extractor = extractor

    def get(self) -> Extractor:
        return self._extractor


@dataclass
class Web:
    """One app, its database and a browser-like client (cookies kept, same-origin by default)."""

    app: FastAPI
    client: TestClient
    settings: Settings
    extractor: Extractor

    @property
    def engine(self) -> Engine:
        engine: Engine = self.app.state.engine
        return engine

    def post(self, url: str, *, client: TestClient | None = None, **kwargs: Any) -> httpx.Response:
        """A same-origin form POST, as a browser sends it (``headers`` may override ``Origin``)."""
        headers = {"Origin": ORIGIN, **kwargs.pop("headers", {})}
        return (client or self.client).post(url, headers=headers, **kwargs)

    def user(self, username: str, role: str, *, password: str = PASSWORD) -> accounts.UserPublic:
        return accounts.create_user(
            self.engine, accounts.cli_principal("test"), username=username, password=password, role=role
        )

    def login(
        self, username: str, password: str = PASSWORD, *, client: TestClient | None = None
    ) -> httpx.Response:
        return self.post("/login", client=client, data={"username": username, "password": password})

    def as_role(self, role: str, username: str | None = None) -> TestClient:
        """A user of ``role`` created and logged in on the main client."""
        name = username or f"{role}-quill"
        self.user(name, role)
        assert self.login(name).status_code == 303
        return self.client

    def other_client(self) -> TestClient:
        return TestClient(self.app, base_url=str(self.client.base_url), follow_redirects=False)

    def seed(self, text_: str = APPEAL, *, name: str = "brennock.txt") -> IngestResult:
        source = read_bytes(text_.encode(), name=name, settings=self.settings)
        return ingest_one(source, engine=self.engine, extractor=self.extractor)

    def verify(self, incident_id: str) -> None:
        """Accept every fact of the incident and mark it verified, as a reviewer would."""
        admin = accounts.cli_principal("test")
        source_id = browse.incident(self.engine, admin, incident_id).source.id
        page = review.review_page(self.engine, admin, source_id)
        (target,) = [i for i in page.incidents if i.id == incident_id]
        undecided = {
            (f.table, f.id) for g in target.groups for f in g.items if f.review_status == "extracted"
        }
        for table, fact_id in sorted(undecided):
            review.decide(self.engine, admin, table=table, fact_id=fact_id, decision="accept")
        review.verify(self.engine, admin, incident_id=incident_id)

    def audit(self, action: str) -> list[AuditEntry]:
        return audit.read_log(self.engine, accounts.cli_principal("test"), action=action)

    def sql(self, statement: str, **params: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(statement), params)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture
def make_web(tmp_path: Path, extractor: Extractor) -> Iterator[Callable[..., Web]]:
    """Build an app with settings overridden (``max_bytes=...``), on a client for ``base_url``."""
    clients: list[TestClient] = []

    def build(*, base_url: str = ORIGIN, **overrides: Any) -> Web:
        settings = Settings(db="sqlite:///" + str(tmp_path / f"t{len(clients)}.db"), **overrides)
        app = create_app(settings)
        app.state.extractor = LoadedExtractor(extractor)
        client = TestClient(app, base_url=base_url, follow_redirects=False)
        clients.append(client)
        return Web(app, client, settings, extractor)

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def web(make_web: Callable[..., Web]) -> Web:
    return make_web()
