"""The foundation's pages in a real browser: keyboard only, axe-core clean, screenshots kept."""

import re

import pytest
from django.core.management import call_command

from .browser import DEMO_PASSWORD, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def press(page, key: str) -> None:
    """Press a key that navigates, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def sign_in_by_keyboard(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    press(page, "Enter")


def test_login_page_and_a_wrong_password(page):
    page.goto("/login/")
    check_page(page, "login")
    page.get_by_label("Username").fill("worker.west")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    check_page(page, "login-error")


def test_worker_finds_a_case_and_records_a_contact_by_keyboard(page):
    sign_in_by_keyboard(page, "worker.west")
    assert "/cases/" in page.url
    check_page(page, "my-cases")
    page.get_by_role("link", name=re.compile("Jayden Cole")).first.focus()
    press(page, "Enter")
    assert page.get_by_role("heading", name=re.compile("Jayden Cole")).first.is_visible()
    check_page(page, "case-page")

    page.locator("a", has_text="Add a contact").first.focus()
    press(page, "Enter")
    check_page(page, "contact-form")
    page.get_by_role("button", name=re.compile("Save")).focus()
    press(page, "Enter")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    check_page(page, "contact-form-errors")


def test_search_by_name_and_by_la_child_id(page):
    sign_in_by_keyboard(page, "manager")
    page.goto("/search/?q=Cole")
    assert page.get_by_role("link", name=re.compile("Jayden Cole")).count() >= 1
    check_page(page, "search")
    page.goto("/search/?q=NM100002")
    assert page.get_by_role("link", name=re.compile("Jayden Cole")).count() >= 1


def test_team_cases_and_accessibility_statement(page):
    sign_in_by_keyboard(page, "manager")
    page.goto("/team/")
    check_page(page, "team-cases")
    page.goto("/accessibility/")
    check_page(page, "accessibility-statement")


def test_another_teams_child_is_not_found(page):
    sign_in_by_keyboard(page, "worker.east")
    page.goto("/search/?q=NM100002")
    assert page.get_by_role("link", name=re.compile("Jayden Cole")).count() == 0
    check_page(page, "search-empty")
