"""Uploading reports through the page: one or many files, progress-friendly fragments, and clear
refusals (too big, wrong type, binary, empty) that leave everything stored before untouched."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hrdwatch.domain.queries import IncidentQuery
from hrdwatch.services import accounts, browse

from .conftest import APPEAL, SECOND_APPEAL, Web

HTML_APPEAL = f"""<!doctype html>
<html lang="en"><head><title>Guatemala: journalist Emre Dalwick beaten</title></head>
<body><nav><a href="/">Home</a></nav>
<article><h1>Guatemala: journalist Emre Dalwick beaten in Quetzaltenango</h1>
{"".join(f"<p>{line}</p>" for line in SECOND_APPEAL.splitlines()[2:] if line)}
<p>The journalist had reported on land disputes in the region for several years.</p>
</article></body></html>
""".encode()


def _incident_ids(web: Web) -> set[str]:
    found = browse.search(web.engine, accounts.cli_principal("test"), IncidentQuery(per_page=100))
    return {i.id for i in found.items}


def test_upload_form(web: Web) -> None:
    page = web.as_role("editor").get("/upload")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'name="files" multiple' in page.text
    assert "<progress" in page.text and 'id="upload-results"' in page.text


def test_upload_text_and_html_together(web: Web) -> None:
    web.as_role("editor", "ada-renwick")
    files = [
        ("files", ("brennock.txt", APPEAL.encode(), "text/plain")),
        ("files", ("dalwick.html", HTML_APPEAL, "text/html")),
    ]
    response = web.post("/upload", files=files)
    assert response.status_code == 200 and "<html" in response.text
    assert response.text.count('class="badge ingested"') == 2
    assert len(_incident_ids(web)) >= 5
    uploads = web.audit("source.upload")
    assert {e.subject for e in uploads} == {"brennock.txt", "dalwick.html"}
    assert {e.actor for e in uploads} == {"ada-renwick"}
    assert "/incidents/" in response.text


def test_htmx_upload_returns_the_results_fragment(web: Web) -> None:
    web.as_role("editor")
    files = [("files", ("brennock.txt", APPEAL.encode(), "text/plain"))]
    response = web.post("/upload", files=files, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'class="badge ingested"' in response.text
    again = web.post("/upload", files=files, headers={"HX-Request": "true"})
    assert 'class="badge duplicate"' in again.text and "already stored" in again.text


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "E111"),
        ("noise.txt", bytes(range(256)) * 2 + b"\x00" * 64, "E103"),
        ("empty.txt", b"", "E101"),
        ("huge.txt", b"On 1 May 2025 police arrested a lawyer. " * 40, "E102"),
    ],
)
def test_refused_files_are_reported_logged_and_lose_nothing(
    make_web: Callable[..., Web], name: str, data: bytes, code: str
) -> None:
    web = make_web(max_bytes=1024)
    stored = web.seed(SECOND_APPEAL, name="dalwick.txt").incident_ids
    web.as_role("editor")
    response = web.post("/upload", files=[("files", (name, data, "application/octet-stream"))])
    assert response.status_code == 200
    assert 'class="badge failed"' in response.text and code in response.text
    failed = web.audit("source.upload_failed")
    assert [e.subject for e in failed] == [name] and code in (failed[0].detail or "")
    assert _incident_ids(web) == set(stored)


def test_one_bad_file_does_not_stop_the_others(web: Web) -> None:
    web.as_role("editor")
    files = [
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("brennock.txt", APPEAL.encode(), "text/plain")),
    ]
    response = web.post("/upload", files=files)
    assert 'class="badge failed"' in response.text and 'class="badge ingested"' in response.text
    assert _incident_ids(web)


def test_upload_without_a_file_says_so(web: Web) -> None:
    web.as_role("editor")
    empty_choice = (  # what a browser sends when no file was chosen
        b'--XX\r\nContent-Disposition: form-data; name="files"; filename=""\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\r\n--XX--\r\n"
    )
    headers = {"Content-Type": "multipart/form-data; boundary=XX"}
    response = web.post("/upload", content=empty_choice, headers=headers)
    assert response.status_code == 200 and "No file was chosen." in response.text


def test_viewers_may_not_upload(web: Web) -> None:
    web.as_role("viewer")
    files = [("files", ("brennock.txt", APPEAL.encode(), "text/plain"))]
    assert web.client.get("/upload").status_code == 403
    assert web.post("/upload", files=files).status_code == 403
    assert not _incident_ids(web)


def test_an_oversized_upload_is_reported_with_its_real_size(make_web: Callable[..., Web]) -> None:
    web = make_web(max_bytes=1024)
    web.as_role("editor")
    data = b"On 1 May 2025 police arrested a lawyer. " * 100  # 4,000 bytes; only 1,025 are read
    response = web.post("/upload", files=[("files", ("long.txt", data, "text/plain"))])
    assert f"{len(data)} bytes is over the size limit of 1024 bytes" in response.text
    logged = web.audit("source.upload_failed")[0].after
    assert logged == {"outcome": "failed", "size": len(data), "incidents": 0}
