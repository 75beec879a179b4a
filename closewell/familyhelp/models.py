"""The handover to Family Help: part of a Closure Record when the case steps down, and its
acknowledgement by the Family Help lead practitioner who takes it on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from closewell.closures.models import ClosureRecord
from closewell.core.models import TimeStampedModel


class Acknowledgement(models.TextChoices):
    WAITING = "waiting", "Waiting for the lead practitioner"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Cannot take it on"


class Handover(TimeStampedModel):
    """The section "Handover to Family Help" of a Closure Record (closures/sections.py writes it as
    the section's one row), and the lead practitioner's answer once the record is authorised."""

    record = models.OneToOneField(ClosureRecord, on_delete=models.CASCADE, related_name="handover")
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers",
        limit_choices_to={"role": "lead_practitioner", "is_active": True},
        verbose_name="lead practitioner",
        error_messages={"invalid": "Choose a Family Help lead practitioner from the list"},
    )
    lead_contact = models.CharField("how to contact the lead practitioner", max_length=300, blank=True)
    consent_given = models.BooleanField("the family agreed to share information", null=True, blank=True)
    consent_by = models.CharField("who gave consent", max_length=200, blank=True)
    consent_date = models.DateField("date consent was given", null=True, blank=True)
    consent_scope = models.TextField("what the family agreed to share", blank=True)
    continuing_support = models.TextField("the support that continues and who provides it", blank=True)
    outstanding_actions = models.TextField("outstanding actions", blank=True)
    signs_to_watch = models.TextField(
        "signs the family needs more help again, and what to do then", blank=True
    )
    summary = models.TextField("summary for the lead practitioner", blank=True)

    acknowledgement = models.CharField(
        max_length=10, choices=Acknowledgement.choices, default=Acknowledgement.WAITING
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.TextField("why they cannot take it on", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="handover_answer_has_who_and_when",
                condition=Q(acknowledgement="waiting")
                | (Q(acknowledged_by__isnull=False) & Q(acknowledged_at__isnull=False)),
                violation_error_message="An answered handover says who answered and when.",
            ),
            models.CheckConstraint(
                name="handover_declined_says_why",
                condition=~Q(acknowledgement="declined") | ~Q(declined_reason=""),
                violation_error_message="Say why the handover cannot be taken on.",
            ),
        ]

    def __str__(self) -> str:
        return f"Handover to Family Help for {self.record.episode.child}"

    def get_absolute_url(self) -> str:
        return reverse("familyhelp:handover", args=[self.pk])

    @property
    def is_waiting(self) -> bool:
        return self.acknowledgement == Acknowledgement.WAITING
