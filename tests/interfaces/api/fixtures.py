"""API fixtures: a seeded template database built once per session, copied for every test.

Building the template loads spaCy and runs the pipeline on the fictional reports of
:mod:`seed`; each test then gets its own copy of the SQLite file (a real database per test, in
a second instead of a pipeline run), its own app, and clients acting as each role.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.extract.pipeline import Extractor
from hrdwatch.ingest.registry import read_bytes
from hrdwatch.interfaces.app import create_app
from hrdwatch.interfaces.http.deps import SESSION_COOKIE
from hrdwatch.services import accounts
from hrdwatch.services.database import open_database
from hrdwatch.services.ingest import Outcome, ingest_one

from .seed import REPORT, SECOND_REPORT, Marks, mark

ROLES = ("viewer", "editor", "admin")
USERNAMES = {"viewer": "vito.viewer", "editor": "elda.editor", "admin": "imre.admin"}
PASSWORD = "plover-quartz-lantern-19"
ORIGIN = "http://testserver"
API = "/api/v1"


def settings_for(path: Path) -> Settings:
    """A test database's settings. Sessions made with the template live long enough for any run."""
    return Settings(db="sqlite:///" + str(path), session_idle_minutes=24 * 60, session_max_hours=48)


@dataclass(frozen=True, slots=True)
class Template:
    path: Path
    marks: Marks
    tokens: dict[str, str]  # role -> API token secret
    token_ids: dict[str, str]  # role -> that token's id
    sessions: dict[str, str]  # role -> session cookie value


@dataclass(frozen=True, slots=True)
class FixedExtractor:
    """Stands in for the app's lazy holder: the session's pipeline, loaded once."""

    extractor: Extractor

    def get(self) -> Extractor:
        return self.extractor


def ingest_text(engine: Engine, settings: Settings, extractor: Extractor, text: str, *, name: str) -> str:
    source = read_bytes(text.encode("utf-8"), name=name, settings=settings)
    result = ingest_one(source, engine=engine, extractor=extractor)
    assert result.outcome is Outcome.INGESTED and result.source_id is not None
    return result.source_id


def build_template(path: Path, extractor: Extractor) -> Template:
    settings = settings_for(path)
    engine = open_database(settings)
    admin = accounts.cli_principal("test")
    tokens, token_ids, sessions = {}, {}, {}
    for role in ROLES:
        accounts.create_user(engine, admin, username=USERNAMES[role], password=PASSWORD, role=role)
        sessions[role] = accounts.login(
            engine, settings, username=USERNAMES[role], password=PASSWORD
        ).session_secret
        principal = accounts.session_user(engine, settings, sessions[role])
        token = accounts.create_token(engine, principal, name=f"{role} script")
        tokens[role], token_ids[role] = token.secret, token.id
    source_id = ingest_text(engine, settings, extractor, REPORT, name="orenka-appeal.txt")
    ingest_text(engine, settings, extractor, SECOND_REPORT, name="marrick-appeal.md")
    marks = mark(engine, source_id)
    engine.dispose()
    assert not path.with_name(path.name + "-wal").exists()
    return Template(path, marks, tokens, token_ids, sessions)


@dataclass
class Api:
    """One test's app on its own copy of the template, and clients for each identity."""

    app: FastAPI
    settings: Settings
    marks: Marks
    tokens: dict[str, str]
    token_ids: dict[str, str]
    sessions: dict[str, str]

    @property
    def engine(self) -> Engine:
        engine: Engine = self.app.state.engine
        return engine

    def client(self, role: str | None = None, *, via: str = "token", raise_errors: bool = True) -> TestClient:
        """Anonymous (``role`` None), or ``role`` by API token or by session cookie."""
        headers = {"Origin": ORIGIN}
        cookies = {}
        if role is not None and via == "token":
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        elif role is not None:
            cookies[SESSION_COOKIE] = self.sessions[role]
        return TestClient(
            self.app,
            headers=headers,
            cookies=cookies,
            follow_redirects=False,
            raise_server_exceptions=raise_errors,
        )


@pytest.fixture(scope="session", name="extractor")
def extractor_fixture() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session", name="template")
def template_fixture(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Template:
    return build_template(tmp_path_factory.mktemp("template") / "t.db", extractor)


@pytest.fixture(name="api")
def api_fixture(tmp_path: Path, template: Template, extractor: Extractor) -> Iterator[Api]:
    path = tmp_path / "t.db"
    shutil.copyfile(template.path, path)
    settings = settings_for(path)
    app = create_app(settings)
    app.state.extractor = FixedExtractor(extractor)
    yield Api(app, settings, template.marks, template.tokens, template.token_ids, template.sessions)
    app.state.engine.dispose()
