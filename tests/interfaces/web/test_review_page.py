"""The review queue and page over a real SQLite file: report text escaped and marked at the right
offsets, and decide / edit / add / undo / verify as plain forms, as the script sends them
(``HX-Request``: a fragment) and as JSON; who may do what; clear errors for bad input."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest
from fastapi.testclient import TestClient

from hrdwatch.interfaces.web.pages.review import Segment, segments
from hrdwatch.services import accounts, review
from hrdwatch.services.ingest import IngestResult

from .conftest import APPEAL, XSS, Web

ADMIN = accounts.cli_principal("test")
FRAGMENT = {"HX-Request": "true"}
JSON = {"Accept": "application/json"}
HOSTILE = APPEAL.replace("at her office in Lusaka", f"at her office {XSS} in Lusaka")


class SourcePane(HTMLParser):
    """The segments of ``#source-text``: (data-start, text, the data-fact keys of the marks around it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 inside #source-text
        self.start: int | None = None
        self.marks: list[str] = []
        self.found: list[tuple[int, str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if attr.get("id") == "source-text":
            self.depth = 1
        elif self.depth:
            self.depth += 1
            if tag == "span":
                assert attr.get("class") == "seg" and attr.get("data-start") is not None
                self.start = int(attr["data-start"] or 0)
            elif tag == "mark":
                assert attr.get("class") == "hl"
                self.marks.append(attr["data-fact"] or "")
            else:
                raise AssertionError(f"unexpected <{tag}> in the source text")

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        self.depth -= 1
        if tag == "mark":
            self.marks.pop()

    def handle_data(self, data: str) -> None:
        if self.depth > 1:
            assert self.start is not None
            self.found.append((self.start, data, tuple(self.marks)))


def source_segments(html: str) -> list[tuple[int, str, tuple[str, ...]]]:
    parser = SourcePane()
    parser.feed(html)
    return parser.found


@pytest.fixture
def seeded(web: Web) -> IngestResult:
    return web.seed()


@pytest.fixture
def editor(web: Web) -> TestClient:
    return web.as_role("editor", "wren.editor")


def _page(web: Web, source_id: str) -> review.ReviewPage:
    return review.review_page(web.engine, ADMIN, source_id)


def _facts(web: Web, source_id: str, group: str | None = None) -> list[review.FactItem]:
    page = _page(web, source_id)
    return [
        item
        for incident in page.incidents
        for g in incident.groups
        if group in (None, g.name)
        for item in g.items
    ]


def _fact(web: Web, source_id: str, table: str, fact_id: str, group: str | None = None) -> review.FactItem:
    return next(f for f in _facts(web, source_id, group) if (f.table, f.id) == (table, fact_id))


def _decide(web: Web, source_id: str, fact: review.FactItem, decision: str, **kw: object) -> httpx.Response:
    data = {"source_id": source_id, "table": fact.table, "fact_id": fact.id, "decision": decision}
    return web.post("/review/decide", data=data, **kw)  # type: ignore[arg-type]


# -- segments -------------------------------------------------------------------------------------


def test_segments_split_overlapping_spans_and_nest_contained_ones() -> None:
    text = "abcdefghij"
    spans = [(1, 5, "t", "a"), (3, 7, "t", "b"), (3, 5, "t", "c"), (8, 30, "t", "d"), (4, 4, "t", "e")]
    found = segments(text, spans)
    assert "".join(s.text for s in found) == text
    assert found == [
        Segment(0, "a", ()),
        Segment(1, "bc", ("t:a",)),
        Segment(3, "de", ("t:a", "t:b", "t:c")),
        Segment(5, "fg", ("t:b",)),
        Segment(7, "h", ()),
        Segment(8, "ij", ("t:d",)),
    ]
    assert segments("", []) == []


# -- the queue and the page -----------------------------------------------------------------------


def test_queue_lists_reports_with_undecided_counts(
    web: Web, seeded: IngestResult, editor: TestClient
) -> None:
    page = editor.get("/review")
    assert page.status_code == 200
    assert f'href="/review/{seeded.source_id}"' in page.text
    (item,) = review.review_queue(web.engine, ADMIN)
    undecided = item.undecided
    assert undecided > 0 and f'<span class="badge extracted">{undecided}</span>' in page.text


def test_page_escapes_script_in_report_text(web: Web, editor: TestClient) -> None:
    source_id = web.seed(HOSTILE, name="hostile.txt").source_id or ""
    html = editor.get(f"/review/{source_id}").text
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = _page(web, source_id).source.text
    assert "".join(data for _, data, _ in source_segments(html)) == text


def test_spans_are_marked_at_their_offsets(web: Web, seeded: IngestResult, editor: TestClient) -> None:
    source_id = seeded.source_id or ""
    page = _page(web, source_id)
    html = editor.get(f"/review/{source_id}").text
    found = source_segments(html)
    text = page.source.text
    covered: dict[str, set[int]] = {}
    for start, data, keys in found:
        assert text[start : start + len(data)] == data
        for key in keys:
            covered.setdefault(key, set()).update(range(start, start + len(data)))
    expected: dict[str, set[int]] = {}
    for start, end, table, ident in page.all_spans:
        expected.setdefault(f"{table}:{ident}", set()).update(range(start, end))
    assert covered == expected and expected
    person = next(f for f in _facts(web, source_id, "victims") if f.label.startswith("Talia Brennock"))
    start, end = person.spans[0]
    assert text[start:end] == "Talia Brennock"
    assert f'<mark class="hl" data-fact="people:{person.id}">Talia Brennock</mark>' in html


def test_page_groups_facts_by_incident_with_actions(
    web: Web, seeded: IngestResult, editor: TestClient
) -> None:
    source_id = seeded.source_id or ""
    html = editor.get(f"/review/{source_id}").text
    for incident_id in seeded.incident_ids:
        assert f'id="incident-{incident_id}"' in html
        assert f'action="/review/verify/{incident_id}"' in html
    for name in ("Victims", "Perpetrators", "Acts", "Dates", "Places", "Charges", "Sanctions", "Demands"):
        assert f"<h3>{name}</h3>" in html
    assert html.count('value="accept"') == len(_facts(web, source_id))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique (a fact can appear in several incidents)"
    assert '<script src="/static/review.js" defer></script>' in html
    assert " style=" not in html and " onclick=" not in html


def test_unknown_report_is_404(editor: TestClient) -> None:
    assert editor.get("/review/" + "0" * 32).status_code == 404


# -- changes --------------------------------------------------------------------------------------


def test_decide_by_form_redirects_back_with_undo(web: Web, seeded: IngestResult, editor: TestClient) -> None:
    source_id = seeded.source_id or ""
    fact = _facts(web, source_id, "victims")[0]
    response = _decide(web, source_id, fact, "accept")
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"/review/{source_id}?last=")
    assert _fact(web, source_id, fact.table, fact.id).review_status == "accepted"
    page = editor.get(location.split("#")[0]).text
    event_id = location.split("last=")[1].split("#")[0]
    assert f'name="event_id" value="{event_id}"' in page


def test_decide_by_script_gets_the_fragment_and_event(
    web: Web, seeded: IngestResult, editor: TestClient
) -> None:
    source_id = seeded.source_id or ""
    fact = _facts(web, source_id, "acts")[0]
    response = _decide(web, source_id, fact, "reject", headers=FRAGMENT)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="review-body"')
    assert "<html" not in response.text
    assert int(response.headers["x-event-id"]) > 0
    assert response.headers["x-fact"] == f"{fact.table}:{fact.id}"
    assert f'data-fact="{fact.table}:{fact.id}"\n    data-status="rejected"' in response.text


def test_decide_as_json(web: Web, seeded: IngestResult, editor: TestClient) -> None:
    source_id = seeded.source_id or ""
    fact = _facts(web, source_id, "acts")[0]
    body = {"table": fact.table, "fact_id": fact.id, "decision": "accept"}
    response = web.post("/review/decide", json=body, headers=JSON)
    assert response.status_code == 200
    answer = response.json()
    assert answer["review_status"] == "accepted" and answer["fact_id"] == fact.id
    assert set(answer["incident_ids"]) <= set(seeded.incident_ids)


def test_edit_then_undo_round_trip(web: Web, seeded: IngestResult, editor: TestClient) -> None:
    source_id = seeded.source_id or ""
    place = _facts(web, source_id, "places")[0]
    data = {"source_id": source_id, "table": "incidents", "fact_id": place.id, "field.city": "Kitwe"}
    response = web.post("/review/edit", data=data, headers=FRAGMENT)
    assert response.status_code == 200
    event_id = response.headers["x-event-id"]
    edited = _fact(web, source_id, "incidents", place.id, "places")
    assert edited.values["city"] == "Kitwe" and edited.review_status == "corrected"
    assert "<dd>Kitwe</dd>" in response.text
    undone = web.post("/review/undo", data={"source_id": source_id, "event_id": event_id})
    assert undone.status_code == 303 and "last=" not in undone.headers["location"]
    restored = _fact(web, source_id, "incidents", place.id, "places")
    assert restored.values["city"] == place.values["city"] and restored.review_status == "extracted"


def test_add_a_fact_from_a_span(web: Web, seeded: IngestResult, editor: TestClient) -> None:
    source_id = seeded.source_id or ""
    text = _page(web, source_id).source.text
    start = text.index("Orin Vasquell")
    incident_id = seeded.incident_ids[0]
    data = {
        "source_id": source_id,
        "incident_id": incident_id,
        "kind": "person",
        "start": str(start),
        "end": str(start + len("Orin Vasquell")),
        "field.name": "",
        "field.description": "colleague",
    }
    response = web.post("/review/add", data=data, headers=FRAGMENT)
    assert response.status_code == 200, response.text
    table, fact_id = response.headers["x-fact"].split(":")
    added = _fact(web, source_id, table, fact_id)
    assert added.review_status == "added" and added.values["name"] == "Orin Vasquell"
    assert (start, start + len("Orin Vasquell")) in added.spans
    marked = [(at, data) for at, data, keys in source_segments(response.text) if f"{table}:{fact_id}" in keys]
    assert marked[0][0] == start and "".join(data for _, data in marked) == "Orin Vasquell"
    undone = web.post("/review/undo", data={"event_id": response.headers["x-event-id"]}, headers=JSON)
    assert undone.status_code == 200 and undone.json()["review_status"] == "rejected"


def test_verify_only_when_nothing_is_pending(web: Web, seeded: IngestResult, editor: TestClient) -> None:
    source_id = seeded.source_id or ""
    incident = _page(web, source_id).incidents[0]
    early = web.post(f"/review/verify/{incident.id}", data={"source_id": source_id}, headers=FRAGMENT)
    assert early.status_code == 409 and early.json()["error"]["code"] == "E514"
    for group in incident.groups:
        for fact in group.items:
            if fact.review_status == "extracted":
                review.decide(web.engine, ADMIN, table=fact.table, fact_id=fact.id, decision="accept")
    html = editor.get(f"/review/{source_id}").text
    block = html.split(f'id="incident-{incident.id}"')[1].split("</form>")[0]
    assert "disabled" not in block
    response = web.post(f"/review/verify/{incident.id}", data={"source_id": source_id})
    assert response.status_code == 303
    assert response.headers["location"] == f"/review/{source_id}#incident-{incident.id}"
    assert _page(web, source_id).incidents[0].status == "verified"


# -- refusals and errors --------------------------------------------------------------------------


def test_viewer_is_refused(web: Web, seeded: IngestResult) -> None:
    client = web.as_role("viewer", "ash.viewer")
    source_id = seeded.source_id or ""
    assert client.get("/review").status_code == 403
    assert client.get(f"/review/{source_id}").status_code == 403
    fact = _facts(web, source_id)[0]
    assert _decide(web, source_id, fact, "accept").status_code == 403
    assert _decide(web, source_id, fact, "accept", headers=JSON).status_code == 403
    assert _fact(web, source_id, fact.table, fact.id).review_status == "extracted"


def test_nobody_logged_in_goes_to_login(web: Web, seeded: IngestResult) -> None:
    response = web.client.get(f"/review/{seeded.source_id}")
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_cross_site_post_is_refused(web: Web, seeded: IngestResult, editor: TestClient) -> None:
    source_id = seeded.source_id or ""
    fact = _facts(web, source_id)[0]
    response = _decide(web, source_id, fact, "reject", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "E510"
    assert _fact(web, source_id, fact.table, fact.id).review_status == "extracted"


@pytest.mark.parametrize(
    ("field", "value", "code", "words"),
    [
        ("field.colour", "red", "E512", "no editable field 'colour'"),
        ("field.date", "last Tuesday", "E513", "YYYY-MM-DD"),
        ("field.country", "Zambia", "E513", "two-letter"),
    ],
)
def test_bad_edit_is_a_clear_422(
    web: Web, seeded: IngestResult, editor: TestClient, field: str, value: str, code: str, words: str
) -> None:
    source_id = seeded.source_id or ""
    place = _facts(web, source_id, "places")[0]
    data = {"source_id": source_id, "table": "incidents", "fact_id": place.id, field: value}
    scripted = web.post("/review/edit", data=data, headers=FRAGMENT)
    assert scripted.status_code == 422
    error = scripted.json()["error"]
    assert error["code"] == code and words in error["message"]
    plain = web.post("/review/edit", data=data)
    assert plain.status_code == 422 and words in plain.text.replace("&#39;", "'")
    assert _fact(web, source_id, "incidents", place.id, "places") == place


def test_bad_requests_name_what_is_wrong(web: Web, seeded: IngestResult, editor: TestClient) -> None:
    source_id = seeded.source_id or ""
    missing = web.post("/review/decide", data={"source_id": source_id}, headers=JSON)
    assert missing.status_code == 422 and "table: missing" in missing.json()["error"]["message"]
    fact = _facts(web, source_id)[0]
    maybe = _decide(web, source_id, fact, "maybe", headers=JSON)
    assert maybe.status_code == 422 and "accept or reject" in maybe.json()["error"]["message"]
    data = {"source_id": source_id, "incident_id": seeded.incident_ids[0], "kind": "person"}
    outside = web.post("/review/add", data={**data, "start": "5", "end": "999999"}, headers=JSON)
    assert outside.status_code == 422 and outside.json()["error"]["code"] == "E516"
    words = web.post("/review/add", data={**data, "start": "five", "end": "9"}, headers=JSON)
    assert words.status_code == 422 and "not a whole number" in words.json()["error"]["message"]
    gone = web.post("/review/undo", data={"event_id": "999999"}, headers=JSON)
    assert gone.status_code == 404
