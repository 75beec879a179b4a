"""Writes to the outbox: queue an email with the change it tells of, send it, try again, give up.

An email is a row written in the caller's transaction: a change that rolls back sends nothing, and a
committed change always has its email, even if the mail server is down at that moment. The row is
sent by a task (deliver_email, below) after the commit; every attempt's outcome is kept on it.
"""

import datetime as dt
import logging
import smtplib
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from closewell.audit.models import Action
from closewell.audit.services import log_event

from .models import EmailStatus, OutboxEmail

logger = logging.getLogger(__name__)

# A send that started this long ago and never finished was cut off (its worker died): it is tried again.
STUCK_AFTER = dt.timedelta(minutes=15)
# What a failed send is recorded as: the mail server's refusal, or its connection failing.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def email_queue(*, to: list[str], subject: str, body: str) -> OutboxEmail | None:
    """Queue one email, inside the caller's transaction; the send is started once it commits.
    Recipients without an address are left out; with none left, nothing is queued."""
    addresses = [address for address in to if address]
    if not addresses:
        return None
    email = OutboxEmail(to=addresses, subject=subject, body=body, next_attempt_at=timezone.now())
    email.full_clean()
    email.save()
    transaction.on_commit(partial(_enqueue, email.pk), robust=True)
    return email


def _enqueue(email_id: int, at: dt.datetime | None = None) -> None:
    """Hand the email to the queue, to run now or at `at` (a later try)."""
    task = deliver_email.using(run_after=at) if at and at > timezone.now() else deliver_email
    task.enqueue(email_id)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long after its n-th failed try an email is tried again: OUTBOX_RETRY_SECONDS, doubling."""
    return dt.timedelta(seconds=settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def email_deliver(*, email_id: int) -> OutboxEmail | None:
    """Send one email if it is waiting and due. Claimed first by one conditional UPDATE (waiting →
    being sent), so two workers given the same email never both send it; the SMTP conversation
    happens outside any transaction (it may take EMAIL_TIMEOUT seconds). A failure is recorded with
    the server's words and tried again after retry_delay(); after OUTBOX_MAX_ATTEMPTS tries the email
    is marked as could not be sent, for the administrator to see. Returns the email, or None when it
    was not this call's to send."""
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(
        pk=email_id, status=EmailStatus.PENDING, next_attempt_at__lte=now
    ).update(status=EmailStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return None
    email = OutboxEmail.objects.get(pk=email_id)
    try:
        EmailMessage(email.subject, email.body, None, email.to).send(fail_silently=False)
    except SEND_ERRORS as error:
        return _record_failure(email, error)
    email.status, email.sent_at, email.last_error = EmailStatus.SENT, timezone.now(), ""
    email.save(update_fields=["status", "sent_at", "last_error"])
    return email


def _record_failure(email: OutboxEmail, error: Exception) -> OutboxEmail:
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        email.status = EmailStatus.FAILED
        logger.error(
            "Email %s could not be sent after %s tries: %s", email.pk, email.attempts, email.last_error
        )
    else:
        email.status = EmailStatus.PENDING
        email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
    email.save(update_fields=["status", "last_error", "next_attempt_at"])
    if email.status == EmailStatus.PENDING:
        _enqueue(email.pk, email.next_attempt_at)
    return email


@transaction.atomic
def email_retry(*, actor, email: OutboxEmail) -> OutboxEmail:
    """Send again an email that could not be sent (the administrator's action, once the mail server
    is put right): it gets a fresh set of tries. Audited: who asked, and when."""
    email = OutboxEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != EmailStatus.FAILED:
        return email
    email.status, email.attempts, email.next_attempt_at = EmailStatus.PENDING, 0, timezone.now()
    email.save(update_fields=["status", "attempts", "next_attempt_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=email,
        summary="Asked for an email that could not be sent to be sent again",
        before={"status": EmailStatus.FAILED},
        after={"status": EmailStatus.PENDING},
    )
    transaction.on_commit(partial(_enqueue, email.pk), robust=True)
    return email


def outbox_sweep() -> int:
    """Queue again what is due but no task will send: an email whose task was lost (the queue was
    emptied, a Redis restarted without its data) or whose send was cut off by a dying worker. The
    scheduler runs this every few minutes; sending stays once-only (email_deliver claims first)."""
    now = timezone.now()
    stuck = OutboxEmail.objects.filter(status=EmailStatus.SENDING, last_attempt_at__lt=now - STUCK_AFTER)
    stuck.update(status=EmailStatus.PENDING, next_attempt_at=now - dt.timedelta(minutes=1))
    # A minute's grace: an email queued or failed just now has its task on the way.
    due = list(
        OutboxEmail.objects.filter(
            status=EmailStatus.PENDING, next_attempt_at__lte=now - dt.timedelta(minutes=1)
        ).values_list("pk", flat=True)
    )
    for pk in due:
        _enqueue(pk)
    return len(due)


@task()
def deliver_email(email_id: int) -> str:
    """The task: send email `email_id` if it is waiting and due (its tries are kept on the row, by
    email_deliver, so that they outlive the queue). Runs on whichever queue TASK_QUEUE names."""
    email = email_deliver(email_id=email_id)
    return email.status if email else "not due"
