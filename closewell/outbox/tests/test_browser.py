"""The administrator's "Emails that could not be sent" in Chromium: the list with the mail server's
error, the chosen email sent again; axe-clean (WCAG 2.2 AA and best practice), screenshots in
test-artifacts/."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from closewell.outbox.models import EmailStatus, OutboxEmail
from closewell.web.tests.browser import (
    ARTIFACTS,
    AXE_TAGS_AND_BEST_PRACTICE,
    axe_violations,
    click,
    describe,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    violations = axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE)
    assert not violations, f"{name}: {describe(violations)}"


def test_the_administrator_sees_and_resends_emails_that_could_not_be_sent(page):
    call_command("load_demo", verbosity=0)
    email = OutboxEmail.objects.create(
        to=["manager@example.invalid"],
        subject="Closure Record to authorise",
        body="Sam Worker submitted the Closure Record for a child.",
        status=EmailStatus.FAILED,
        attempts=5,
        next_attempt_at=timezone.now(),
        last_attempt_at=timezone.now(),
        last_error="SMTPRecipientsRefused: {'manager@example.invalid': (451, b'4.3.0 Mailbox busy')}",
    )
    sign_in(page, "admin")
    page.goto("/admin/")
    assert page.locator("a:has-text('Emails that could not be sent')").count() == 1
    click(page, "a:has-text('Emails that could not be sent')")
    assert "Mailbox busy" in page.content() and "for a child" not in page.content()
    check(page, "admin-failed-emails")

    page.check(f"input[name=_selected_action][value='{email.pk}']")
    page.select_option("select[name=action]", "send_again")
    click(page, "button[name=index]")
    assert "will be sent again" in page.content()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT  # the tests' queue runs the task at once
    check(page, "admin-failed-emails-sent-again")
