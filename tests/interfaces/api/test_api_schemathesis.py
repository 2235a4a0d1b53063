"""The API does what its OpenAPI document says (issue 7, item 13): schemathesis generates requests
from the document, valid and invalid ones, sends them in-process to the app on a real SQLite copy
of the seeded database as an admin's API token, and runs every check it has (no 5xx, status codes
and bodies as documented, invalid requests refused, valid ones accepted, ``Allow`` on 405...).

Bounded for CI: a few examples per operation, with a deadline; the whole run stays under two
minutes.
"""

from __future__ import annotations

import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.generation import GenerationMode

from .fixtures import API, ORIGIN, Api

EXAMPLES = 10
MAX_SECONDS = 80  # the engine stops here; with the fixture the test stays under two minutes
#: (operation, check) pairs that cannot hold for a reason the document cannot express, each said
KNOWN: dict[tuple[str, str], str] = {
    # which fields a fact takes depends on its table or kind (listed in docs/api.md): a field of
    # another table is schema-valid and refused with E512
    ("PATCH /api/v1/review/facts/{table}/{fact_id}", "positive_data_acceptance"): "fields per table",
    ("POST /api/v1/review/facts", "positive_data_acceptance"): "fields per kind",
    # a multipart part is bytes whatever schemathesis meant it to be: "an integer instead of a
    # file" arrives as a file holding digits, which is a valid (if useless) report
    ("POST /api/v1/sources", "negative_data_rejection"): "multipart parts are untyped bytes",
    # an upload answers 200 with one result per file; a file refused or already stored has no new
    # source_id, so a link from the result to GET /sources/{source_id} can point at nothing
    ("POST /api/v1/sources", "ensure_resource_availability"): "per-file results",
}


def _run(api: Api) -> list[str]:
    """Every failure and error schemathesis reports, one line each (empty: the API conforms)."""
    headers = {"Authorization": f"Bearer {api.tokens['admin']}", "Origin": ORIGIN}
    schema = schemathesis.openapi.from_asgi(f"{API}/openapi.json", api.app, headers=headers)
    config = schema.config
    config.update(headers=headers, continue_on_failure=True)
    config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        deterministic=True,
    )
    config.checks.update(included_check_names=["all"])
    config.phases.update(phases=["examples", "coverage", "fuzzing", "stateful"])
    config.max_time = MAX_SECONDS
    problems: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for check in event.recorder.checks.values():
                for result in check:
                    if result.failure_info is None:
                        continue
                    # a stateful failure names its operation ("Stateful tests" is the scenario)
                    operation = result.failure_info.failure.operation or event.recorder.label
                    if (operation, result.name) not in KNOWN:
                        problems.append(f"{operation}: {result.name}: {result.failure_info.failure}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            problems.append(f"error: {event}")
    return problems


def test_the_api_conforms_to_its_openapi_document(api: Api) -> None:
    problems = _run(api)
    assert problems == [], "\n".join(sorted(set(problems)))


def test_an_undeclared_method_is_405_with_every_allowed_method(api: Api) -> None:
    for method in ("TRACE", "OPTIONS", "DELETE"):
        response = api.client("admin").request(method, f"{API}/sources")
        assert response.status_code == 405 and response.headers["allow"] == "GET, POST"
        assert response.json()["error"]["code"] == "HTTP405"
    put_only = api.client("admin").request("TRACE", f"{API}/incidents/{api.marks.verified_id}/confidential")
    assert put_only.headers["allow"] == "PUT"


def test_the_document_lists_the_statuses_the_api_gives(api: Api) -> None:
    doc = api.client("admin").get(f"{API}/openapi.json").json()
    upload = doc["paths"]["/api/v1/sources"]["post"]
    assert {"400", "413", "422"} <= set(upload["responses"])
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert doc["components"]["schemas"][form]["additionalProperties"] is False
    assert "400" in doc["paths"]["/api/v1/tokens"]["post"]["responses"]
    verify = doc["paths"]["/api/v1/incidents/{incident_id}/verify"]["post"]["responses"]
    assert {"404", "409"} <= set(verify)
