"""The signatures and copies pages in a real browser: a signature drawn with the mouse on the pad,
a copy given through the form; axe-core clean, screenshots kept in test-artifacts/."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from closewell.accounts.models import User
from closewell.cases.models import Episode
from closewell.closures import services as closures
from closewell.documents.models import Copy, Signature
from closewell.documents.services import png_size
from closewell.web.tests.browser import check_page, sign_in

from .test_demo import _fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jayden(transactional_db):
    """The demo, with Jayden's Closure Record written and ready to sign."""
    call_command("load_demo", verbosity=0)
    worker = User.objects.get(username="worker.west")
    episode = Episode.objects.get(child__la_child_id="NM100002")
    record = closures.closure_start(
        actor=worker, episode=episode, decision_date=timezone.localdate(), decision_by="Daniel Whitcombe"
    )
    record, family = _fill(worker, record)
    return record, family


def fill_date(page, legend: str, date) -> None:
    group = page.get_by_role("group", name=re.compile(legend))
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))


def test_sign_on_screen_then_give_a_copy(page, jayden):
    record, family = jayden
    today = timezone.localdate()
    sign_in(page, "worker.west")
    page.goto(f"/documents/records/{record.pk}/signatures/")
    canvas = page.locator("canvas.closewell-signature__canvas")
    assert not canvas.is_visible()  # shown only when "Signed on screen" is chosen
    check_page(page, "documents-signatures")

    page.get_by_label("Jayden Cole (the child)").check()
    page.get_by_label("Signed on screen").check()
    assert canvas.is_visible()  # signature.js revealed the pad: no inline script needed
    assert not page.get_by_text("Signing on screen needs JavaScript").is_visible()
    check_page(page, "documents-signatures-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 120)
    page.mouse.down()
    for step in range(1, 30):
        page.mouse.move(box["x"] + 30 + step * 12, box["y"] + 120 - (step % 7) * 10, steps=2)
    page.mouse.up()
    fill_date(page, "Date", today)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-notification-banner--success").is_visible(), page.locator(
        "main"
    ).inner_text()[:800]
    signature = Signature.objects.get(record=record)
    assert signature.method == "drawn"
    width, height = png_size(bytes(signature.image), max_bytes=512 * 1024, field="image")
    assert width >= 300 and height >= 100
    assert page.get_by_role("img", name=re.compile("Signature of Jayden Cole")).is_visible()
    check_page(page, "documents-signatures-signed")

    worker = User.objects.get(username="worker.west")
    manager = User.objects.get(username="manager")
    record = closures.closure_submit(actor=worker, record=record)
    closures.closure_authorise(actor=manager, record=record)

    page.goto(f"/documents/records/{record.pk}/copies/")
    check_page(page, "documents-copies-empty")
    page.get_by_role("button", name="Give a copy").or_(page.get_by_role("link", name="Give a copy")).click()
    page.wait_for_load_state()
    check_page(page, "documents-give-a-copy")
    page.get_by_label(re.compile(r"Ryan Doyle \(parent's partner\) — has harmed")).check()
    fill_date(page, "Date given", today)
    page.get_by_label("By post").check()
    page.get_by_role("button", name="Preview the copy").click()
    page.wait_for_load_state()
    # The preview: exactly what he would get, withheld passages highlighted, names and places listed.
    assert page.get_by_role("heading", name="Check the copy for Ryan Doyle").is_visible()
    assert page.locator("mark.closewell-withheld").count() > 0
    assert "Heron Court" not in page.locator(".closewell-preview").inner_text()
    check_page(page, "documents-copy-preview")
    page.get_by_role("button", name="Ask a team manager to release it").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()  # the check was not confirmed
    check_page(page, "documents-copy-preview-error")
    page.get_by_label(re.compile("I have checked the preview")).check()
    page.get_by_role("button", name="Ask a team manager to release it").click()
    page.wait_for_load_state()
    copy = Copy.objects.get(record=record)
    assert copy.release_status == "awaiting" and copy.profile == "perpetrator"
    assert page.get_by_text("Awaiting release").is_visible()
    check_page(page, "documents-copies-register-awaiting")

    sign_in(page, "manager")
    page.goto(f"/documents/records/{record.pk}/copies/{copy.pk}/release/")
    assert page.get_by_role("button", name="Release the copy").is_visible()
    check_page(page, "documents-copy-release")
    page.get_by_role("button", name="Release the copy").click()
    page.wait_for_load_state()
    copy.refresh_from_db()
    assert copy.release_status == "released" and copy.released_by.username == "manager"
    assert page.get_by_text(copy.sha256).is_visible()
    check_page(page, "documents-copies-register")
