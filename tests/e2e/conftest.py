"""Browser fixtures for the e2e tests: a real server and Debian's Chromium (helpers in
``tests.e2e.navigateur``).

Needs Playwright (``pip install -e .[e2e]``) and Debian's Chromium (``apt-get install
chromium``, launched by path: no browser download); skipped otherwise, and in CI unless
``E2E`` is set — with ``E2E`` set (``make test-e2e``), a missing one is an error.
"""
from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.e2e.navigateur import CHROMIUM


def _absent() -> str | None:
    if os.environ.get("CI") and not os.environ.get("E2E"):
        return "tests navigateur lancés en CI seulement avec E2E=1"
    if not os.path.exists(CHROMIUM):
        return "Chromium absent (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright absent (pip install -e .[e2e])"
    return None


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    reason = _absent()
    if reason and os.environ.get("E2E") and any(
            here in Path(str(item.fspath)).parents for item in items):
        # asked for (make test-e2e, .ci/run): a missing browser is a failure, not a skip
        raise pytest.UsageError(f"tests navigateur demandés (E2E=1) mais impossibles : {reason}")
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
            # the threaded dev server leaks a static file handle when the browser aborts a
            # request on reload: not the application's doing
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(pytest.mark.filterwarnings(
                "ignore::pytest.PytestUnraisableExceptionWarning"))


@pytest.fixture
def server(app):
    """The app (demo data freshly restored) served on 127.0.0.1 on a free port, with CSRF
    protection on as in production (the unit tests switch it off)."""
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SERVER_NAME"] = None
    app.config["WTF_CSRF_ENABLED"] = True
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    app.config["SERVER_NAME"] = "tet.test"
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def browser():
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=fr-FR",
            "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def pytest_terminal_summary(terminalreporter):
    """The axe-core violations the journeys recorded (``tests.e2e.parcours``), also written
    next to the screenshots."""
    from tests.e2e.parcours import AXE_REPORT, rapport_axe

    if not AXE_REPORT:
        return
    text = rapport_axe()
    terminalreporter.section("axe-core : violations graves ou critiques relevées (non bloquantes)")
    terminalreporter.write_line(text)
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        Path(folder, "axe.txt").write_text(text + "\n", encoding="utf-8")
