"""Shared fixtures: two teams with a case in the first, and the browser for the browser tests.
Anything more belongs beside its tests."""

import os

import pytest
from hypothesis import settings

from closewell.accounts.tests.factories import TeamFactory, UserFactory
from closewell.cases.tests.factories import EpisodeFactory

# No test is timed (make bench measures): Hypothesis's per-example deadline failed property tests on a
# busy machine, where an example took longer than 200 ms for want of a CPU.
settings.register_profile("closewell", deadline=None)
settings.load_profile("closewell")


@pytest.fixture
def team(db):
    return TeamFactory(name="Northmoor Assessment Team")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Southvale Family Support Team")


@pytest.fixture
def worker(team):
    return UserFactory(team=team)


@pytest.fixture
def episode(team, worker):
    """An open episode of the first team, allocated to `worker`."""
    return EpisodeFactory(team=team, worker=worker)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one per test run (never a downloaded browser)."""
    from closewell.web.tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium  # noqa: PLC0415

    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make happen
    # outside it, so Django's async-safety guard does not apply.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (heavy, only for browser tests)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context on the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
