"""How a request finds its route behind both doors (``/v1`` and Azure's ``/openai``): the
table's order, the 405, the slash redirects and the 404s, as a Starlette ``Mount`` of the table
answered them. The doors dispatch by hand for speed (``routes.Door``); these pin what a client
sees, whichever way the dispatch is written."""

from __future__ import annotations

import pytest

AZURE = {"api-version": "2024-05-01-preview"}


@pytest.fixture
def assistant_id(http) -> str:
    response = http.post("/v1/assistants", json={"model": "gpt-4o"})
    assert response.status_code == 200
    return response.json()["id"]


def test_the_route_whose_path_and_method_match_answers(http, assistant_id):
    assert http.get(f"/v1/assistants/{assistant_id}").json()["id"] == assistant_id
    deleted = http.delete(f"/v1/assistants/{assistant_id}").json()
    assert deleted == {"id": assistant_id, "object": "assistant.deleted", "deleted": True}
    # HEAD is served by the GET route
    assert http.head("/v1/assistants").status_code == 200


def test_routes_are_tried_in_the_tables_order(http, assistant_id):
    # POST /threads/runs is create-and-run, not an update of a thread called "runs"
    response = http.post("/v1/threads/runs", json={"assistant_id": assistant_id})
    assert response.status_code == 200 and response.json()["object"] == "thread.run"


@pytest.mark.parametrize("door,params", [("/v1", {}), ("/openai", AZURE)])
def test_a_trailing_slash_redirects_to_the_route_without_it(http, api_key, door, params):
    response = http.get(
        f"{door}/assistants/", params={**params, "limit": "2"}, headers={"api-key": api_key}
    )
    assert response.status_code == 307
    expected = http.build_request("GET", f"{door}/assistants", params={**params, "limit": "2"}).url
    assert response.headers["location"] == str(expected)


@pytest.mark.parametrize("door,params", [("/v1", {}), ("/openai", AZURE)])
def test_a_door_alone_redirects_to_its_slash(http, door, params):
    response = http.get(door, params=params, headers={"api-key": "k"})
    assert response.status_code == 307
    assert response.headers["location"] == str(
        http.build_request("GET", f"{door}/", params=params).url
    )


@pytest.mark.parametrize(
    "method,path,message",
    [
        ("GET", "/v1/", "Invalid URL (GET /v1/)"),
        ("GET", "/v1//assistants", "Invalid URL (GET /v1//assistants)"),
        ("POST", "/v1/nothing/here", "Invalid URL (POST /v1/nothing/here)"),
        ("GET", "/v1/assistants/asst_x/more", "Invalid URL (GET /v1/assistants/asst_x/more)"),
    ],
)
def test_a_path_no_route_serves_is_the_real_404(http, method, path, message):
    response = http.request(method, path)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == message


@pytest.mark.parametrize(
    "method,path",
    [
        ("DELETE", "/v1/assistants"),
        ("PATCH", "/v1/assistants/asst_x"),
        ("POST", "/v1/files/file-x"),
    ],
)
def test_a_path_served_for_other_methods_is_the_real_405(http, method, path):
    response = http.request(method, path)
    assert response.status_code == 405
    assert response.json()["error"]["message"] == f"Invalid method for URL ({method} {path})"


def test_azure_answers_its_own_404_and_the_same_405(http, api_key):
    headers = {"api-key": api_key}
    response = http.get("/openai/nothing", params=AZURE, headers=headers)
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "404", "message": "Resource not found"}}
    response = http.put("/openai/assistants", params=AZURE, headers=headers)
    assert response.status_code == 405
    assert response.json()["error"]["message"] == "Invalid method for URL (PUT /openai/assistants)"
