"""Browser tests: Debian's chromium driven by Playwright's sync API against pytest-django's live server.

Run them in their own pytest process (`pytest -m browser -p no:asyncio`; `./dev test` does this):
Playwright's sync API runs an event loop in the main thread, which upsets async tests and
Django's async-unsafe check in the same process.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError
from django.test import Client

# Playwright's sync API keeps an event loop running in the main thread; Django would otherwise
# refuse ORM calls from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
E2E_DIR = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test in tests/e2e is a browser test, so `-m browser` / `-m "not browser"` split the suite."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing, so the browser tests cannot run. Install Debian's chromium "
            "(`apt-get install chromium`, or run `./dev test`, which installs it).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _data_migration_rows(request):
    """Browser tests use a flushed database (transactional_db), which also empties the rows the data
    migrations load, such as planning's rates table: put them back as the migration does, so a test does
    not depend on running first."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    importlib.import_module("planning.migrations.0002_seed_rates").seed(apps, None)
    yield


@pytest.fixture
def new_context(browser, live_server, transactional_db):
    """Make fresh browser contexts (separate cookie jars: one per person) that are closed after the test."""
    contexts = []

    def make(**options):
        options = {"viewport": DESKTOP, "base_url": live_server.url, "locale": "en-GB", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def _force_login(client, user) -> None:
    """Sign in through the session table. On SQLite the tests' in-memory database is shared with the live
    server's threads, and a request still finishing can hold the session table for a moment ("database table
    is locked", which SQLite's busy timeout does not cover): wait for it to be free, up to a deadline."""
    deadline = time.monotonic() + 15
    while True:
        try:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            return
        except (OperationalError, UpdateError) as error:
            cause = error.__cause__ or error.__context__ or error
            if "locked" not in f"{error} {cause}" or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture
def signed_in_page(new_context, live_server):
    """A page in its own context, signed in as `user` through a forced session cookie (no UI)."""

    def make(user):
        client = Client()
        _force_login(client, user)
        context = new_context()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    return make
