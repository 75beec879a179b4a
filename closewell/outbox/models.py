"""OutboxEmail: one email to send, with each attempt's outcome; FailedEmail, the ones given up on."""

from django.db import models
from django.db.models import Q


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class OutboxEmail(models.Model):
    """An email the product sends. It is written in the transaction of the change it tells of (so a
    change rolled back sends nothing, and a change committed is never without its email), then a task
    sends it; a failed send is tried again later, and after the last try it stays here as failed."""

    to = models.JSONField(help_text="The addresses it goes to.")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("tries", default=0)
    next_attempt_at = models.DateTimeField(help_text="When it is next tried, while it waits to be sent.")
    last_attempt_at = models.DateTimeField("last tried", null=True, blank=True)
    last_error = models.TextField("the mail server's answer", blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField("written", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EmailStatus.values), name="outbox_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False), name="outbox_sent_has_time"
            ),
        ]
        verbose_name = "email"
        verbose_name_plural = "emails"

    def __str__(self) -> str:
        return f"“{self.subject}” to {', '.join(self.to)}"


class FailedEmailManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status=EmailStatus.FAILED)


class FailedEmail(OutboxEmail):
    """The emails given up on after the last try: what the administrator is shown and can send again."""

    objects = FailedEmailManager()

    class Meta:
        proxy = True
        verbose_name = "email that could not be sent"
        verbose_name_plural = "emails that could not be sent"
