"""Status tables: for each stateful kind, which status may follow which.

Every kind's status changes in one function that checks its table first (an illegal move is
a bug in the mock, never a client's error, so it raises :class:`IllegalTransition`, a 500):

* runs, run steps and run messages: ``engine/machine.py`` (with their stream events);
* vector store files: ``search/ingestion.py`` (ingestion ends them, a batch's cancel cancels);
* vector stores and file batches: ``resources/vector_stores.py``, ``resources/file_batches.py``
  (their statuses follow their files, derived at every read);
* uploads: ``resources/uploads.py``;
* responses: ``responses_api/machine.py`` (a background response's stream events too).

An object gets its first status when it is made (attaching a file again makes a new
attachment), not through a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .types import JSONObject


class IllegalTransition(RuntimeError):
    pass


@dataclass(frozen=True)
class StatusTable:
    kind: str  # as messages name it: "run", "vector store file"...
    #: status -> the statuses it may move to; a status that is not a key moves nowhere
    legal: Mapping[str, frozenset[str]]

    def allows(self, current: str, status: str) -> bool:
        return status in self.legal.get(current, ())

    def check(self, obj: JSONObject, status: str) -> None:
        """Raise :class:`IllegalTransition` unless ``obj`` may move to ``status``."""
        if not self.allows(obj["status"], status):
            raise IllegalTransition(f"{self.kind} {obj['id']}: {obj['status']} -> {status}")

    def statuses(self) -> frozenset[str]:
        """Every status of the kind."""
        return frozenset(self.legal).union(*self.legal.values())
