"""Requests that used to answer 500 (issue 7, items 4, 12 and 13): each now gets a clean answer,
and an uploaded report never touches the disk outside the database."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import uvicorn

from hrdwatch.config import Secret
from hrdwatch.domain.queries import IncidentQuery
from hrdwatch.domain.users import Principal, Role
from hrdwatch.services import accounts, browse

from .conftest import APPEAL, PASSWORD, Web

SENTENCE = "On 3 March 2025, police officers arrested a fictional land rights defender in Lusaka, Zambia. "


def _long_text(chars: int) -> bytes:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars].encode()


def _editor(web: Web) -> Principal:
    (me,) = [u for u in accounts.list_users(web.engine, accounts.cli_principal("test")) if u.role == "editor"]
    return Principal(id=me.id, username=me.username, role=Role.EDITOR)


def _incidents(web: Web) -> int:
    page = browse.search(web.engine, accounts.cli_principal("test"), IncidentQuery(per_page=100))
    return page.total


def test_empty_totp_secret_is_a_coded_refusal(web: Web) -> None:
    web.as_role("editor")
    for secret in ("", "not base32!", "AA"):
        response = web.post("/account/totp", data={"secret": secret, "code": "123456"})
        assert response.status_code == 401, secret
        assert "E505" in response.text
        assert 'name="secret" value="' in response.text  # a fresh key to enrol with is shown
    assert accounts.totp_status(web.engine, _editor(web)).totp_enrolled is False


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example:abc", "http://testserver:99999", "http://[::1", "https://testserver:-1", "::"],
)
def test_a_malformed_origin_is_refused_not_a_crash(web: Web, origin: str) -> None:
    web.as_role("editor")
    response = web.post("/account/tokens", data={"name": "x"}, headers={"Origin": origin})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "E510"
    assert accounts.list_tokens(web.engine, _editor(web)) == []


def test_an_upload_over_the_pipeline_length_is_answered_on_an_encrypted_database(
    make_web: Callable[..., Web],
) -> None:
    """Item 4: 1.5 MB of text on a SQLCipher database answered 500 (spaCy's max_length escaped)."""
    web = make_web(key=Secret("fictional-test-key-7"))
    web.as_role("editor")
    response = web.post("/upload", files=[("files", ("long.txt", _long_text(1_500_000), "text/plain"))])
    assert response.status_code == 200
    assert 'class="badge ingested"' in response.text or 'class="badge failed"' in response.text
    if 'class="badge failed"' in response.text:
        assert "[E" in response.text  # a coded reason, no traceback
    assert "Traceback" not in response.text
    again = web.post("/upload", files=[("files", ("b.txt", APPEAL.encode(), "text/plain"))])
    assert again.status_code == 200 and 'class="badge ingested"' in again.text


def test_the_same_upload_through_a_real_server_keeps_the_connection(make_web: Callable[..., Web]) -> None:
    """Item 4 as reported: uvicorn on a SQLCipher database; the answer comes, the connection lives."""
    web = make_web(key=Secret("fictional-test-key-8"))
    web.user("ilse-uploader", "editor")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(web.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, headers={"Origin": base}, timeout=600) as client:
            login = client.post("/login", data={"username": "ilse-uploader", "password": PASSWORD})
            assert login.status_code == 303
            files = [("files", ("long.txt", _long_text(1_500_000), "text/plain"))]
            response = client.post("/upload", files=files, headers={"HX-Request": "true"})
            assert response.status_code == 200 and "badge" in response.text
            assert client.get("/incidents").status_code == 200  # the same connection, still open
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_long_text_through_the_api_is_never_a_500(make_web: Callable[..., Web]) -> None:
    """Item 13: a 1.2M-character text uploaded through the web."""
    web = make_web()
    web.as_role("editor")
    response = web.post(
        "/api/v1/sources", files=[("files", ("long.md", _long_text(1_200_000), "text/markdown"))]
    )
    assert response.status_code == 200
    (result,) = response.json()
    assert result["outcome"] in ("ingested", "failed")
    if result["outcome"] == "failed":
        assert result["reason"].startswith("[E")


@pytest.fixture
def no_temp_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Temporary files can only go to a folder that does not exist: any spool to disk fails."""
    missing = tmp_path / "no-such-tmp"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    return missing


@pytest.mark.parametrize("url", ["/upload", "/api/v1/sources"])
def test_uploads_are_not_spooled_to_disk(make_web: Callable[..., Web], no_temp_dir: Path, url: str) -> None:
    """Item 12: a 3 MB upload (Starlette spools past 1 MB) is parsed without any temporary file."""
    web = make_web(max_bytes=4 * 1024 * 1024)
    web.as_role("editor")
    data = bytes(range(256)) * 12_000  # 3 MB, refused by the reader (binary) once it has all arrived
    with pytest.raises(FileNotFoundError):  # the check can fail: a spool would go here and fail
        tempfile.TemporaryFile()
    response = web.post(url, files=[("files", ("spooled.txt", data, "text/plain"))])
    assert response.status_code == 200, response.text[:500]
    assert "E103" in response.text
    assert not no_temp_dir.exists()


def test_an_oversized_upload_keeps_only_the_cap_in_memory(make_web: Callable[..., Web]) -> None:
    web = make_web(max_bytes=1024)
    web.as_role("editor")
    data = b"x" * (600 * 1024)  # under the body limit (20 files), over the per-file limit
    response = web.post("/api/v1/sources", files=[("files", ("big.txt", data, "text/plain"))])
    (result,) = response.json()
    assert result["outcome"] == "failed" and f"{len(data)} bytes" in result["reason"]
    assert _incidents(web) == 0
