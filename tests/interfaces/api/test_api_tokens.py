"""API tokens: a script authenticates with one; an unknown or revoked one gets 401 and the error body."""

from __future__ import annotations

from .fixtures import API, Api


def error_code(body: object) -> str:
    assert isinstance(body, dict) and set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "status"}
    return str(error["code"])


def test_token_authenticates_a_script(api: Api) -> None:
    response = api.client("viewer").get(f"{API}/tokens")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == ["viewer script"]
    assert "token_hash" not in response.text and api.tokens["viewer"] not in response.text


def test_created_token_is_shown_once_and_works(api: Api) -> None:
    me = api.client("editor", via="session")
    created = me.post(f"{API}/tokens", json={"name": "nightly export"})
    assert created.status_code == 201
    secret = created.json()["token"]
    listed = me.get(f"{API}/tokens").json()
    assert {row["name"] for row in listed} == {"editor script", "nightly export"}
    assert secret not in me.get(f"{API}/tokens").text
    script = api.client()
    mine = script.get(f"{API}/tokens", headers={"Authorization": f"Bearer {secret}"})
    assert mine.status_code == 200


def test_revoked_token_is_refused(api: Api) -> None:
    client = api.client("editor")
    token_id = client.get(f"{API}/tokens").json()[0]["id"]
    assert client.delete(f"{API}/tokens/{token_id}").status_code == 204
    refused = client.get(f"{API}/tokens")
    assert refused.status_code == 401
    assert error_code(refused.json()) == "E517"


def test_unknown_token_is_refused(api: Api) -> None:
    response = api.client().get(f"{API}/incidents", headers={"Authorization": "Bearer hw_not-a-real-token"})
    assert response.status_code == 401
    assert error_code(response.json()) == "E517"


def test_anonymous_gets_401_with_the_error_body(api: Api) -> None:
    response = api.client().get(f"{API}/tokens")
    assert response.status_code == 401
    assert error_code(response.json()) == "E504"
    assert response.json()["error"]["status"] == 401


def test_cannot_revoke_someone_elses_token(api: Api) -> None:
    viewer_token = api.client("viewer").get(f"{API}/tokens").json()[0]["id"]
    response = api.client("admin").delete(f"{API}/tokens/{viewer_token}")
    assert response.status_code == 404
    assert error_code(response.json()) == "E511"
    assert api.client("viewer").get(f"{API}/tokens").status_code == 200


def test_token_name_is_validated(api: Api) -> None:
    response = api.client("viewer").post(f"{API}/tokens", json={"name": "x" * 101})
    assert response.status_code == 422
    assert error_code(response.json()) == "E400"
