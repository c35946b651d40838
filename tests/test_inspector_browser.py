"""The inspector in a real browser: Playwright for Python driving Debian's Chromium
(``/usr/bin/chromium``; ``make test`` installs it, Playwright's own browser downloads are never
used). The API side is the official SDK with strict validation, as everywhere.

Screenshots of the main pages go to ``tests/artifacts/inspector/`` (ignored by git): look at
them after a change to the pages. Each page also passes axe-core (from tests/node, installed by
``npm ci``) with no serious or critical violation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from mockserver import create_app
from mockserver.server import LiveServer
from tests.conftest import NODE_PROJECT, ROOT, WEATHER, ask, bearer, make_client, require

CHROMIUM = Path("/usr/bin/chromium")
AXE = NODE_PROJECT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts" / "inspector"
#: Chromium as a test browser: no sandbox (root in CI), no GPU, nothing fetched from elsewhere
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
]
#: how long a page may take to show what the server already holds, or a change it was told of
TIMEOUT_MS = 15_000

KEY_A = "sk-inspector-alpha-0123456789abcdef"
KEY_B = "sk-inspector-bravo-fedcba9876543210"


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(
        CHROMIUM.exists(),
        f"{CHROMIUM} is missing: `make test` installs it (as root), or apt-get install chromium",
    )
    require(AXE.exists(), f"{AXE} is missing: run `make tests/node/node_modules/.installed`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed: pip install -e '.[test]'")
        raise
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    """A server of this module's own: the operator's pages show its sandboxes only."""
    with LiveServer(create_app(seed=0)) as live:
        yield live


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab (fresh sessionStorage). CSP is bypassed only so that axe-core can be
    injected; a script error on the page fails the test."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


def handle_of(server: LiveServer, key: str) -> str:
    """The ``sbx_…`` handle the inspector names ``key``'s sandbox by."""
    response = httpx2.get(f"{server.url}/__mock__/inspect/sandboxes", headers=bearer(key))
    response.raise_for_status()
    [sandbox] = response.json()["data"]
    return sandbox["id"]


def sign_in(tab: Any, server: LiveServer, secret: str, operator: bool = False) -> None:
    tab.goto(server.inspector_url)
    tab.get_by_label("Operator token" if operator else "API key").check()
    tab.get_by_label("Key or token").fill(secret)
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_role("heading", name="Sandboxes", level=1).wait_for()


def open_page(tab: Any, server: LiveServer, fragment: str) -> None:
    """Go to an inspector page (``#/sandboxes/…``) and wait until it has drawn its data (or
    the refusal): the shell marks ``main`` with the hash it drew."""
    tab.goto(server.inspector_url + fragment)
    tab.wait_for_function(
        "hash => document.querySelector('main').dataset.drawn === hash", arg=fragment
    )


def shoot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def check_accessibility(tab: Any, where: str) -> None:
    """axe-core in the page: no serious or critical violation."""
    if not tab.evaluate("() => typeof window.axe === 'object'"):
        tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{where}: {bad}"


def weather_run(client: openai.OpenAI) -> tuple[Any, Any, str]:
    """A run of the default assistant that calls get_weather, its output submitted: (thread,
    run, call id)."""
    assistant = client.beta.assistants.create(model="gpt-4o", name="Weather bot", tools=[WEATHER])
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "What's the weather in Paris?"}]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "22°C, sunny"}],
    )
    assert run.status == "completed"
    return thread, run, call.id


# -- tests ---------------------------------------------------------------------------------------


def test_nothing_shows_before_a_credential_and_a_wrong_one_is_refused(page, server):
    with make_client(server.base_url, KEY_A) as client:
        client.beta.assistants.create(model="gpt-4o")
    page.goto(server.inspector_url + f"#/sandboxes/{handle_of(server, KEY_A)}")
    page.get_by_role("heading", name="Sign in to the inspector").wait_for()
    assert "sbx_" not in page.locator("main").inner_text()
    shoot(page, "sign-in")
    check_accessibility(page, "sign-in")

    page.get_by_label("Operator token").check()
    page.get_by_label("Key or token").fill("not-the-token")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "operator token" in alert.inner_text().lower()
    assert page.evaluate("() => sessionStorage.length") == 0  # a refused credential is not kept

    sign_in(page, server, KEY_A)
    assert KEY_A not in page.url and KEY_A not in page.content()  # never in a URL, never shown
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to the inspector").wait_for()
    assert page.evaluate("() => sessionStorage.length") == 0


def test_a_streamed_run_appears_and_completes_live_on_the_thread_page(page, server):
    key = "sk-inspector-live-0123456789abcdef"
    with make_client(server.base_url, key) as client:
        assistant = client.beta.assistants.create(model="gpt-4o")
        thread = client.beta.threads.create(
            messages=[{"role": "user", "content": "Tell me a story"}]
        )
        sign_in(page, server, key)
        open_page(page, server, f"#/sandboxes/{handle_of(server, key)}/threads/{thread.id}")
        page.get_by_text("No run yet.").wait_for()
        page.locator(".live-live").wait_for()  # following the change stream
        page.evaluate("() => { window.notReloaded = true; }")

        with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id
        ) as stream:
            stream.until_done()
        run = stream.get_final_run()
        assert run.status == "completed"
        reply = client.beta.threads.messages.list(thread.id).data[0].content[0].text.value

    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=run.id))
    row.get_by_text("completed").wait_for()
    page.get_by_text(reply).wait_for()
    assert page.evaluate("() => window.notReloaded") is True  # drawn by the stream, not a reload
    shoot(page, "thread")
    check_accessibility(page, "thread")


def test_a_run_page_shows_the_function_call_its_output_and_why(page, server):
    key = "sk-inspector-run-0123456789abcdef0"
    with make_client(server.base_url, key) as client:
        thread, run, call_id = weather_run(client)
    sbx = handle_of(server, key)
    sign_in(page, server, key)
    open_page(page, server, f"#/sandboxes/{sbx}/threads/{thread.id}")
    page.get_by_role("region", name="Runs (1)").get_by_role("link", name=run.id).click()
    page.get_by_role("heading", name=re.compile(f"Run {run.id}")).wait_for()

    call = page.locator("article.tool-call").filter(has_text=call_id)
    arguments = call.get_by_label("Arguments of get_weather")
    assert json.loads(arguments.inner_text()) == {"city": "Paris"}
    assert call.get_by_label("Output of get_weather").inner_text() == "22°C, sunny"
    timeline = page.get_by_role("table", name="Every status with its virtual time")
    statuses = timeline.locator("tbody tr td:first-child").all_inner_texts()
    assert statuses[0] == "queued" and statuses[-1] == "completed"
    assert "requires_action" in statuses
    why = page.get_by_role("region", name="Why it did this")
    assert "get_weather" in why.inner_text()
    shoot(page, "run")
    check_accessibility(page, "run")


def test_a_code_interpreter_chart_shows_as_an_image_under_the_pages_policy(browser, server):
    """The chart's bytes are fetched with the credential and shown through a blob: URL, which
    the page's Content-Security-Policy (enforced here, unlike the other tests' tabs) allows."""
    key = "sk-inspector-chart-0123456789abcd"
    with make_client(server.base_url, key) as client:
        thread, run = ask(
            client, "Plot the first 10 fibonacci numbers", [{"type": "code_interpreter"}]
        )
        assert run.status == "completed"
    sbx = handle_of(server, key)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    try:
        sign_in(tab, server, key)
        open_page(tab, server, f"#/sandboxes/{sbx}/runs/{run.id}")
        call = tab.locator("article.tool-call").filter(has_text="Code interpreter")
        chart = call.get_by_role("img", name=re.compile("drew"))
        chart.wait_for()
        tab.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
        assert chart.get_attribute("src").startswith("blob:")
        assert chart.evaluate("img => img.naturalWidth") > 0
        # the reply quotes the same chart: the thread page shows it too
        open_page(tab, server, f"#/sandboxes/{sbx}/threads/{thread.id}")
        quoted = tab.locator(".message img.file-image")
        quoted.wait_for()
        tab.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=quoted.element_handle()
        )
        assert quoted.get_attribute("alt")
        open_page(tab, server, f"#/sandboxes/{sbx}/runs/{run.id}")
        tab.wait_for_function(
            "() => [...document.querySelectorAll('img.file-image')].every("
            "img => img.complete && img.naturalWidth > 0)"
        )
        shoot(tab, "run-chart")
        # axe-core through the debugger protocol: the page's policy would refuse it as a script
        tab.evaluate(AXE.read_text())
        check_accessibility(tab, "run-chart")
    finally:
        context.close()
    assert errors == []


def test_a_response_page_shows_its_function_call_why_and_conversation(page, server):
    key = "sk-inspector-responses-0123456789a"
    weather = {
        "type": "function",
        "name": "get_weather",
        "description": "The weather forecast of a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
    with make_client(server.base_url, key) as client:
        conversation = client.conversations.create()
        made = client.responses.create(
            model="gpt-4o",
            input="What's the weather in Paris?",
            tools=[weather],
            conversation=conversation.id,
        )
    sbx = handle_of(server, key)
    sign_in(page, server, key)
    open_page(page, server, f"#/sandboxes/{sbx}/responses")
    page.get_by_role("heading", name="Responses", level=2).wait_for()
    check_accessibility(page, "sandbox tab Responses")
    page.get_by_role("link", name=made.id).click()
    page.get_by_role("heading", name=re.compile(f"Response {made.id}")).wait_for()
    arguments = page.get_by_label("Arguments of get_weather")
    assert json.loads(arguments.inner_text()) == {"city": "Paris"}
    why = page.get_by_role("region", name="Why it did this")
    assert "called get_weather: the message contains 'weather'" in why.inner_text()
    assert "null" not in page.locator("main").inner_text()
    inputs = page.get_by_role("region", name="Input items (1)")
    assert "What's the weather in Paris?" in inputs.inner_text()
    shoot(page, "response")
    check_accessibility(page, "response")

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=conversation.id
    ).click()
    page.get_by_role("heading", name=re.compile(f"Conversation {conversation.id}")).wait_for()
    page.get_by_role("region", name="Items (2)").wait_for()
    assert page.get_by_role("link", name=made.id).count() == 1
    check_accessibility(page, "conversation")


def test_a_refused_request_in_the_journal_leads_to_its_error_message(page, server):
    key = "sk-inspector-journal-0123456789ab"
    with make_client(server.base_url, key) as client:
        client.beta.assistants.create(model="gpt-4o")
        with pytest.raises(openai.NotFoundError) as refused:
            client.beta.assistants.retrieve("asst_doesnotexist0000000000")
    message = refused.value.body["message"]
    sbx = handle_of(server, key)
    sign_in(page, server, key)
    open_page(page, server, f"#/sandboxes/{sbx}/journal")
    page.get_by_role("cell", name="/v1/assistants/asst_doesnotexist0000000000").wait_for()
    shoot(page, "journal")
    check_accessibility(page, "journal")

    page.get_by_label("Status").fill("4xx")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_role("table").locator("tbody tr")
    rows.first.get_by_role("link", name="404 refused").wait_for()
    assert rows.count() == 1  # the filter left only the refused request
    assert "status=4xx" in page.url

    rows.first.get_by_role("link", name="404 refused").click()
    shown = page.locator("#error-message")
    shown.wait_for()
    assert shown.inner_text() == message
    shoot(page, "request")
    check_accessibility(page, "request")


def test_a_long_journal_shows_its_newest_requests_and_says_how_many_it_left_out(page, server):
    # a page that laid out every row of a 10,000-request journal took seconds to show
    key = "sk-inspector-long-journal-0123456789"
    with httpx2.Client(base_url=server.base_url, headers=bearer(key)) as client:
        for n in range(520):
            client.get(f"/models/model-{n}")
    sbx = handle_of(server, key)
    sign_in(page, server, key)
    open_page(page, server, f"#/sandboxes/{sbx}/journal")
    rows = page.get_by_role("table").locator("tbody tr")
    assert rows.count() == 500
    assert "/v1/models/model-519" in rows.last.inner_text()
    assert "/v1/models/model-20" in rows.first.inner_text()
    assert page.get_by_text("Showing the last 500 of 520 rows.").is_visible()


def test_a_key_sees_its_own_sandbox_only_and_the_operator_sees_both(page, server):
    ids: dict[str, list[str]] = {}
    for key in (KEY_A, KEY_B):
        with make_client(server.base_url, key) as client:
            thread, run, _ = weather_run(client)
            ids[key] = [handle_of(server, key), thread.id, run.id]
    sbx_a, thread_a, run_a = ids[KEY_A]
    sbx_b, thread_b, run_b = ids[KEY_B]

    sign_in(page, server, KEY_A)
    seen = [page.locator("main").inner_text()]
    for fragment in (
        f"#/sandboxes/{sbx_a}",
        f"#/sandboxes/{sbx_a}/assistants",
        f"#/sandboxes/{sbx_a}/journal",
        f"#/sandboxes/{sbx_a}/threads/{thread_a}",
        f"#/sandboxes/{sbx_a}/runs/{run_a}",
    ):
        open_page(page, server, fragment)
        page.get_by_text(sbx_a if "threads/" not in fragment else thread_a).first.wait_for()
        seen.append(page.locator("body").inner_text())
    for text in seen:
        for other in (sbx_b, thread_b, run_b, "…3210"):
            assert other not in text
    assert sbx_a in seen[0]

    # another key's sandbox, or its objects through one's own: refused, and said so
    open_page(page, server, f"#/sandboxes/{sbx_b}/threads/{thread_b}")
    page.get_by_role("heading", name="Not allowed").wait_for()
    assert page.get_by_role("alert").inner_text()
    shoot(page, "not-allowed")
    check_accessibility(page, "not-allowed")
    open_page(page, server, f"#/sandboxes/{sbx_a}/runs/{run_b}")
    page.get_by_role("heading", name="Not found").wait_for()

    # the operator token sees both
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, server, server.operator_token, operator=True)
    page.get_by_role("link", name=sbx_a).wait_for()
    page.get_by_role("link", name=sbx_b).wait_for()
    shoot(page, "sandboxes")
    check_accessibility(page, "sandboxes")
    page.get_by_role("link", name=sbx_b).click()
    page.get_by_role("link", name=thread_b).click()
    page.get_by_role("heading", name=re.compile(f"Thread {thread_b}")).wait_for()
    open_page(page, server, f"#/sandboxes/{sbx_b}")
    shoot(page, "sandbox")
    check_accessibility(page, "sandbox")


def test_every_tab_of_a_sandbox_is_usable_with_the_keyboard(page, server):
    key = "sk-inspector-keys-0123456789abcdef"
    with make_client(server.base_url, key) as client:
        weather_run(client)
        client.files.create(file=("notes.txt", b"Paris is sunny"), purpose="assistants")
        client.vector_stores.create(name="Notes")
    sbx = handle_of(server, key)
    sign_in(page, server, key)
    open_page(page, server, f"#/sandboxes/{sbx}")
    for tab in ("Assistants", "Files", "Vector stores", "Journal", "Threads"):
        link = page.get_by_role("navigation", name="Sandbox sections").get_by_role(
            "link", name=re.compile(f"^{tab}")
        )
        link.focus()
        page.keyboard.press("Enter")
        page.get_by_role("heading", name=tab, level=2).wait_for()
        current = page.locator('.tabs a[aria-current="page"]')
        assert current.inner_text().startswith(tab)
        check_accessibility(page, f"sandbox tab {tab}")
    page.get_by_role("heading", name="Threads", level=2).wait_for()


def test_no_page_opens_the_change_stream_until_signed_in_and_it_closes_with_the_page(
    browser, server
):
    """The stream costs nothing while no page follows it: none before sign-in, none after the
    tab is closed."""
    requests: list[str] = []
    context = browser.new_context()
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(server.inspector_url)
    tab.get_by_role("heading", name="Sign in to the inspector").wait_for()
    assert not any("/__mock__/inspect/" in url for url in requests)
    sign_in(tab, server, KEY_A)
    tab.locator(".live-live").wait_for()
    assert sum("/__mock__/inspect/events" in url for url in requests) == 1
    context.close()


def test_a_page_following_the_stream_keeps_up_with_a_burst_of_changes(page, server):
    """Many changes while a page is open: the page ends up showing the last state, and every
    API request of the burst succeeded."""
    key = "sk-inspector-burst-0123456789abcd"
    with make_client(server.base_url, key) as client:
        thread = client.beta.threads.create()
        sign_in(page, server, key)
        open_page(page, server, f"#/sandboxes/{handle_of(server, key)}/threads/{thread.id}")
        page.locator(".live-live").wait_for()
        for n in range(40):
            client.beta.threads.messages.create(thread.id, role="user", content=f"note {n}")
    page.get_by_role("heading", name="Messages (40)").wait_for()
    page.get_by_text("note 39").wait_for()
    journal = httpx2.get(f"{server.url}/__mock__/requests", headers=bearer(key)).json()["data"]
    assert [r["status"] for r in journal if r["status"] >= 400] == []
