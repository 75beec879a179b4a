"""In Chromium with the demo: Back after submitting lands on "Waiting for authorisation" (never a 403),
the authorise confirmation, "Who made the decision?" revealing name and role, and the addendum's
reason. Each new page is screenshotted into test-artifacts/ and axe finds nothing on it."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from closewell.cases.models import Episode
from closewell.closures import services
from closewell.closures.models import ClosureRecord, Status
from closewell.web.tests.browser import check_page, click, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def fill_date(page, prefix: str, date) -> None:
    page.fill(f"#{prefix}_day", str(date.day))
    page.fill(f"#{prefix}_month", str(date.month))
    page.fill(f"#{prefix}_year", str(date.year))


def _ready_record(page, episode) -> ClosureRecord:
    """Start the record in the browser ("Someone else", with a role), then write every section through
    the service as the worker (the pages are tested elsewhere)."""
    today = timezone.localdate()
    sign_in(page, "worker.east")
    page.goto(f"/closures/start/{episode.pk}/")
    name, role = page.locator("#id_decision_by"), page.locator("#id_decision_by_role")
    page.check("#id_decision_maker_0")
    assert not name.is_visible() and not role.is_visible()
    page.check("input[name=decision_maker][value=other]")
    assert name.is_visible() and role.is_visible()
    fill_date(page, "id_decision_date", today)
    check_page(page, "status-start-someone-else")
    submit(page, "Start the Closure Record")
    assert (
        "Enter the name of the person who made the decision"
        in page.locator(".govuk-error-summary").inner_text()
    )
    name.fill("Ada Lane")
    role.fill("Independent reviewing officer")
    submit(page, "Start the Closure Record")
    record = ClosureRecord.objects.get(episode=episode)
    assert record.decision_maker_name == "Ada Lane (Independent reviewing officer)"
    assert "Check" in page.locator("#task-involvement-status").inner_text()
    check_page(page, "status-task-list-check")
    worker = record.author
    data = {
        "involvement": {"reason_for_involvement": record.reason_for_involvement},
        "interventions": {"interventions": record.interventions},
        "reason": {"reason_for_closure": "Ellie is settled at school and home.", "reason_code": "RC7"},
        "child_views": {
            "child_discussed": True,
            "child_discussed_date": today,
            "child_views": "Ellie said: “I am fine now.”",
        },
    }
    for section, values in data.items():
        record = services.closure_update(
            actor=worker, record=record, section=section, version=record.version, data=values
        )
    record = services.closure_update(
        actor=worker,
        record=record,
        section="review",
        version=record.version,
        data={
            a.pk: (
                {"impact": "It helped."}
                if a.is_unplanned
                else {"actual_level": "As planned", "outcome": f"Done by {today:%d %B %Y}."}
            )
            for a in episode.actions.all()
        },
    )
    views = {
        v.person_id: {"discussed": True, "discussed_date": today, "views": "She said: “Good.”"}
        for v in record.parent_views.all()
    }
    return services.closure_update(
        actor=worker, record=record, section="parent_views", version=record.version, data=views
    )


def test_back_after_submit_the_authorise_confirmation_and_the_addendum_reason(page):
    episode = Episode.objects.get(child__la_child_id="NM100001", status="open")
    record = _ready_record(page, episode)

    # Submit, then press Back: the waiting page, never "You cannot do this".
    page.goto(f"/closures/{record.pk}/")
    click(page, "text=Check your answers and submit")
    submit(page, "Submit for authorisation")
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED
    assert page.locator("h1").inner_text() == "Waiting for authorisation"
    check_page(page, "status-waiting")
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Waiting for authorisation"
    assert "You cannot do this" not in page.content()
    page.goto(f"/closures/{record.pk}/section/reason/")
    assert page.locator("h1").inner_text() == "Waiting for authorisation"
    assert (
        "submitted on"
        in page.locator(".govuk-notification-banner, .govuk-inset-text, main").first.inner_text()
    )
    page.goto("/closures/")
    assert "Waiting for authorisation" in page.locator("main").inner_text()
    check_page(page, "status-queue-worker")

    # The manager's confirmation page says what will happen, and does it only on the button.
    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    click(page, "text=Continue to authorise")
    today = timezone.localdate()
    said = page.locator("#consequence").inner_text()
    assert said.startswith(f"The case will be closed today, {today.day} {today:%B %Y}, with reason RC7")
    check_page(page, "status-authorise-confirm")
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED
    submit(page, "Authorise and close the case")
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.AUTHORISED

    # "Write an addendum" asks why first; the reason is shown on the addendum.
    sign_in(page, "worker.east")
    page.goto(f"/closures/{record.pk}/")
    click(page, "text=Write an addendum")
    assert not ClosureRecord.objects.filter(addendum_to=record).exists()
    submit(page, "Start the addendum")
    check_page(page, "status-addendum-reason-error")
    page.fill("#id_reason", "The date Ellie's views were discussed is wrong.")
    check_page(page, "status-addendum-reason")
    submit(page, "Start the addendum")
    addendum = ClosureRecord.objects.get(addendum_to=record)
    assert "The date Ellie's views were discussed is wrong." in page.locator("#addendum-reason").inner_text()
    assert addendum.addendum_reason == "The date Ellie's views were discussed is wrong."
    check_page(page, "status-addendum-task-list")
