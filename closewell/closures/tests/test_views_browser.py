"""The Closure Record pages in a real browser: conditional questions reveal, error links reach their
field, and axe-core finds nothing on the pages ."""

import pytest
from django.core.management import call_command

from closewell.cases.models import Episode
from closewell.closures.models import ClosureRecord
from closewell.web.tests.browser import ARTIFACTS, axe_violations, click, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"closures-{name}.png"), full_page=True)
    found = axe_violations(page)
    assert not found, f"{name}: {describe(found)}"


@pytest.fixture(autouse=True)
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_writing_a_closure_record_in_the_browser(page):
    episode = Episode.objects.get(child__la_child_id="NM100001", status="open")
    sign_in(page, "worker.east")
    page.goto(f"/children/{episode.child_id}/")
    click(page, "text=Close this case")
    check(page, "start")
    page.fill("#id_decision_date_day", "20")
    page.fill("#id_decision_date_month", "11")
    page.fill("#id_decision_date_year", "2026")
    page.check("#id_decision_maker_0")
    click(page, 'button:has-text("Start the Closure Record")')
    record = ClosureRecord.objects.get(episode=episode)
    check(page, "task-list")

    click(page, f'a[href="/closures/{record.pk}/check/"]')
    click(page, 'button:has-text("Submit for authorisation")')
    check(page, "check-errors")
    # The error summary's link goes to the child's views page and its first radio.
    click(page, "text=Views of the child or young person: Say whether closure was discussed with Ellie.")
    assert page.evaluate("() => location.hash") == "#id_child_discussed_0"

    reason = page.locator("#id_child_not_discussed_reason")
    views = page.locator("#id_child_views")
    assert not reason.is_visible() and not views.is_visible()
    page.check("#id_child_discussed_1")
    assert reason.is_visible() and not views.is_visible()
    page.check("#id_child_discussed_0")
    assert views.is_visible() and not reason.is_visible()
    check(page, "child-views")
    page.fill("#id_child_discussed_date_day", "18")
    page.fill("#id_child_discussed_date_month", "11")
    page.fill("#id_child_discussed_date_year", "2026")
    views.fill("Ellie said she likes her new school.")
    click(page, 'button:has-text("Save and return to the record")')
    assert ClosureRecord.objects.get(pk=record.pk).child_views == "Ellie said she likes her new school."
    assert "Completed" in page.locator("#task-child_views-status").inner_text()

    for section in ("involvement", "interventions", "review", "reason", "parent_views"):
        page.goto(f"/closures/{record.pk}/section/{section}/")
        check(page, f"section-{section}")
    page.goto("/closures/")
    check(page, "queue")
