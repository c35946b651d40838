"""The README's server quick start runs as written (against a live server) and prints what the
README says it prints."""

from __future__ import annotations

import contextlib
import io

from tests.readme import README, python_block


def quick_start() -> tuple[str, str]:
    """The Python block of the server quick start, and the output its last comment promises."""
    code = python_block("from openai import OpenAI")
    promised = code.rstrip().splitlines()[-1].removeprefix("# ")
    return code, promised


def test_the_server_quick_start_prints_what_the_readme_promises(live_server):
    code, promised = quick_start()
    assert '"http://127.0.0.1:8000/v1"' in code
    code = code.replace('"http://127.0.0.1:8000/v1"', repr(live_server.base_url))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {})  # noqa: S102 (the README's own example)
    assert out.getvalue().strip() == promised
