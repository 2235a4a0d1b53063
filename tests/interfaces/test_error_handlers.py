"""The exception handlers need nothing of the web: the API gets the coded JSON body, any other path
the page the app factory hands in (here a stand-in), with the same status and headers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.testclient import TestClient

from hrdwatch.domain.queries import IncidentQuery
from hrdwatch.errors import AccessError, Errors
from hrdwatch.interfaces.http.errors import INTERNAL_ERROR, RETRY_AFTER_SECONDS
from hrdwatch.interfaces.http.handlers import ErrorResponses, install_error_handlers

PAGES: list[tuple[int, str, str]] = []


def page(request: Request, status: int, code: str, message: str, headers: dict[str, str]) -> Response:
    PAGES.append((status, code, message))
    return PlainTextResponse(f"page {code}", status_code=status, headers=headers)


def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app, ErrorResponses("/api/v1", page))
    for prefix in ("/api/v1", ""):

        @app.get(f"{prefix}/locked")
        def locked() -> None:
            raise AccessError(Errors.E502, username="ana", minutes=15)

        @app.get(f"{prefix}/search")
        def search(sort: str) -> None:
            IncidentQuery(sort=sort)

        @app.get(f"{prefix}/crash")
        def crash() -> None:
            raise RuntimeError("a stack trace nobody should see")

    return TestClient(app, raise_server_exceptions=False)


def test_the_api_gets_the_coded_body_and_a_throttled_caller_when_to_retry() -> None:
    PAGES.clear()
    answer = client().get("/api/v1/locked")
    assert answer.status_code == 429 and answer.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert answer.json()["error"]["code"] == "E502" and PAGES == []


def test_other_paths_get_the_page_with_the_same_status_and_headers() -> None:
    PAGES.clear()
    answer = client().get("/locked")
    assert (answer.status_code, answer.text) == (429, "page E502")
    assert answer.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert [(status, code) for status, code, _ in PAGES] == [(429, "E502")]


def test_a_crash_says_only_that_it_was_logged() -> None:
    PAGES.clear()
    test = client()
    assert test.get("/api/v1/crash").json()["error"] == {
        "code": "E500",
        "message": INTERNAL_ERROR,
        "status": 500,
    }
    assert test.get("/crash").status_code == 500 and PAGES == [(500, "E500", INTERNAL_ERROR)]


def test_a_wrong_method_lists_every_method_the_path_takes() -> None:
    answer = client().post("/api/v1/locked")
    assert answer.status_code == 405 and answer.headers["allow"] == "GET"


def test_a_filter_the_domain_refuses_is_e513_on_both_sides() -> None:
    PAGES.clear()
    test = client()
    body = test.get("/api/v1/search", params={"sort": "colour"}).json()["error"]
    assert (body["code"], body["status"]) == ("E513", 422) and "sort" in body["message"]
    assert test.get("/search", params={"sort": "colour"}).status_code == 422
    assert [(status, code) for status, code, _ in PAGES] == [(422, "E513")]
