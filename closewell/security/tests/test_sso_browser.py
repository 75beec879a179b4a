"""Single sign-on in Chromium: the sign-in page with "Sign in with …" (axe clean), off to the real test
provider on loopback, its sign-in page, and back signed in with the mapped role; the page that refuses
someone in no mapped group. Screenshots kept in test-artifacts/."""

import pytest

from closewell.accounts.models import Role
from closewell.accounts.tests.factories import TeamFactory
from closewell.security.tests.oidc_provider.management.commands.provider_user import PASSWORD
from closewell.web.tests.browser import check_page, click

from .test_sso import EAST_WORKERS, approved

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def east_workers(transactional_db):
    east = TeamFactory(name="Northmoor East Family Support")
    approved(group=EAST_WORKERS, role=Role.SOCIAL_WORKER, team=east)
    return east


def at_the_provider(page, sso, username: str) -> None:
    """The council's sign-in page (the test provider's), then back to Closewell."""
    assert page.url.startswith(sso.url), page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    click(page, "button:has-text('Sign in')")


def test_signing_in_through_the_council_provider(page, sso, east_workers):
    sso.user("jo.bloggs", EAST_WORKERS, first="Jo", last="Bloggs")
    page.goto("/login/")
    check_page(page, "sso-sign-in")
    start = page.get_by_role("button", name="Sign in with Northmoor council account")
    assert start.is_visible()
    start.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    at_the_provider(page, sso, "jo.bloggs")
    assert "/cases/" in page.url and not page.url.startswith(sso.url), page.url
    assert page.get_by_role("heading", name="My cases").is_visible()
    check_page(page, "sso-signed-in")


def test_someone_in_no_mapped_group_is_told_why(page, sso, east_workers):
    sso.user("pat.stranger", "finance-team")
    page.goto("/login/")
    click(page, "text=Sign in with Northmoor council account")
    at_the_provider(page, sso, "pat.stranger")
    assert page.get_by_role("heading", name="You cannot sign in").is_visible()
    assert page.get_by_text("not in a group that gives access to Closewell").is_visible()
    check_page(page, "sso-refused")
