"""Every stateful kind changes status through one function that consults its table
(issue 11, item 3): a move the table does not allow raises and changes nothing.

No client can ask for an illegal move (the API refuses first, or the engine never tries), so
these tests call the one function of each kind directly, on plain objects, and walk each table
whole.
"""

from __future__ import annotations

import copy
import itertools

import pytest

from mockserver.clock import VirtualClock
from mockserver.engine import machine
from mockserver.ids import IdFactory
from mockserver.resources import file_batches, uploads, vector_stores
from mockserver.responses_api import machine as response_machine
from mockserver.responses_api.context import ResponseContext
from mockserver.search import ingestion
from mockserver.store import Sandbox
from mockserver.transitions import IllegalTransition, StatusTable
from mockserver.types import BatchRecord, UploadRecord

TABLES = {
    "run": machine.RUN_STATUSES,
    "run step": machine.STEP_STATUSES,
    "run message": machine.MESSAGE_STATUSES,
    "vector store file": ingestion.FILE_STATUSES,
    "vector store": vector_stores.STORE_STATUSES,
    "file batch": file_batches.BATCH_STATUSES,
    "upload": uploads.UPLOAD_STATUSES,
    "response": response_machine.RESPONSE_STATUSES,
}


def _sandbox() -> Sandbox:
    return Sandbox(key="sk-tables", clock=VirtualClock(1_000), ids=IdFactory(0, "sk-tables"))


@pytest.mark.parametrize("name", TABLES)
def test_each_table_allows_exactly_its_moves(name):
    table: StatusTable = TABLES[name]
    for current, status in itertools.product(sorted(table.statuses()), repeat=2):
        obj = {"id": "x", "status": current}
        if status in table.legal.get(current, ()):
            table.check(obj, status)
        else:
            with pytest.raises(
                IllegalTransition, match=f"{name.split()[-1]} x: {current} -> {status}"
            ):
                table.check(obj, status)


def test_the_tables_say_what_the_api_documents():
    assert machine.RUN_STATUSES.statuses() == {
        "queued", "in_progress", "requires_action", "cancelling",
        "cancelled", "failed", "completed", "incomplete", "expired",
    }  # fmt: skip
    assert ingestion.FILE_STATUSES.statuses() == {"in_progress", "completed", "failed", "cancelled"}
    assert vector_stores.STORE_STATUSES.statuses() == {"in_progress", "completed", "expired"}
    assert file_batches.BATCH_STATUSES.statuses() == {
        "in_progress", "completed", "failed", "cancelled"
    }  # fmt: skip
    assert uploads.UPLOAD_STATUSES.statuses() == {"pending", "completed", "cancelled", "expired"}
    # no requires_action, no expired: a turn that calls functions is completed
    assert response_machine.RESPONSE_STATUSES.statuses() == {
        "queued", "in_progress", "completed", "incomplete", "failed", "cancelled"
    }  # fmt: skip
    # terminal statuses move nowhere
    for table, terminal in [
        (machine.RUN_STATUSES, machine.TERMINAL),
        (ingestion.FILE_STATUSES, {"completed", "failed", "cancelled"}),
        (vector_stores.STORE_STATUSES, {"expired"}),
        (uploads.UPLOAD_STATUSES, {"completed", "cancelled", "expired"}),
        (response_machine.RESPONSE_STATUSES, response_machine.TERMINAL),
    ]:
        assert not any(table.legal.get(status) for status in terminal)


# -- each kind's one function refuses what its table refuses, before changing anything ------


def test_a_run_step_and_message_move_only_by_the_machine_tables():
    sandbox = _sandbox()
    run = {"id": "run_1", "status": "completed"}
    ctx = machine.RunContext(sandbox, run)
    with pytest.raises(IllegalTransition):
        machine.set_run_status(ctx, "cancelling")
    step = {"id": "step_1", "status": "cancelled"}
    with pytest.raises(IllegalTransition):
        machine.set_step_status(ctx, step, "completed")
    message = {"id": "msg_1", "status": "incomplete"}
    with pytest.raises(IllegalTransition):
        machine.set_message_status(ctx, message, "completed")
    assert (run["status"], step["status"], message["status"]) == (
        "completed",
        "cancelled",
        "incomplete",
    )


def test_a_vector_store_file_that_finished_cannot_finish_again():
    sandbox = _sandbox()
    vs_file = {"id": "file-1", "vector_store_id": "vs_1", "status": "completed", "usage_bytes": 5,
               "last_error": None}  # fmt: skip
    before = copy.deepcopy(vs_file)
    with pytest.raises(IllegalTransition):
        ingestion.set_file_status(
            sandbox, vs_file, "failed", {"code": "server_error", "message": "x"}
        )
    with pytest.raises(IllegalTransition):
        ingestion.cancel(sandbox, vs_file)
    assert vs_file == before


def test_an_expired_vector_store_stays_expired():
    sandbox = _sandbox()
    # expired, though its expiry is (somehow) no longer past: derived again, it would complete
    store = {"id": "vs_1", "status": "expired", "expires_at": None}
    with pytest.raises(IllegalTransition, match="vector store vs_1: expired -> completed"):
        vector_stores._derive(sandbox, store)
    assert store["status"] == "expired"


def test_a_cancelled_file_batch_never_completes():
    sandbox = _sandbox()
    batch = {"id": "vsfb_1", "vector_store_id": "vs_1", "status": "cancelled", "file_counts": {}}
    sandbox.batch_records()["vsfb_1"] = BatchRecord(file_ids=[], cancelled=False)
    with pytest.raises(IllegalTransition, match="file batch vsfb_1: cancelled -> completed"):
        file_batches._derive(sandbox, batch)
    assert batch["status"] == "cancelled"


def test_a_finished_upload_cannot_finish_again():
    sandbox = _sandbox()
    sandbox.upload_records()["upload_1"] = UploadRecord(parts={"part_1": 3}, mime_type="text/plain")
    upload = {"id": "upload_1", "status": "completed", "file": None}
    with pytest.raises(IllegalTransition, match="upload upload_1: completed -> cancelled"):
        uploads._set_status(sandbox, upload, "cancelled")
    assert upload["status"] == "completed"
    assert sandbox.upload_records()["upload_1"]["parts"] == {"part_1": 3}  # nothing dropped


def test_a_finished_response_moves_only_by_its_table():
    sandbox = _sandbox()
    response = {"id": "resp_1", "status": "completed", "background": True}
    with pytest.raises(IllegalTransition, match="response resp_1: completed -> cancelled"):
        response_machine.set_status(ResponseContext(sandbox, response), "cancelled")
    assert response["status"] == "completed"
