"""pytest plugin: registered through the ``pytest11`` entry point ``assistants_mock``.

* fixture ``assistants_mock`` (function scope): a fresh sandbox of a session-wide mock and its
  :class:`mockserver.handle.MockHandle` (in-process clients, scenarios, clock, runs, journal,
  state). For the test's duration ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` (and Azure's
  ``AZURE_OPENAI_ENDPOINT`` / ``AZURE_OPENAI_API_KEY``) point at a live server and that
  sandbox, and requests to the real OpenAI API fail fast (see ``guard``).
* fixture ``assistants_mock_server`` (session scope): the live server, started on first use,
  once per process (so once per xdist worker), stopped at the end of the session; its
  ``operator_token`` lets control requests over HTTP span sandboxes.
* marker ``@pytest.mark.assistants_mock(scenario=..., seed=..., progression=..., report=...)``.
* options ``--assistants-mock-seed``, ``--assistants-mock-progression``,
  ``--assistants-mock-scenario`` and ini keys ``assistants_mock_seed``,
  ``assistants_mock_progression``, ``assistants_mock_scenarios`` (the command line wins).
* a failed test that used the fixture gets an "assistants-mock" report section: its sandbox's
  request journal and each run's timeline with the rule that drove it (``report=False`` on the
  marker, ``--assistants-mock-no-report`` or ini ``assistants_mock_report = false`` turn it off).
* ``--assistants-mock-keep-alive`` (ini ``assistants_mock_keep_alive``) keeps the server, and
  the sandboxes of failed tests, up after the session for the inspector, until Ctrl-C.
* the inspector's URL: in the report header when the server starts before the tests
  (``--assistants-mock-inspector``, ini ``assistants_mock_inspector``, or keep-alive); else the
  header says the server starts with the first test that needs it, and the terminal summary
  gives the URL it had.

Importing this module costs nothing beyond pytest: the mock is imported when a test needs it.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# the server's one list and check of the policies (a light module: it imports the error
# catalogue only, not the server)
from mockserver.progression import PROGRESSIONS, check_progression

if TYPE_CHECKING:
    from mockserver.handle import MockHandle
    from mockserver.server import LiveServer

MARKER_KEYS = ("scenario", "seed", "progression", "report")


@dataclass
class Defaults:
    """The session's settings, from the command line or the ini file."""

    seed: int = 0
    progression: str = "default"
    scenarios: list[str] = field(default_factory=list)
    #: a failed test's report gets the "assistants-mock" section
    report: bool = True
    #: the server stays up after the session, with the sandboxes of failed tests
    keep_alive: bool = False
    #: the server starts before the tests, its inspector URL in the report header
    inspector: bool = False


@dataclass
class Kept:
    """A failed test's sandbox, kept for the inspector (``--assistants-mock-keep-alive``)."""

    nodeid: str
    api_key: str
    sandbox_id: str


DEFAULTS = pytest.StashKey[Defaults]()
KEY_COUNTS = pytest.StashKey[dict[str, int]]()
HANDLE = pytest.StashKey["MockHandle"]()
#: how many of the handle's server errors have been reported already
REPORTED = pytest.StashKey[int]()
#: whether the test failed (set by the report hook; read at the fixture's teardown)
FAILED = pytest.StashKey[bool]()
#: the marker's ``report=`` for the test (the report hook reads it)
SHOW_REPORT = pytest.StashKey[bool]()
#: the session server kept up after the session, and the failed tests' sandboxes on it
KEPT_SERVER = pytest.StashKey["LiveServer"]()
KEPT = pytest.StashKey[list[Kept]]()
#: the session's exit status (a session interrupted by Ctrl-C is not kept alive)
EXIT_STATUS = pytest.StashKey[int]()
#: the session's server once started (before the tests with ``--assistants-mock-inspector``,
#: else by the first test that needs it): the report header and the summary name its URL
SERVER = pytest.StashKey["LiveServer"]()
#: the report section's title
SECTION = "assistants-mock"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assistants_mock", "openai-assistants-mock")
    group.addoption(
        "--assistants-mock-seed",
        dest="assistants_mock_seed",
        default=None,
        metavar="INT",
        help="seed of the mock's ids and generated content (default 0)",
    )
    group.addoption(
        "--assistants-mock-progression",
        dest="assistants_mock_progression",
        default=None,
        metavar="POLICY",
        help=f"how runs move on: {', '.join(PROGRESSIONS)} (default: default)",
    )
    group.addoption(
        "--assistants-mock-scenario",
        dest="assistants_mock_scenarios",
        action="append",
        default=None,
        metavar="NAME_OR_PATH",
        help="scenario loaded into every test's sandbox (repeatable)",
    )
    group.addoption(
        "--assistants-mock-no-report",
        dest="assistants_mock_report",
        action="store_false",
        default=None,
        help="no 'assistants-mock' section (journal, run timelines) in failed tests' reports",
    )
    group.addoption(
        "--assistants-mock-keep-alive",
        dest="assistants_mock_keep_alive",
        action="store_true",
        default=None,
        help="keep the mock server and failed tests' sandboxes up after the session, for the "
        "inspector (prints each failed test's inspector URL; Ctrl-C ends it)",
    )
    group.addoption(
        "--assistants-mock-inspector",
        dest="assistants_mock_inspector",
        action="store_true",
        default=None,
        help="start the mock server before the tests and print its inspector URL in the report "
        "header, to follow the tests in a browser (default: the server starts with the first "
        "test that uses it)",
    )
    parser.addini("assistants_mock_seed", "seed of the mock (default 0)", default=None)
    parser.addini(
        "assistants_mock_report",
        "add the 'assistants-mock' section to failed tests' reports (default true)",
        type="bool",
        default=True,
    )
    parser.addini(
        "assistants_mock_keep_alive",
        "keep the mock server up after the session for the inspector (default false)",
        type="bool",
        default=False,
    )
    parser.addini(
        "assistants_mock_inspector",
        "start the mock server before the tests, its inspector URL in the report header "
        "(default false)",
        type="bool",
        default=False,
    )
    parser.addini(
        "assistants_mock_progression", f"run progression: {', '.join(PROGRESSIONS)}", default=None
    )
    parser.addini(
        "assistants_mock_scenarios",
        "scenarios loaded into every test's sandbox",
        type="linelist",
        default=[],
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assistants_mock(scenario=None, seed=None, progression=None): configure the "
        "assistants_mock fixture for this test",
    )
    config.stash[DEFAULTS] = _read_defaults(config)
    config.stash[KEY_COUNTS] = {}
    config.stash[KEPT] = []


def _read_defaults(config: pytest.Config) -> Defaults:
    """CLI over ini over built-in defaults; a bad value is a usage error listing valid ones."""
    seed = config.getoption("assistants_mock_seed") or config.getini("assistants_mock_seed")
    progression = config.getoption("assistants_mock_progression") or config.getini(
        "assistants_mock_progression"
    )
    scenarios = config.getoption("assistants_mock_scenarios") or [
        _from_ini_folder(config, spec) for spec in config.getini("assistants_mock_scenarios")
    ]
    defaults = Defaults()
    if seed not in (None, ""):
        try:
            defaults.seed = int(str(seed).strip())
        except ValueError:
            raise pytest.UsageError(
                f"assistants-mock: seed must be an integer, got {seed!r}"
            ) from None
    if progression not in (None, ""):
        try:
            defaults.progression = check_progression(str(progression).strip())
        except ValueError as exc:  # the message lists the valid policies
            raise pytest.UsageError(f"assistants-mock: {exc}") from None
    defaults.scenarios = [str(s) for s in scenarios or []]
    for spec in defaults.scenarios:
        _check_scenario(spec)
    report = config.getoption("assistants_mock_report")
    defaults.report = config.getini("assistants_mock_report") if report is None else report
    keep_alive = config.getoption("assistants_mock_keep_alive")
    if keep_alive is None:
        keep_alive = config.getini("assistants_mock_keep_alive")
    # an xdist worker has no terminal to print on nor Ctrl-C to wait for
    defaults.keep_alive = bool(keep_alive) and not hasattr(config, "workerinput")
    inspector = config.getoption("assistants_mock_inspector")
    if inspector is None:
        inspector = config.getini("assistants_mock_inspector")
    # keep-alive is for the inspector too: its URL is wanted from the start. Under xdist the
    # tests run in the workers, each with its own server: none to start here, none to show there
    defaults.inspector = (bool(inspector) or defaults.keep_alive) and not _distributed(config)
    return defaults


def _distributed(config: pytest.Config) -> bool:
    """An xdist worker, or the controller of workers (which runs no test itself)."""
    return hasattr(config, "workerinput") or getattr(config.option, "dist", "no") != "no"


def _from_ini_folder(config: pytest.Config, spec: str) -> str:
    """A relative scenario path in the ini file is relative to the ini file's folder (a
    built-in scenario's name stays a name)."""
    if config.inipath is None or Path(spec).is_absolute():
        return spec
    from mockserver.scenarios import names_a_file

    if not names_a_file(spec):
        return spec
    return str(config.inipath.parent / spec)


def _check_scenario(spec: Any) -> None:
    from mockserver import scenarios

    try:
        scenarios.load_scenario(spec)
    except scenarios.ScenarioError as exc:
        raise pytest.UsageError(f"assistants-mock: {exc}") from None


def pytest_sessionstart(session: pytest.Session) -> None:
    """``--assistants-mock-inspector`` (or keep-alive): the server starts now, before the
    terminal prints the report header (its own ``pytest_sessionstart`` runs last)."""
    config = session.config
    if config.stash[DEFAULTS].inspector:
        _start_server(config)


def _start_server(config: pytest.Config) -> LiveServer:
    from mockserver import create_app
    from mockserver.server import LiveServer

    defaults = config.stash[DEFAULTS]
    app = create_app(seed=defaults.seed, progression=defaults.progression)
    server = config.stash[SERVER] = LiveServer(app).start()
    return server


def pytest_report_header(config: pytest.Config) -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("openai-assistants-mock")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        release = "unknown"
    defaults = config.stash[DEFAULTS]
    settings = (
        f"assistants-mock {release}: seed={defaults.seed}, progression={defaults.progression}, "
        f"scenarios={', '.join(defaults.scenarios) or 'none'}"
    )
    lines = [settings]
    server = config.stash.get(SERVER, None)
    if server is not None:
        lines.append(f"assistants-mock inspector: {server.inspector_url}")
    elif _distributed(config):
        lines.append(
            "assistants-mock inspector: each xdist worker has a server of its own, stopped "
            "with it (run without -n to follow the tests in the inspector)"
        )
    else:
        lines.append(
            "assistants-mock inspector: the server starts with the first test that uses it; "
            "its URL is printed in the summary (--assistants-mock-inspector starts it before "
            "the tests and prints it here)"
        )
    return lines


@pytest.fixture(scope="session")
def assistants_mock_server(pytestconfig: pytest.Config) -> Iterator[LiveServer]:
    """The session's mock on a live server (127.0.0.1, a free port): one per process, started
    by the first test that needs it (or before the tests, see ``pytest_sessionstart``)."""
    early = pytestconfig.stash.get(SERVER, None)
    server = early or _start_server(pytestconfig)
    try:
        yield server
    finally:
        if pytestconfig.stash[KEPT]:
            # failed tests' sandboxes to inspect: stopped after the session (pytest_unconfigure)
            pytestconfig.stash[KEPT_SERVER] = server
        elif early is None:  # one started before the tests is stopped by pytest_unconfigure
            server.stop()


@pytest.fixture
def assistants_mock(
    request: pytest.FixtureRequest, assistants_mock_server: LiveServer
) -> Iterator[MockHandle]:
    """A fresh sandbox of the session's mock, with clients, scenarios and controls."""
    from mockserver.handle import MockHandle

    from . import guard

    settings = _marker_settings(request.node)
    defaults = request.config.stash[DEFAULTS]
    scenario = settings.get("scenario", defaults.scenarios)
    specs = scenario if isinstance(scenario, list | tuple) else [scenario]
    if "scenario" in settings:
        specs = [_near_test(request.node, spec) for spec in specs]
    handle = MockHandle(
        assistants_mock_server.app,
        _api_key(request),
        base_url=assistants_mock_server.base_url,
        seed=settings.get("seed"),
        progression=settings.get("progression"),
        scenarios=[s for s in specs if s is not None],
    )
    request.node.stash[HANDLE] = handle
    request.node.stash[SHOW_REPORT] = settings.get("report", True)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("OPENAI_BASE_URL", handle.base_url)
            patch.setenv("OPENAI_API_KEY", handle.api_key)
            # AzureOpenAI() reads these; an Entra ID token in the environment would win over the key
            patch.setenv("AZURE_OPENAI_ENDPOINT", handle.azure_endpoint)
            patch.setenv("AZURE_OPENAI_API_KEY", handle.api_key)
            patch.delenv("AZURE_OPENAI_AD_TOKEN", raising=False)
            guard.install(patch, handle.base_url)
            yield handle
        # errors while other fixtures set up or tear down (the test body's are already out)
        late = handle.server_errors[request.node.stash.get(REPORTED, 0) :]
    finally:
        handle.close()
        if defaults.keep_alive and request.node.stash.get(FAILED, False):
            request.config.stash[KEPT].append(
                Kept(request.node.nodeid, handle.api_key, handle.sandbox_id)
            )
        else:
            handle.drop()
    if late:
        pytest.fail(
            f"the mock server raised while serving this test:\n{describe(late)}", pytrace=False
        )


def _marker_settings(node: pytest.Item) -> dict[str, Any]:
    """The marker's keyword arguments, the closest marker winning key by key."""
    settings: dict[str, Any] = {}
    for marker in node.iter_markers("assistants_mock"):
        if marker.args:
            pytest.fail(
                "@pytest.mark.assistants_mock takes keyword arguments only: "
                f"{', '.join(MARKER_KEYS)}",
                pytrace=False,
            )
        for key, value in marker.kwargs.items():
            if key not in MARKER_KEYS:
                pytest.fail(
                    f"@pytest.mark.assistants_mock: unknown argument {key!r}; "
                    f"valid: {', '.join(MARKER_KEYS)}",
                    pytrace=False,
                )
            settings.setdefault(key, value)
    if not isinstance(settings.get("report", True), bool):
        pytest.fail(
            f"@pytest.mark.assistants_mock: report must be True or False, got "
            f"{settings['report']!r}",
            pytrace=False,
        )
    seed = settings.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        pytest.fail(
            f"@pytest.mark.assistants_mock: seed must be an integer, got {seed!r}", pytrace=False
        )
    if settings.get("progression") is not None:
        try:
            check_progression(settings["progression"])
        except ValueError as exc:  # the message lists the valid policies
            pytest.fail(f"@pytest.mark.assistants_mock: {exc}", pytrace=False)
    return settings


def _near_test(node: pytest.Item, spec: Any) -> Any:
    """A marker's relative scenario path is looked up beside the test module first."""
    if isinstance(spec, str | Path) and not Path(spec).is_absolute():
        candidate = Path(node.path).parent / spec
        if candidate.is_file():
            return candidate
    return spec


def _api_key(request: pytest.FixtureRequest) -> str:
    """A key per test: stable across runs, different for every parametrized case and for a
    test that runs twice in one session."""
    counts = request.config.stash[KEY_COUNTS]
    nodeid = request.node.nodeid
    n = counts[nodeid] = counts.get(nodeid, 0) + 1
    digest = hashlib.sha256(f"{nodeid}\x00{n}".encode()).hexdigest()[:32]
    return f"sk-assistants-mock-{digest}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Server-side exceptions of the test's sandbox fail the test, with the request shown."""
    try:
        result = yield
    except BaseException:
        _report_server_errors(item, failed=True)
        raise
    _report_server_errors(item, failed=False)
    return result


def _report_server_errors(item: pytest.Item, failed: bool) -> None:
    handle = item.stash.get(HANDLE, None)
    if handle is None:
        return
    errors = handle.server_errors[item.stash.get(REPORTED, 0) :]
    item.stash[REPORTED] = len(handle.server_errors)
    if not errors:
        return
    text = describe(errors)
    if failed:
        # the test's own failure stays the headline; the server's side is shown beside it
        item.add_report_section("call", "assistants-mock server errors", text)
        return
    pytest.fail(f"the mock server raised while serving this test:\n{text}", pytrace=False)


def describe(errors: list[Any]) -> str:
    """Each server error with the request that caused it and the server-side traceback."""
    return "\n\n".join(
        f"{error.describe()}\n"
        + "".join(
            traceback.format_exception(
                type(error.exception), error.exception, error.exception.__traceback__
            )
        )
        for error in errors
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed test that used the fixture gets the story of its sandbox (while it still
    exists: the fixture's teardown drops it): the journal, each run's timeline and why."""
    report = yield
    handle = item.stash.get(HANDLE, None)
    if handle is None or not report.failed or report.when == "teardown":
        return report
    item.stash[FAILED] = True
    defaults = item.config.stash[DEFAULTS]
    if defaults.report and item.stash.get(SHOW_REPORT, True):
        from mockserver.inspect.report import failure_report

        try:
            text = failure_report(handle.app.state.store, handle.api_key)
        except Exception as exc:  # noqa: BLE001 - a report must never hide the test's failure
            text = f"(the mock could not describe this test's sandbox: {exc!r})"
        if defaults.keep_alive:
            text += "\n" + _inspector_url(handle.base_url, handle.sandbox_id)
        report.sections.append((SECTION, text))
    return report


def _inspector_url(base_url: str, sandbox_id: str) -> str:
    from mockserver.server import inspector_url

    return f"{inspector_url(base_url)}#/sandboxes/{sandbox_id}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[EXIT_STATUS] = exitstatus


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The URL the inspector had, if the server started (the header could not say it when it
    started with the first test); keep-alive's own lines say it when the server stays up."""
    server = config.stash.get(SERVER, None)
    if server is None or config.stash.get(KEPT_SERVER, None) is not None:
        return
    terminalreporter.write_line(
        f"assistants-mock inspector: {server.inspector_url} (stopped with the session; "
        "--assistants-mock-keep-alive keeps it up when a test fails)"
    )


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """``--assistants-mock-keep-alive``: once everything is reported, serve the failed tests'
    sandboxes until Ctrl-C, saying where and how to get in (not after a Ctrl-C already
    interrupted the session: its user wants out). Else a server started before the tests
    stops here (the fixture's teardown stops one it started)."""
    server = config.stash.get(KEPT_SERVER, None)
    if server is None:
        if SERVER in config.stash and config.stash[DEFAULTS].inspector:
            config.stash[SERVER].stop()  # started before the tests, not kept
        return
    if config.stash.get(EXIT_STATUS, None) == pytest.ExitCode.INTERRUPTED:
        server.stop()
        return
    kept = config.stash[KEPT]
    write = _printer(config)
    # SIGTERM (a CI job's end, a supervisor) ends the wait as Ctrl-C does: without it the
    # process died at once, leaving the keys file behind. Taken over before the file exists,
    # so that a signal sent as soon as the file is announced finds the handler.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    folder: Path | None = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="assistants-mock-"))  # mode 0700
        credentials = folder / "credentials"
        _write_credentials(credentials, server.operator_token, kept)
        write(
            f"assistants-mock: the server stays up for the inspector at {server.inspector_url} "
            "(Ctrl-C to stop it)"
        )
        for test in kept:
            write(
                f"assistants-mock: {test.nodeid}: {_inspector_url(server.base_url, test.sandbox_id)}"
            )
        write(
            "assistants-mock: the inspector asks for an API key: each test's key (derived from "
            "its node id) and the operator token (every sandbox) are in "
            f"{credentials} (readable by you only)"
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        write("assistants-mock: stopping the server")
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _write_credentials(path: Path, operator_token: str, kept: list[Kept]) -> None:
    """The secrets the inspector asks for, readable by the owner only (never printed: terminal
    output ends up in shared CI logs)."""
    from mockserver.cli import write_secret
    from mockserver.credentials import OPERATOR_HEADER

    lines = [f"operator token ({OPERATOR_HEADER}, every sandbox): {operator_token}"]
    lines += [f"{test.nodeid}: {test.api_key}" for test in kept]
    write_secret(path, "\n".join(lines) + "\n")


def _printer(config: pytest.Config) -> Any:
    reporter = config.pluginmanager.get_plugin("terminalreporter")

    def write(line: str) -> None:
        if reporter is not None:
            reporter.write_line(line)
            reporter._tw.flush()
        else:  # pragma: no cover - run with -p no:terminal
            print(line, flush=True)

    return write
