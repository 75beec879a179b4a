"""In Chromium, with the demo: (a) a signature goes out of date when the record changes and the record
is refused submission and authorisation until it is signed again or kept with a reason; (b) the
return loop closes: the manager comments beside two sections, the worker answers and marks each dealt
with, the statuses follow, the record goes back, and the manager sees each comment, its answer and
the highlighted difference. Every page axe-clean, screenshots in test-artifacts/."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from closewell.accounts.models import User
from closewell.cases.models import Episode
from closewell.cases.services import action_update
from closewell.closures import selectors
from closewell.closures import services as closures
from closewell.closures.models import ClosureRecord, Status
from closewell.documents.models import Signature
from closewell.documents.tests.test_demo import _fill
from closewell.web.tests.browser import ARTIFACTS, check_page, click, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCAN = {"name": "signed.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj\n%%EOF\n"}


@pytest.fixture
def jayden(transactional_db):
    """The demo, with Jayden's Closure Record written by worker.west and ready to submit."""
    call_command("load_demo", verbosity=0)
    worker = User.objects.get(username="worker.west")
    episode = Episode.objects.get(child__la_child_id="NM100002")
    # Someone else made the decision, named with their role, as the reason section's page asks.
    record = closures.closure_start(
        actor=worker,
        episode=episode,
        decision_date=timezone.localdate(),
        decision_by="Daniel Whitcombe",
        decision_by_role="Social worker",
    )
    record, _ = _fill(worker, record)
    return record


def fill_date(page, date) -> None:
    page.fill("#id_signed_on_day", str(date.day))
    page.fill("#id_signed_on_month", str(date.month))
    page.fill("#id_signed_on_year", str(date.year))


def sign_on_paper(page, record, comment: str = "") -> None:
    page.goto(f"/documents/records/{record.pk}/signatures/")
    page.get_by_label("Jayden Cole (the child)").check()
    page.get_by_label("Signed on paper").check()
    page.set_input_files("#id_scan", files=[SCAN])
    fill_date(page, timezone.localdate())
    if comment:
        page.fill("#id_comment", comment)
    click(page, 'button:has-text("Save")')


def test_a_signature_goes_out_of_date_and_the_record_waits_for_a_new_one(page, jayden):
    record = jayden
    sign_in(page, "worker.west")
    page.goto(f"/documents/records/{record.pk}/signatures/")
    assert page.get_by_role("heading", name="What they are signing").is_visible()
    assert page.get_by_text("Signing does not mean you agree with everything in it").is_visible()
    check_page(page, "signatures-what-they-sign")
    sign_on_paper(page, record, comment="I want to keep seeing my nan on Saturdays.")
    assert Signature.objects.get(record=record).comment == "I want to keep seeing my nan on Saturdays."

    page.goto(f"/closures/{record.pk}/")
    assert page.locator("#task-signatures-status").inner_text().strip() == "In progress"
    check_page(page, "task-list-signatures")

    # The worker changes a section after Jayden signed.
    page.goto(f"/closures/{record.pk}/section/reason/")
    box = page.locator("#id_reason_for_closure")
    box.fill(box.input_value() + " Jayden goes to the youth club on Tuesdays.")
    click(page, 'button:has-text("Save and return to the record")')
    assert page.locator("#task-signatures-status").inner_text().strip() == "Out of date"
    assert page.get_by_text("Jayden Cole's signature is out of date").first.is_visible()
    check_page(page, "task-list-signature-out-of-date")

    page.goto(f"/closures/{record.pk}/check/")
    assert page.locator("#section-signatures").get_by_text("Out of date").first.is_visible()
    click(page, 'button:has-text("Submit for authorisation")')
    summary = page.locator(".govuk-error-summary")
    assert "Signatures: Jayden Cole's signature is out of date" in summary.inner_text()
    check_page(page, "check-signature-out-of-date")
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.DRAFT

    click(page, "text=Signatures: Jayden Cole's signature is out of date")
    assert page.get_by_text("Out of date").first.is_visible()
    check_page(page, "signatures-out-of-date")
    click(page, "text=Keep with a reason")
    check_page(page, "signature-keep")
    click(page, 'a:has-text("Cancel")')
    # Signed again: the record goes forward.
    click(page, 'button:has-text("Remove")')
    sign_on_paper(page, record)
    page.goto(f"/closures/{record.pk}/check/")
    click(page, 'button:has-text("Submit for authorisation")')
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED

    # While it waits, a planned action the record reviews changes: authorisation is refused.
    worker = User.objects.get(username="worker.west")
    action = record.episode.actions.order_by("pk").first()
    action_update(actor=worker, action=action, outcome=(action.outcome or "") + " Finished in June.")
    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    click(page, "text=Continue to authorise")
    click(page, 'button:has-text("Authorise and close the case")')
    assert "signature is out of date" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, "review-signature-out-of-date")
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED

    # The worker keeps it with a reason; now the manager can authorise.
    sign_in(page, "worker.west")
    signature = Signature.objects.get(record=record)
    page.goto(f"/documents/records/{record.pk}/signatures/{signature.pk}/keep/")
    page.fill("#id_reason", "Only the end date of the sessions was added; Jayden read this part.")
    click(page, 'button:has-text("Keep the signature")')
    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    click(page, "text=Continue to authorise")
    click(page, 'button:has-text("Authorise and close the case")')
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.AUTHORISED


def test_the_return_loop_closes(page, jayden):
    worker = User.objects.get(username="worker.west")
    record = closures.closure_submit(actor=worker, record=jayden)
    old_reason = record.reason_for_closure

    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    reason = page.locator("#comments-reason")
    reason.get_by_text("Add a comment").click()
    reason.locator("textarea").first.fill("Take out the address: it must not be on the record.")
    click(page, '#comments-reason button:has-text("Add another comment")')
    reason = page.locator("#comments-reason")
    assert reason.locator("textarea").count() == 2
    assert reason.locator("textarea").first.input_value().startswith("Take out the address")
    reason.locator("textarea").nth(1).fill("Say what Jayden does now after school.")
    views = page.locator("#comments-child_views")
    views.get_by_text("Add a comment").click()
    views.locator("textarea").first.fill("When and where did Jayden say this?")
    check_page(page, "review-comments-beside-sections")
    page.locator("#comments-reason").screenshot(path=str(ARTIFACTS / "review-comments-beside-reason.png"))
    click(page, 'button:has-text("Return for amendment")')
    record.refresh_from_db()
    assert record.status == Status.RETURNED
    assert record.comments.count() == 3

    sign_in(page, "worker.west")
    page.goto(f"/closures/{record.pk}/")
    assert page.locator("#task-reason-status").inner_text().strip() == "Needs attention"
    assert page.locator("#task-child_views-status").inner_text().strip() == "Needs attention"
    assert page.get_by_text("Manager's comment: When and where did Jayden say this?").is_visible()
    check_page(page, "task-list-returned")

    page.goto(f"/closures/{record.pk}/section/reason/")
    page.fill(
        "#id_reason_for_closure",
        "Jayden and Ms Cole are safe and settled. Jayden goes to the youth club after school.",
    )
    click(page, 'button:has-text("Save and return to the record")')
    page.goto(f"/closures/{record.pk}/section/reason/")
    check_page(page, "section-comments-to-answer")
    for comment in record.comments.filter(section="reason").order_by("pk"):
        prefix = f"#id_comment-{comment.pk}"
        page.fill(f"{prefix}-answer", "Done: the address is out and the youth club is in.")
        page.check(f"{prefix}-dealt_with")
        click(page, f'#comment-{comment.pk} button:has-text("Save your answer")')
    assert page.locator(".govuk-tag", has_text="Dealt with").count() == 2
    page.goto(f"/closures/{record.pk}/")
    assert page.locator("#task-reason-status").inner_text().strip() == "Completed"
    assert page.locator("#task-child_views-status").inner_text().strip() == "Needs attention"

    comment = record.comments.get(section="child_views")
    page.goto(f"/closures/{record.pk}/section/child_views/")
    page.fill(f"#id_comment-{comment.pk}-answer", "He said it at home on the day of my visit.")
    page.check(f"#id_comment-{comment.pk}-dealt_with")
    click(page, f'#comment-{comment.pk} button:has-text("Save your answer")')
    page.goto(f"/closures/{record.pk}/")
    assert page.locator("#task-child_views-status").inner_text().strip() == "Completed"
    body = page.locator("main").inner_text()
    required = sum(not task["optional"] for task in selectors.task_list(record))
    assert f"You have completed {required} of {required} sections" in body
    check_page(page, "task-list-comments-dealt-with")
    page.goto(f"/closures/{record.pk}/check/")
    click(page, 'button:has-text("Submit for authorisation")')
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED

    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    beside = page.locator("#comments-reason")
    assert beside.get_by_text("Take out the address").is_visible()
    assert beside.get_by_text("Done: the address is out and the youth club is in.").first.is_visible()
    diff = page.locator("#diff-reason")
    assert diff.locator("ins").count() >= 1 and diff.locator("del").count() >= 1
    assert "youth club" in " ".join(diff.locator("ins").all_inner_texts())
    assert "Heron Court" in " ".join(diff.locator("del").all_inner_texts())
    assert "Heron Court" in old_reason
    assert page.locator("#diff-child_views").inner_text().startswith("Nothing in this section changed")
    page.locator("#comments-reason").scroll_into_view_if_needed()
    check_page(page, "review-answers-and-difference")
    # The part a person looks at, at a readable size: the reason's card, its comments and difference.
    page.locator("#section-reason, #comments-reason").last.screenshot(
        path=str(ARTIFACTS / "review-answers-and-difference-reason.png")
    )
