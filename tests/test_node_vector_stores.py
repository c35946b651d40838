"""The Node SDK (tests/node, openai@6.16.0) against the live mock: vector store helpers."""

from __future__ import annotations

from tests.sdk_sessions import run_node


def test_node_vector_store_helpers(live_server, api_key, node_sdk):
    out = run_node(node_sdk, "vector_stores.mjs", live_server.base_url, api_key)
    assert out["store"]["id"].startswith("vs_") and out["store"]["name"] == "node"
    batch = out["batch"]
    assert batch["id"].startswith("vsfb_") and batch["object"] == "vector_store.files_batch"
    assert batch["status"] == "completed"
    assert batch["file_counts"] == {
        "in_progress": 0,
        "completed": 3,
        "failed": 0,
        "cancelled": 0,
        "total": 3,
    }
    assert out["batch_files"] == ["completed"] * 3
    assert out["wrong_call"] == (
        "No `files` provided to process. If you've already uploaded files you should use "
        "`.createAndPoll()` instead"
    )
    assert out["vs_file"] == {"id": out["vs_file"]["id"], "status": "completed", "is_file_id": True}
    assert out["search"][0]["filename"] == "rockets.md"
    assert 0 <= out["search"][0]["score"] <= 1
    assert out["batch_id_error"] == {
        "status": 400,
        "message": f"Invalid 'batch_id': '{out['store']['id']}'. "
        "Expected an ID that begins with 'vsfb_'.",
        "param": "batch_id",
    }
    assert out["final"]["file_counts"]["completed"] == 4 and out["final"]["status"] == "completed"


def test_the_wrong_upload_and_poll_call_sends_no_request(live_server, api_key, http, node_sdk):
    run_node(node_sdk, "vector_stores.mjs", live_server.base_url, api_key)
    journal = http.get("/__mock__/requests", params={"sandbox": api_key}).json()["data"]
    batch_creates = [
        e for e in journal if e["method"] == "POST" and e["path"].endswith("/file_batches")
    ]
    assert len(batch_creates) == 1  # only the correct call reached the server
