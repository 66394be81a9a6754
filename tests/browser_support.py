"""Real headless Chromium (Debian's package, driven by Playwright) and the app over real HTTP."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn
from xml.sax.saxutils import escape

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import IN_CI

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def skip_or_fail(reason: str) -> NoReturn:
    """Fail in CI (CI=true), where the browser must be there; skip elsewhere."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def chromium(extra_args: Sequence[str] = ()) -> Iterator[Any]:
    """Launch headless Chromium with the project's flags plus extra_args; yield the browser."""
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"{CHROMIUM} is missing: install the Debian package 'chromium'")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        skip_or_fail(f"Playwright for Python is missing ({error}): pip install playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, *extra_args],
            env={**os.environ, "FONTCONFIG_FILE": str(cjk_fontconfig())},
        )
        try:
            yield browser
        finally:
            browser.close()


def cjk_fontconfig() -> Path:
    """Return a fontconfig file that adds the project's Noto Sans CJK to the system fonts.

    A clean machine has no CJK font for Chromium, so screenshots would show Chinese as
    boxes; the printing package already installs Noto Sans CJK, so the browser uses it too.
    """
    from printing.font_source import source_path

    config = Path(tempfile.gettempdir()) / "launch-events-fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{escape(str(source_path().parent))}</dir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return config


class InFlight:
    """Counts the requests the app is answering, so a test stops serving only between them."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._count = 0
        self._idle = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        """Answer one request, counted while the app handles it."""
        with self._idle:
            self._count += 1
        try:
            return self._app(environ, start_response)
        finally:
            with self._idle:
                self._count -= 1
                self._idle.notify_all()

    def wait(self, timeout: float) -> None:
        """Wait until no request is being handled (or `timeout` seconds pass)."""
        with self._idle:
            self._idle.wait_for(lambda: self._count == 0, timeout)


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve app over HTTP on 127.0.0.1 from a background thread; yield its base URL.

    On leaving, it stops accepting and waits for the requests being handled (a door page's
    list sync, say), so the test may close the app's databases under none of them.
    """
    counted = InFlight(app)
    http = make_server("127.0.0.1", 0, counted, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join(timeout=10)
        counted.wait(timeout=10)
        http.server_close()


def screenshot(page: Any, name: str) -> None:
    """Save a full-page screenshot under test-artifacts/ to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


LIST_SYNCED = (
    "() => { const age = document.querySelector('#net').dataset.listAge;"
    " return age !== undefined && age !== '' && Number(age) >= 0; }"
)
"""True once the door page has synced a list (its age in minutes is shown)."""


def eventually(page: Any, script: str, arg: Any = None, timeout_ms: int = 10_000) -> None:
    """Evaluate the (async) function `script` every 200 ms until true; fail after `timeout_ms`.

    Not `page.wait_for_function`: when its first try fails it polls by evaluating a string in
    the page, which the pages' Content Security Policy (no 'unsafe-eval') refuses.
    """
    for _ in range(timeout_ms // 200):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"not true within {timeout_ms} ms: {script}")
