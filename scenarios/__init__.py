"""Built-in scenarios and their loader.

* :func:`load_scenario` reads one scenario: the name of a built-in file of this folder
  (``"cancel-race"``), a path to a YAML or JSON file, or a dict; it is checked strictly and
  a bad document raises :class:`ScenarioError` naming the place and the valid keys or values.
* :func:`load_scenario_within` reads a file for someone who may not read the disk (the control
  API): the path must resolve inside one of the folders the operator allowed, and errors quote
  nothing of the file.
* :func:`install` adds scenarios to a sandbox (a scenario with the same name is replaced);
  :func:`clear` removes them all. Installed scenarios live in ``sandbox.settings`` as plain
  JSON, so state dumps and ``--data-dir`` persistence keep them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .document import check_document
from .schema import ScenarioError

__all__ = [
    "Scenario", "ScenarioError", "ScenarioPathRefused", "builtin_names", "clear", "install",
    "installed", "load_scenario", "load_scenario_within", "names_a_file",
]

FOLDER = Path(__file__).parent
SUFFIXES = (".yaml", ".yml", ".json")
#: sandbox settings a scenario may switch on, by scenario key
KNOBS = {"ingestion": "ingestion", "vector_store_file_delete": "delete_scope", "progression": "progression"}


class ScenarioPathRefused(ScenarioError):
    """A path outside the folders a scenario may be read from (said the same whether or not
    the file exists)."""


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: its name, where it came from, and its canonical document."""

    name: str
    source: str
    document: dict[str, Any] = field(repr=False)

    def as_json(self) -> dict[str, Any]:
        return {**self.document, "name": self.name}


def names_a_file(spec: str) -> bool:
    """Whether ``spec`` is a path to a scenario file rather than a built-in scenario's name:
    it ends in a scenario suffix or holds a folder separator."""
    return spec.endswith(SUFFIXES) or "/" in spec or "\\" in spec


def builtin_names() -> list[str]:
    return sorted(p.stem for p in FOLDER.iterdir() if p.suffix in SUFFIXES)


def _builtin(name: str) -> Path | None:
    for suffix in SUFFIXES:
        path = FOLDER / f"{name}{suffix}"
        if _is_file(path):
            return path
    return None


def _is_file(path: Path) -> bool:
    """``path.is_file()``, false for a path the system cannot even look up: a name comes from
    the caller (over HTTP, any text), and one longer than the system allows raises."""
    try:
        return path.is_file()
    except OSError:  # ENAMETOOLONG and the like; is_file() itself ignores only "not found"
        return False


def _read(path: Path, label: str) -> Any:
    """The parsed file; a failure's redacted message quotes none of it (no bytes, no parser
    snippet, no absolute path)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"scenario '{label}': cannot read {path}: {exc}",
                            f"scenario '{label}': not UTF-8 text") from None
    except OSError as exc:
        raise ScenarioError(f"scenario '{label}': cannot read {path}: {exc}",
                            f"scenario '{label}': cannot read the file") from None
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        # the decoder's message says where, never what
        raise ScenarioError(f"scenario '{label}': not valid JSON: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"scenario '{label}': nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ScenarioError(f"scenario '{label}': not valid YAML: {exc}",
                            f"scenario '{label}': not valid YAML{where}") from None


def load_scenario(spec: str | Path | dict[str, Any] | Scenario) -> Scenario:
    """One scenario from a built-in name, a path or a dict, strictly checked."""
    if isinstance(spec, Scenario):
        return spec
    if isinstance(spec, dict):
        return _checked(spec, "inline", "inline")
    if isinstance(spec, str) and not names_a_file(spec):
        path = _builtin(spec)
        if path is None:
            raise ScenarioError(
                f"unknown scenario {spec!r}; built-in scenarios: {', '.join(builtin_names())} "
                "(or give a path to a .yaml/.json file)"
            )
    elif isinstance(spec, (str, Path)):
        path = Path(spec)
        if not _is_file(path):
            raise ScenarioError(f"scenario file not found: {path}")
    else:
        raise ScenarioError(f"a scenario is a name, a path or a dict, not {type(spec).__name__}")
    return _checked(_read(path, path.name), path.stem, path.name)


def load_scenario_within(spec: str, folders: Sequence[Path]) -> Scenario:
    """A scenario file read on someone else's behalf: ``spec`` (relative: to each folder in
    turn) must resolve, symlinks and ``..`` included, inside one of ``folders`` (resolved
    already), else :class:`ScenarioPathRefused`; every other error is the redacted one."""
    path = _inside(spec, folders)
    label = Path(spec).name
    if not _is_file(path):
        raise ScenarioError(f"scenario file not found: {spec}")
    try:
        return _checked(_read(path, label), Path(spec).stem, label)
    except ScenarioError as exc:
        raise ScenarioError(exc.redacted) from None


def _inside(spec: str, folders: Sequence[Path]) -> Path:
    given = Path(spec)
    candidates = [given] if given.is_absolute() else [folder / given for folder in folders]
    inside: list[Path] = []
    for candidate in candidates:
        try:
            real = candidate.resolve()
            if any(real.is_relative_to(folder) for folder in folders):
                if real.is_file():
                    return real
                inside.append(real)
        except (OSError, RuntimeError, ValueError):  # a name too long, a NUL byte, a symlink loop
            continue
    if inside:
        return inside[0]  # inside an allowed folder but missing: the caller hears "not found"
    raise ScenarioPathRefused(f"scenario path outside the allowed folders: {spec}")


def _checked(data: Any, default_name: str, label: str) -> Scenario:
    try:
        document = check_document(data)
    except ScenarioError as exc:
        raise ScenarioError(f"scenario '{label}': {exc}", f"scenario '{label}': {exc.redacted}") from None
    except RecursionError:
        raise ScenarioError(f"scenario '{label}': nested too deeply") from None
    name = document.pop("name") or default_name
    return Scenario(name=name, source=label, document=document)


def installed(sandbox: Any) -> list[dict[str, Any]]:
    """The canonical documents installed in a sandbox, in install order (each with its name)."""
    return sandbox.settings.get("scenarios", [])


def install(sandbox: Any, scenarios: list[Scenario]) -> None:
    """Add scenarios to a sandbox; one with the name of an installed one replaces it."""
    names = {x.name for x in scenarios}
    current = [s for s in installed(sandbox) if s["name"] not in names]
    current.extend(s.as_json() for s in scenarios)
    sandbox.settings["scenarios"] = current
    # a replaced scenario counts its calls (nth, first N...) from the start again
    counters = sandbox.internal.get("faults", {})
    for key in [k for k in counters if k.rpartition("#")[0] in names]:
        del counters[key]
    _apply_knobs(sandbox)


def clear(sandbox: Any) -> None:
    """Remove every installed scenario and the settings they switched on."""
    sandbox.settings.pop("scenarios", None)
    _apply_knobs(sandbox)
    sandbox.internal.pop("faults", None)


def _apply_knobs(sandbox: Any) -> None:
    """Sandbox settings follow the installed scenarios (the last one that sets a knob wins)."""
    settings = sandbox.settings
    for key in settings.pop("scenario_knobs", []):
        settings.pop(key, None)
    owned = []
    for document in installed(sandbox):
        for doc_key, setting in KNOBS.items():
            if document.get(doc_key) is not None:
                settings[setting] = document[doc_key]
                owned.append(setting)
    if owned:
        settings["scenario_knobs"] = sorted(set(owned))
