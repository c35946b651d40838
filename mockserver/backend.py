"""What the rules ask a sandbox for, by name: its collections, its records, its progression
policy and its seed (as moto gives each service a backend). The names of the tables and
records are spelled here and nowhere else.

:class:`Backend` is a base of :class:`mockserver.store.Sandbox`, which holds the state; this
module only names it. Table layout (``Sandbox.table(kind, scope)``), as dumped:
``assistants``; ``threads``; ``messages``/thread id; ``runs``/thread id; ``steps``/run id;
``files``; ``uploads``; ``vector_stores``; ``vector_store_files``/store id;
``file_batches``/store id; ``responses``; ``response_inputs``/response id;
``conversations``; ``conversation_items``/conversation id; ``containers``;
``container_files``/container id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ids import IdFactory
    from .tables import Collection
    from .types import (
        BatchRecord,
        IngestionRecord,
        JSONObject,
        ResponseRecord,
        RunRecord,
        ScriptRecord,
        UploadRecord,
    )

ASSISTANTS = "assistants"
THREADS = "threads"
MESSAGES = "messages"  # per thread
RUNS = "runs"  # per thread; also the kind of the runs' records
STEPS = "steps"  # per run
FILES = "files"
UPLOADS = "uploads"  # also the kind of the uploads' records
VECTOR_STORES = "vector_stores"
VECTOR_STORE_FILES = "vector_store_files"  # per vector store
FILE_BATCHES = "file_batches"  # per vector store; also the kind of the batches' records
INGESTION = "ingestion"  # records of the vector store files being ingested
CONVERSATIONS = "conversations"
CONVERSATION_ITEMS = "conversation_items"  # per conversation
CONTAINERS = "containers"
CONTAINER_FILES = "container_files"  # per container
FAULTS = "faults"  # call counters of the scenarios' http rules
RESPONSES = "responses"  # also the kind of the responses' records
RESPONSE_INPUTS = "response_inputs"  # per response: its input items
ITEMS = "items"  # records: every stored Responses/Conversations item by id (item_reference)
CALL_SCRIPTS = "call_scripts"  # records: a scripted response's function call id -> its script
RESPONSE_EVENTS = "response_events"  # the stream events kept with each background response

PROGRESSION = "progression"  # the setting that overrides the app's policy


class Backend:
    """The named collections, records, policy and seed of a sandbox."""

    #: the app's progression policy (``MockConfig.progression``), given by the store
    default_progression: str = "default"

    if TYPE_CHECKING:  # provided by Sandbox
        ids: IdFactory
        settings: dict[str, Any]

        def table(self, kind: str, scope: str = "") -> Collection: ...

        def aux(self, kind: str) -> dict[str, Any]: ...

    # -- policy and seed ----------------------------------------------------------------------

    @property
    def policy(self) -> str:
        """How runs and ingestion move on here: ``default``, ``instant`` or ``manual`` (the
        sandbox's own setting, else the app's)."""
        return self.settings.get(PROGRESSION, self.default_progression)

    @property
    def seed(self) -> int:
        """Seeds the sandbox's ids and the content it generates (function arguments,
        structured outputs): the app's seed, or the one the sandbox was made with."""
        return self.ids.seed

    # -- collections --------------------------------------------------------------------------

    def assistants(self) -> Collection:
        return self.table(ASSISTANTS)

    def threads(self) -> Collection:
        return self.table(THREADS)

    def messages(self, thread_id: str) -> Collection:
        return self.table(MESSAGES, thread_id)

    def runs(self, thread_id: str) -> Collection:
        return self.table(RUNS, thread_id)

    def steps(self, run_id: str) -> Collection:
        return self.table(STEPS, run_id)

    def files(self) -> Collection:
        return self.table(FILES)

    def uploads(self) -> Collection:
        return self.table(UPLOADS)

    def vector_stores(self) -> Collection:
        return self.table(VECTOR_STORES)

    def vector_store_files(self, store_id: str) -> Collection:
        return self.table(VECTOR_STORE_FILES, store_id)

    def file_batches(self, store_id: str) -> Collection:
        return self.table(FILE_BATCHES, store_id)

    def conversations(self) -> Collection:
        return self.table(CONVERSATIONS)

    def conversation_items(self, conversation_id: str) -> Collection:
        return self.table(CONVERSATION_ITEMS, conversation_id)

    def containers(self) -> Collection:
        return self.table(CONTAINERS)

    def container_files(self, container_id: str) -> Collection:
        return self.table(CONTAINER_FILES, container_id)

    def responses(self) -> Collection:
        return self.table(RESPONSES)

    def response_inputs(self, response_id: str) -> Collection:
        return self.table(RESPONSE_INPUTS, response_id)

    # -- records beside the wire objects (``mockserver.types``) -------------------------------

    def response_records(self) -> dict[str, ResponseRecord]:
        return self.aux(RESPONSES)

    def call_scripts(self) -> dict[str, ScriptRecord]:
        """The script of a response that ended with function calls, by each call's id: the
        response that answers them plays on from there."""
        return self.aux(CALL_SCRIPTS)

    def item_index(self) -> dict[str, JSONObject]:
        """Every stored item of a response or conversation, by id (what ``item_reference``
        names)."""
        return self.aux(ITEMS)

    def run_records(self) -> dict[str, RunRecord]:
        return self.aux(RUNS)

    def batch_records(self) -> dict[str, BatchRecord]:
        return self.aux(FILE_BATCHES)

    def upload_records(self) -> dict[str, UploadRecord]:
        return self.aux(UPLOADS)

    def ingestion_records(self) -> dict[str, IngestionRecord]:
        """Keyed ``store_id/file_id``."""
        return self.aux(INGESTION)

    def fault_counters(self) -> dict[str, int]:
        """How many calls each http rule has matched, keyed ``scenario#index``."""
        return self.aux(FAULTS)

    def response_events(self) -> dict[str, list[JSONObject]]:
        """The stream events of each background response, for replays (keyed by its id)."""
        return self.aux(RESPONSE_EVENTS)
