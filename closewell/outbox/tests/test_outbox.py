"""The outbox: an email is written with its change, sent by a task on the real queues (the database
and Redis), tried again when the mail server refuses, and shown to the administrator when given up."""

import os
import socket
import uuid

import pytest
import redis
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_rq import get_queue
from django_tasks_rq import Job as RQJob
from rq import SimpleWorker

from closewell.accounts.tests.factories import AdministratorFactory
from closewell.audit.models import AuditEvent
from closewell.outbox.models import EmailStatus, OutboxEmail
from closewell.outbox.services import email_deliver, email_queue, email_retry, outbox_sweep

REDIS_URL = "redis://127.0.0.1:6379/13"


class Refusing:
    """An SMTP server that refuses every recipient for now (451: try again later), counting the tries."""

    def __init__(self):
        self.tries = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        self.tries += 1
        return "451 4.3.0 Mailbox busy, try again later"


class Accepting:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """Start a real SMTP server on loopback with the given handler; settings point Django's SMTP
    backend at it."""
    started = []

    def start(handler):
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def smtp_settings(port):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=5,
        OUTBOX_MAX_ATTEMPTS=3,
        OUTBOX_RETRY_SECONDS=0,
    )


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def run_database_queue():
    call_command("run_worker", burst=True, verbosity=0)


def run_redis_queue():
    SimpleWorker(
        [get_queue("default", job_class=RQJob)], connection=get_queue("default").connection, job_class=RQJob
    ).work(burst=True)


QUEUES = {
    "database": (
        {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
        run_database_queue,
    ),
    "redis": ({"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}, run_redis_queue),
}


@pytest.fixture(params=list(QUEUES))
def queue(request, settings):
    """The real queue (the database's, or RQ on Redis) and a function that runs its worker until empty."""
    if request.param == "redis" and not redis_available():
        message = f"No Redis at {REDIS_URL}: start redis-server to run the Redis queue (.ci/run does)."
        if os.environ.get("CI"):
            pytest.fail(message)  # CI starts Redis: a missing one there is a failure, not a skip
        pytest.skip(message)
    tasks, run = QUEUES[request.param]
    settings.TASKS = tasks
    settings.TASK_QUEUE = request.param
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    if request.param == "redis":
        get_queue("default").empty()
    return run


def queue_one(subject="Closure Record authorised"):
    with transaction.atomic():
        return email_queue(to=["worker@example.invalid"], subject=subject, body="Body naming nobody.")


@pytest.mark.django_db(transaction=True)
def test_an_email_is_sent_by_the_worker(queue, smtp):
    handler = Accepting()
    with smtp_settings(smtp(handler)):
        email = queue_one()
        assert (
            OutboxEmail.objects.get(pk=email.pk).status == EmailStatus.PENDING
        )  # queued, not sent in the request
        queue()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1 and email.sent_at
    assert [e.rcpt_tos for e in handler.received] == [["worker@example.invalid"]]


@pytest.mark.django_db(transaction=True)
def test_a_refused_email_is_tried_again_then_shown_to_the_administrator(queue, smtp):
    handler = Refusing()
    subject = f"Closure Record to authorise {uuid.uuid4().hex[:6]}"
    with smtp_settings(smtp(handler)):
        email = queue_one(subject)
        queue()
        email.refresh_from_db()
        assert handler.tries == 3, "tried OUTBOX_MAX_ATTEMPTS times"
        assert email.status == EmailStatus.FAILED and email.attempts == 3
        assert "451" in email.last_error and "try again later" in email.last_error

        admin = AdministratorFactory()
        client = Client()
        client.force_login(admin)
        listing = client.get("/admin/outbox/failedemail/")
        assert listing.status_code == 200
        page = listing.content.decode()
        assert "Emails that could not be sent" in page or "emails that could not be sent" in page.lower()
        assert subject in page and "Mailbox busy" in page
        assert "Body naming nobody" not in page, "the body may name a child: the administrator never sees it"

        # Once the server is put right, the administrator sends it again: it goes.
        handler_ok = Accepting()
        with smtp_settings(smtp(handler_ok)):
            response = client.post(
                "/admin/outbox/failedemail/",
                {"action": "send_again", "_selected_action": [email.pk]},
            )
            assert response.status_code == 302
            queue()
        email.refresh_from_db()
        assert email.status == EmailStatus.SENT
        assert len(handler_ok.received) == 1
        assert AuditEvent.objects.filter(
            object_type="outbox.OutboxEmail", object_id=str(email.pk), actor=admin
        ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_not_there_is_a_failure_too(queue):
    port = free_port()  # nothing listens: the connection is refused
    with smtp_settings(port):
        email = queue_one()
        queue()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == 3
    assert "Connection refused" in email.last_error or "Errno" in email.last_error


@pytest.mark.django_db
def test_a_change_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                email_queue(to=["a@example.invalid"], subject="S", body="B")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not OutboxEmail.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_an_email_is_sent_once_however_often_its_task_runs(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(to=["a@example.invalid"], subject="S", body="B")
    assert len(mail.outbox) == 1
    assert email_deliver(email_id=email.pk) is None  # a second delivery of the task: claimed already
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_email_waits_for_its_backoff(settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.TASKS = QUEUES["database"][0]
    email = OutboxEmail.objects.create(
        to=["a@example.invalid"], subject="S", body="B", next_attempt_at=timezone.now()
    )
    email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert 55 <= (email.next_attempt_at - timezone.now()).total_seconds() <= 60
    assert email_deliver(email_id=email.pk) is None, "not before its time"
    email_deliver(email_id=email.pk)
    # The second failure waits twice as long.
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.attempts == 2 and 115 <= (email.next_attempt_at - timezone.now()).total_seconds() <= 120


@pytest.mark.django_db
def test_the_sweep_queues_again_what_no_task_will_send(settings, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    lost = OutboxEmail.objects.create(
        to=["a@example.invalid"], subject="S", body="B", next_attempt_at=long_ago
    )
    cut_off = OutboxEmail.objects.create(
        to=["b@example.invalid"], subject="S", body="B", next_attempt_at=long_ago,
        status=EmailStatus.SENDING, last_attempt_at=long_ago, attempts=1,
    )  # fmt: skip
    assert outbox_sweep() == 2
    for email in (lost, cut_off):
        email.refresh_from_db()
        assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_only_a_failed_email_is_sent_again(django_capture_on_commit_callbacks):
    admin = AdministratorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(to=["a@example.invalid"], subject="S", body="B")
    email_retry(actor=admin, email=email)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and len(mail.outbox) == 1
