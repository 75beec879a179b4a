"""Signatures on a Closure Record, and the register of copies given to the child, family and others."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from closewell.cases.models import Person
from closewell.closures.models import ClosureRecord
from closewell.core.models import TimeStampedModel


class SignerKind(models.TextChoices):
    CHILD = "child", "The child or young person"
    PERSON = "person", "A parent or carer"


class SignatureMethod(models.TextChoices):
    DRAWN = "drawn", "Signed on screen"
    PAPER = "paper", "Signed on paper"
    NOT_SIGNED = "not_signed", "Did not sign"


class NotSignedReason(models.TextChoices):
    DECLINED = "declined", "Declined to sign"
    NOT_OF_AGE = "not_of_age", "Not of age or understanding to sign"
    NOT_CONTACTED = "not_contacted", "Could not be contacted"
    OTHER = "other", "Another reason"


class Signature(TimeStampedModel):
    """One person's signature on a Closure Record, or why they did not sign.

    Part of the authorised record: added or removed only before authorisation (services enforce it).
    The drawn image is kept as PNG bytes in the database, so it is saved and frozen with the row.
    """

    record = models.ForeignKey(ClosureRecord, on_delete=models.PROTECT, related_name="signatures")
    signer_kind = models.CharField(max_length=10, choices=SignerKind.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Name and relationship as they were when the person signed.
    signer_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60)
    method = models.CharField(max_length=12, choices=SignatureMethod.choices)
    signed_on = models.DateField("date")
    not_signed_reason = models.CharField(max_length=16, choices=NotSignedReason.choices, blank=True)
    not_signed_detail = models.TextField("why they did not sign", blank=True)
    image = models.BinaryField("drawn signature (PNG)", blank=True, default=b"")
    scan = models.BinaryField("scan of the signed paper", blank=True, default=b"")
    scan_content_type = models.CharField(max_length=40, blank=True)
    scan_name = models.CharField(max_length=200, blank=True)
    witness = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["signer_kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "person"],
                condition=Q(person__isnull=False),
                name="one_signature_per_person",
                violation_error_message="This person's signature is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(signer_kind="child"),
                name="one_signature_of_the_child",
                violation_error_message="The child's signature is already recorded.",
            ),
            models.CheckConstraint(
                name="signature_signer_is_child_or_person",
                condition=(Q(signer_kind="child") & Q(person__isnull=True))
                | (Q(signer_kind="person") & Q(person__isnull=False)),
                violation_error_message="A signature is the child's or a parent's or carer's.",
            ),
            models.CheckConstraint(
                name="signature_not_signed_has_reason",
                condition=(Q(method="not_signed") & ~Q(not_signed_reason=""))
                | (~Q(method="not_signed") & Q(not_signed_reason="")),
                violation_error_message="Say why the person did not sign.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name}: {self.get_method_display().lower()}"

    @property
    def reason_text(self) -> str:
        """Why the person did not sign, as the record prints it."""
        if self.method != SignatureMethod.NOT_SIGNED:
            return ""
        if self.not_signed_reason == NotSignedReason.OTHER:
            return self.not_signed_detail
        label = NotSignedReason(self.not_signed_reason).label
        return f"{label}: {self.not_signed_detail}" if self.not_signed_detail else label


class RecipientKind(models.TextChoices):
    CHILD = "child", "The child or young person"
    PERSON = "person", "A parent, carer or family member"
    PROFESSIONAL = "professional", "Another professional"
    FILE = "file", "The record (the child's file)"


class CopyMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    POST = "post", "By post"
    SECURE_EMAIL = "secure_email", "By secure email"


class Copy(TimeStampedModel):
    """A copy of an authorised Closure Record given to someone: the copies register.

    The PDF is stored as given (bytes and SHA-256), so the same copy can be downloaded again
    identical for as long as the record is kept, whatever later versions of the renderer, its
    fonts or the template would print.
    """

    record = models.ForeignKey(ClosureRecord, on_delete=models.PROTECT, related_name="copies")
    recipient_kind = models.CharField(max_length=12, choices=RecipientKind.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(max_length=200)
    recipient_role = models.CharField("role or relationship", max_length=200, blank=True)
    given_on = models.DateField("date given")
    method = models.CharField(max_length=12, choices=CopyMethod.choices)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stamp = models.CharField(max_length=300)
    # [{"person": name, "details": ["address", "phone"], "reason": why}] — what this copy leaves out.
    withheld = models.JSONField(default=list, blank=True)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    renderer = models.CharField(max_length=40, help_text="The renderer and version that made the PDF.")

    class Meta:
        ordering = ["given_on", "pk"]
        verbose_name_plural = "copies"
        constraints = [
            models.CheckConstraint(
                name="copy_person_recipient_has_person",
                condition=~Q(recipient_kind="person") | Q(person__isnull=False),
                violation_error_message="Choose the person given the copy.",
            ),
        ]

    def __str__(self) -> str:
        return self.stamp

    def get_absolute_url(self) -> str:
        return reverse("documents:copy_download", args=[self.record_id, self.pk])

    @property
    def withheld_lines(self) -> list[tuple[str, str]]:
        """(what, why) for the register: ("Leanne Cole's address and telephone number", reason)."""
        labels = {"address": "address", "phone": "telephone number", "email": "email address"}
        lines = []
        for item in self.withheld:
            names = [labels.get(name, name) for name in item.get("details", [])]
            what = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
            lines.append((f"{item.get('person', '')}'s {what}", item.get("reason", "")))
        return lines

    @property
    def filename(self) -> str:
        return f"closure-record-{self.record_id}-copy-{self.pk}.pdf"
