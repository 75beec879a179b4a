"""No text lost, in Chromium: the timeout warning (axe clean, keyboard operable), and a time-out
while typing keeps the text, with JavaScript (autosave) and without (the server keeps the post)."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from closewell.cases.models import Child, Contact
from closewell.web.tests.browser import ARTIFACTS, check_page, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Jayden showed me the garden he has been planting with his grandad. He said: “I like it here.”"
BANNER = "What you typed and had not saved has been put back into the form"


@pytest.fixture(autouse=True)
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def screenshot(page, name: str) -> None:
    """Without JavaScript axe-core cannot run in the page: the same banners are checked with axe in
    the test with JavaScript; here the page is kept for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def contact_url() -> str:
    child = Child.objects.get(first_name="Jayden", last_name="Cole")
    return f"/children/{child.pk}/contacts/add/"


def fill_contact(page) -> None:
    day = timezone.localdate() - dt.timedelta(days=1)
    page.fill("#id_occurred_at_day", str(day.day))
    page.fill("#id_occurred_at_month", str(day.month))
    page.fill("#id_occurred_at_year", str(day.year))
    page.fill("#id_occurred_at_time", "10:30")
    page.check("#id_kind_0")


def test_the_timeout_warning_and_a_time_out_while_typing_with_javascript(page, settings):
    settings.SESSION_COOKIE_AGE = 20  # the warning comes 10 seconds before sign-out
    settings.SESSION_REFRESH_SECONDS = 1
    sign_in(page, "worker.west")
    url = contact_url()
    page.goto(url)
    fill_contact(page)
    page.locator("#id_note").press_sequentially(NOTE[:40], delay=5)
    page.fill("#id_note", NOTE)
    page.locator("#id_note").focus()

    dialog = page.locator("#timeout-warning")
    dialog.wait_for(state="visible", timeout=20_000)
    assert page.evaluate("document.activeElement.id") == "timeout-heading"
    assert dialog.get_attribute("aria-labelledby") == "timeout-heading"
    assert page.evaluate("document.querySelector('#timeout-warning').matches(':modal')")
    check_page(page, "timeout-warning")
    # Keyboard: Tab reaches "Stay signed in", Enter keeps the session; focus goes back to the note.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=5_000)
    assert page.evaluate("document.activeElement.id") == "id_note"

    # Escape is "Stay signed in" too.
    dialog.wait_for(state="visible", timeout=20_000)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=5_000)

    # Now nothing: signed out at the end, the draft kept, back to the page after signing in.
    dialog.wait_for(state="visible", timeout=20_000)
    page.wait_for_url("**/login/?next=*signed_out=idle", timeout=20_000)
    assert "You were signed out because you had not done anything for a while" in page.content()
    check_page(page, "signed-out-idle")
    settings.SESSION_COOKIE_AGE = 1800
    page.fill("#id_username", "worker.west")
    page.fill("#id_password", "closewell-demo")
    submit(page, "Sign in")
    assert page.url.endswith(url)
    assert BANNER in page.content()
    assert page.input_value("#id_note") == NOTE
    assert page.input_value("#id_occurred_at_time") == "10:30"
    check_page(page, "draft-restored-js")
    before = Contact.objects.count()
    submit(page, "Save")
    assert Contact.objects.count() == before + 1
    page.goto(url)
    assert BANNER not in page.content()


def test_typing_keeps_the_session_alive(page, settings):
    settings.SESSION_COOKIE_AGE = 9
    settings.SESSION_REFRESH_SECONDS = 1
    sign_in(page, "worker.west")
    page.goto(contact_url())
    # Twenty seconds of typing, more than twice the idle time: still signed in, no warning.
    for _ in range(20):
        page.locator("#id_note").press_sequentially("word ", delay=20)
        page.wait_for_timeout(900)
    assert not page.locator("#timeout-warning").is_visible()
    assert "/login/" not in page.url
    fill_contact(page)
    before = Contact.objects.count()
    submit(page, "Save")
    assert Contact.objects.count() == before + 1


def test_a_time_out_while_typing_without_javascript(browser, live_server, settings):
    settings.SESSION_COOKIE_AGE = 20
    settings.SESSION_REFRESH_SECONDS = 1
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        sign_in(page, "worker.west")
        url = contact_url()
        page.goto(url)
        opened = time.monotonic()  # the last request: the session ends 20 seconds after it
        fill_contact(page)
        page.fill("#id_note", NOTE)
        time.sleep(max(0, opened + 22 - time.monotonic()))  # the worker is still typing
        before = Contact.objects.count()
        submit(page, "Save")
        assert "/login/?next=" in page.url and "signed_out=kept" in page.url
        assert "it has been kept for you" in page.content()
        assert Contact.objects.count() == before  # never replayed
        screenshot(page, "signed-out-kept-no-js")
        settings.SESSION_COOKIE_AGE = 1800
        page.fill("#id_username", "worker.west")
        page.fill("#id_password", "closewell-demo")
        submit(page, "Sign in")
        assert page.url.endswith(url)
        assert BANNER in page.content()
        assert page.input_value("#id_note") == NOTE
        screenshot(page, "draft-restored-no-js")

        submit(page, "Save")
        assert Contact.objects.count() == before + 1
    finally:
        context.close()
