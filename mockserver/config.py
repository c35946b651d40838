"""Settings of one mock app. Everything that changes behaviour is here, nothing is global."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from .clock import DEFAULT_START
from .credentials import new_operator_token
from .progression import PROGRESSIONS, check_progression

#: ``PROGRESSIONS`` stays importable from here, where it used to live
__all__ = ["PROGRESSIONS", "MockConfig"]


@dataclass
class MockConfig:
    #: seeds ids and generated content; same seed + same requests -> same bytes
    seed: int = 0
    #: where every sandbox's virtual clock starts (epoch seconds)
    clock_start: int = DEFAULT_START
    #: if set, every other bearer key is refused with the real 401
    api_key: str | None = None
    #: refuse /assistants and /threads requests without ``OpenAI-Beta: assistants=v2``
    require_beta: bool = True
    #: how runs and ingestion move on their own: default | instant | manual
    progression: str = "default"
    #: value of ``openai-poll-after-ms`` on pollable objects, so SDK poll helpers don't sleep
    poll_after_ms: int = 1
    #: keep state and file bytes here across restarts (None: memory and temporary files)
    data_dir: Path | None = None
    #: scenario names or paths loaded into every sandbox
    scenarios: list[str] = field(default_factory=list)
    #: folders ``POST /__mock__/scenario {"path": ...}`` may read files from (none: no files
    #: over HTTP; inline documents and built-in names only)
    scenario_dirs: list[Path] = field(default_factory=list)
    #: the credential of control requests that span sandboxes (``X-Mock-Operator-Token``);
    #: a random one when not given, read it back from here
    operator_token: str = field(default_factory=new_operator_token, repr=False)
    #: largest accepted file upload in bytes (the real API's 512 MB)
    max_upload_bytes: int = 512 * 1024 * 1024
    #: largest accepted JSON request body in bytes (the real API's was never recorded); a
    #: larger one is a 413 before it is read
    max_json_body_bytes: int = 32 * 1024 * 1024
    #: how many request-journal entries are kept (oldest dropped first)
    journal_size: int = 10_000

    def __post_init__(self) -> None:
        check_progression(self.progression)  # a ValueError naming the valid policies
        if self.data_dir is not None:
            self.data_dir = Path(self.data_dir)
        if not self.operator_token:
            raise ValueError("the operator token must not be empty")
        # resolved once (symlinks, ".."), so a path is checked against where the folder really is
        folders = [Path(d).resolve() for d in self.scenario_dirs]
        for folder in folders:
            if not folder.is_dir():
                raise ValueError(f"scenario folder not found: {folder}")
        self.scenario_dirs = folders
        for name in ("max_upload_bytes", "max_json_body_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be a positive number of bytes")

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
