"""The inspector's pages as files a server serves (the browser tests drive them): where they
are, what the CLI says about them, what they may load, and that the package carries them."""

from __future__ import annotations

import re
import threading
import warnings
from fnmatch import fnmatch
from pathlib import Path

import httpx2
from setuptools.config.pyprojecttoml import read_configuration

import mockserver
from tests.conftest import ROOT, SERVE, serve_process

ASSETS = Path(mockserver.__file__).parent / "inspector_ui"


def test_the_cli_prints_the_inspector_url_under_the_banner(tmp_path):
    with serve_process(*SERVE, "--port", "0", log=tmp_path / "err.log") as (process, _base, port):
        # where the operator token is, then the inspector (a server that never says: no hang)
        lines: list[str] = []
        reader = threading.Thread(
            target=lambda: lines.extend(process.stdout.readline() for _ in range(2)), daemon=True
        )
        reader.start()
        reader.join(timeout=30)
        assert len(lines) == 2, f"the banner is followed by {lines!r} only"
        line = lines[1].strip()
        assert line == f"inspector: http://127.0.0.1:{port}/__mock__/ui/"
        page = httpx2.get(line.removeprefix("inspector: "))
        assert page.status_code == 200
        assert "<title>assistants-mock inspector</title>" in page.text


def test_the_pages_are_served_at_mock_ui_with_a_policy_that_keeps_them_to_their_server(
    live_server,
):
    index = httpx2.get(f"{live_server.url}/__mock__/ui/")
    assert index.headers["content-type"].startswith("text/html")
    policy = index.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    # images: the page's own, and the charts it fetched with the credential (blob:), no other
    (img_src,) = [d.strip() for d in policy.split(";") if d.strip().startswith("img-src ")]
    assert img_src == "img-src 'self' data: blob:"
    assert index.headers["x-content-type-options"] == "nosniff"
    assert index.headers["referrer-policy"] == "no-referrer"

    # without the slash, the relative links of the page would point elsewhere
    bare = httpx2.get(f"{live_server.url}/__mock__/ui")
    assert bare.status_code == 308 and bare.headers["location"] == "/__mock__/ui/"
    for name in ("app.js", "api.js", "views.js", "dom.js"):
        script = httpx2.get(f"{live_server.url}/__mock__/ui/{name}")
        assert script.status_code == 200
        assert "javascript" in script.headers["content-type"]
    assert httpx2.get(f"{live_server.url}/__mock__/ui/style.css").status_code == 200

    # read-only: nothing but GET (and HEAD); no file beside the assets
    posted = httpx2.post(f"{live_server.url}/__mock__/ui/", content=b"{}")
    assert posted.status_code == 405
    assert posted.json()["error"]["message"] == "Invalid method for URL (POST /__mock__/ui/)"
    assert httpx2.get(f"{live_server.url}/__mock__/ui/../ui.py").status_code == 404


def test_the_pages_load_nothing_from_elsewhere_and_hold_no_data():
    """Offline and self-contained: every URL in the assets is relative (or a data: icon)."""
    for path in ASSETS.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), path.name
        assert "//" not in "".join(re.findall(r"""(?:src|href)=["']([^"']*)""", text)), path.name
        assert not re.search(r"\b(sk-|sbx_[0-9a-f])", text), path.name


def test_the_package_carries_every_asset():
    """``package-data`` names every file of the folder: a wheel serves the same pages."""
    with warnings.catch_warnings():  # "support for tool.setuptools is in beta"
        warnings.simplefilter("ignore")
        config = read_configuration(ROOT / "pyproject.toml")
    patterns = config["tool"]["setuptools"]["package-data"]["mockserver"]
    files = sorted(p.relative_to(ASSETS.parent).as_posix() for p in ASSETS.iterdir())
    assert files and all(any(fnmatch(f, pattern) for pattern in patterns) for f in files)
    assert "inspector_ui/index.html" in files
