"""The whole story in Chromium with the demo data: the domestic-abuse case's Closure Record is written
and submitted, returned with a comment, amended, authorised, and the case shows closed that day."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from closewell.cases.models import Episode, PlannedAction
from closewell.closures.content import parents_and_carers
from closewell.closures.models import ClosureRecord, Status
from closewell.core.dates import long_date
from closewell.web.tests.browser import check_page, click, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def fill_date(page, prefix: str, date: dt.date) -> None:
    page.fill(f"#{prefix}_day", str(date.day))
    page.fill(f"#{prefix}_month", str(date.month))
    page.fill(f"#{prefix}_year", str(date.year))


def open_section(page, record: ClosureRecord, section: str) -> None:
    page.goto(f"/closures/{record.pk}/section/{section}/")


def test_domestic_abuse_case_from_writing_to_closed(page):
    today = timezone.localdate()
    episode = Episode.objects.get(child__la_child_id="NM100002", status="open")

    # The worker starts the record from the case page.
    sign_in(page, "worker.west")
    page.goto(f"/children/{episode.child_id}/")
    with page.expect_navigation():
        page.click("text=Close this case")
    fill_date(page, "id_decision_date", today)
    page.check("#id_decision_maker_0")
    submit(page, "Start the Closure Record")
    record = ClosureRecord.objects.get(episode=episode)
    check_page(page, "story-task-list")

    # Review of planned actions: the actual level and outcome of every action not yet recorded.
    open_section(page, record, "review")
    for action in PlannedAction.objects.filter(episode=episode):
        if action.is_unplanned:
            if not action.impact:
                page.fill(f"#id_impact_{action.pk}", "Helped the family through a hard week.")
            continue
        if not action.actual_level:
            page.fill(f"#id_actual_level_{action.pk}", "As planned")
        if not action.outcome:
            page.fill(f"#id_outcome_{action.pk}", f"Done by {long_date(today)}.")
    check_page(page, "story-review")
    submit(page, "Save and return to the record")

    # The pre-filled sections show "Check" until the worker has read and saved them.
    for section in ("involvement", "interventions"):
        open_section(page, record, section)
        submit(page, "Save and return to the record")

    open_section(page, record, "reason")
    page.fill("#id_reason_for_closure", "Jayden is safe at home with his mum. Ryan Doyle is in prison.")
    page.check("input[name=reason_code][value=RC7]")
    submit(page, "Save and return to the record")

    open_section(page, record, "child_views")
    page.check("input[name=child_discussed][value=yes]")
    fill_date(page, "id_child_discussed_date", today)
    page.fill("#id_child_views", "Jayden said: “I like it when it’s just me and Mum.”")
    submit(page, "Save and return to the record")

    open_section(page, record, "parent_views")
    for link in parents_and_carers(episode):
        pid = link.person_id
        if link.person.first_name == "Leanne":
            page.check(f"input[name=parent_{pid}_discussed][value=yes]")
            fill_date(page, f"id_parent_{pid}_discussed_date", today)
            page.fill(f"#id_parent_{pid}_views", "Leanne said she is ready to manage without us.")
        else:
            page.check(f"input[name=parent_{pid}_discussed][value=no]")
            page.fill(
                f"#id_parent_{pid}_not_discussed_reason", f"{link.person.full_name} could not be reached."
            )
    submit(page, "Save and return to the record")

    open_section(page, record, "domestic_abuse")
    page.fill("#id_da_work_with_perpetrator", "Ryan Doyle is on the prison's domestic abuse programme.")
    page.fill("#id_da_if_released", "Probation tell us before release; a new assessment starts at once.")
    page.fill("#id_da_if_resumed", "Leanne knows to call us; a new referral would be made the same day.")
    submit(page, "Save and return to the record")

    page.goto(f"/closures/{record.pk}/check/")
    check_page(page, "story-check")
    submit(page, "Submit for authorisation")
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED, page.locator(".govuk-error-summary").all_inner_texts()

    # The manager returns it with a comment on the reason for closure.
    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    check_page(page, "story-review-manager")
    beside_reason = page.locator("#comments-reason")
    beside_reason.get_by_text("Add a comment").click()
    beside_reason.locator("textarea").first.fill("Say what has changed for Jayden, not only where Ryan is.")
    submit(page, "Return for amendment")
    record.refresh_from_db()
    assert record.status == Status.RETURNED

    # The worker sees the comment, fixes the section and submits again.
    sign_in(page, "worker.west")
    page.goto(f"/closures/{record.pk}/")
    assert "Needs attention" in page.locator("#task-reason-status").inner_text()
    assert page.get_by_text("Say what has changed for Jayden").first.is_visible()
    check_page(page, "story-returned")
    open_section(page, record, "reason")
    page.fill("#id_reason_for_closure", "Jayden sleeps through the night and goes to school every day.")
    submit(page, "Save and return to the record")
    # The comment is answered and marked dealt with before the record goes back.
    comment = record.comments.get(section="reason")
    open_section(page, record, "reason")
    page.fill(f"#id_comment-{comment.pk}-answer", "The reason now says how Jayden's days have changed.")
    page.check(f"#id_comment-{comment.pk}-dealt_with")
    click(page, f'#comment-{comment.pk} button:has-text("Save your answer")')
    assert page.locator(f"#comment-{comment.pk} .govuk-tag", has_text="Dealt with").count() == 1
    page.goto(f"/closures/{record.pk}/check/")
    submit(page, "Submit for authorisation")

    # The manager authorises: the case is closed from that moment.
    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    click(page, "text=Continue to authorise")
    submit(page, "Authorise and close the case")
    check_page(page, "story-authorised")
    episode.refresh_from_db()
    assert episode.status == "closed" and episode.closure_date == today
    page.goto(f"/children/{episode.child_id}/")
    assert long_date(today) in page.locator("main").inner_text()
    check_page(page, "story-case-closed")
