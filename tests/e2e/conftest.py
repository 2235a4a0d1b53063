"""Browser end-to-end fixtures: the real app served by uvicorn in a background thread over a
temporary SQLite database holding three fictional users, and one headless Chromium per session.

The tests are skipped when ``/usr/bin/chromium`` is missing, unless ``HRDWATCH_REQUIRE_BROWSER``
is set: then a missing browser fails them. Nothing is downloaded: Playwright drives the system
Chromium. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.interfaces.app import create_app
from hrdwatch.services import accounts
from hrdwatch.services.database import open_database

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = "HRDWATCH_REQUIRE_BROWSER"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
PASSWORD = "e2e-Passphrase-1234"
USERS = {"admin": "odalys.admin", "editor": "tamsin.editor", "viewer": "bruno.viewer"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 20.0
#: says which element and script broke the CSP (the browser's own message names neither)
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const target = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 300) : String(e.target);
  console.warn("Content Security Policy violation: " + e.violatedDirective + " at " + e.sourceFile + ":"
    + e.lineNumber + ":" + e.columnNumber + " on " + target);
});
"""


@dataclass(frozen=True, slots=True)
class LiveServer:
    url: str
    engine: Engine
    settings: Settings


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _missing_browser(reason: str) -> None:
    """Skip, or fail when the environment says a browser is required."""
    if os.environ.get(REQUIRE_BROWSER):
        pytest.fail(f"{reason}, and {REQUIRE_BROWSER} is set", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set {REQUIRE_BROWSER}=1 to make this a failure)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing_browser(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The whole app on a free port of 127.0.0.1, over a fresh database with admin, editor, viewer."""
    folder = tmp_path_factory.mktemp("e2e")
    settings = Settings(db=f"sqlite:///{folder / 'e2e.db'}", env="development")
    engine = open_database(settings)
    operator = accounts.cli_principal("e2e")
    for role, username in USERS.items():
        accounts.create_user(engine, operator, username=username, password=PASSWORD, role=role)
    app = create_app(settings, engine=engine)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", engine, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@dataclass
class Console:
    """What the page said in its console, and the script errors it raised."""

    messages: list[str]
    errors: list[str]

    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if "Content Security Policy" in m]


@pytest.fixture
def console() -> Console:
    return Console([], [])


@pytest.fixture
def page(browser: Any, live_server: LiveServer, console: Console) -> Iterator[Any]:
    """A fresh browser context on the live server, listening to the console."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_init_script(REPORT_VIOLATIONS)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.on(
        "console",
        lambda message: console.messages.append(
            f"{message.type} on {tab.url} ({message.location.get('url', '?')}): {message.text}"
        ),
    )
    tab.on("pageerror", lambda error: console.errors.append(str(error)))
    yield tab
    context.close()
