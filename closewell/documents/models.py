"""Signatures on a Closure Record, and the register of copies given to the child, family and others."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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
    # The signer's own words about the record, printed with their signature on the record and copies.
    comment = models.TextField("their comment", blank=True)
    # What was signed: the SHA-256 of the record's content as the signer saw it
    # (closures.sections.signed_sha256). Blank on a signature taken before signatures were bound.
    content_sha256 = models.CharField("SHA-256 of the record as signed", max_length=64, blank=True)
    # A signature that still stands for the record as changed since, and why (the worker's word).
    kept_sha256 = models.CharField("SHA-256 of the record it was kept for", max_length=64, blank=True)
    kept_reason = models.TextField("why the signature still stands", blank=True)
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kept_at = models.DateTimeField(null=True, blank=True)

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
    def is_bound(self) -> bool:
        """A signature given (on screen or on paper) and bound to what was signed; "did not sign"
        attests to nothing, and a signature taken before binding says nothing of what it covered."""
        return self.method != SignatureMethod.NOT_SIGNED and bool(self.content_sha256)

    def is_out_of_date(self, digest: str) -> bool:
        """The record says something else now (`digest`) than what was signed, and no reason was
        recorded for keeping the signature for exactly what it says now."""
        return self.is_bound and digest not in (self.content_sha256, self.kept_sha256)

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
    SUBJECT_ACCESS = "subject_access", "The young person as an adult (subject access request)"
    FILE = "file", "The record (the child's file)"


class Profile(models.TextChoices):
    """The disclosure profile a copy is made with: what it may hold (documents/disclosure.py)."""

    CHILD = "child", "The child (age-appropriate)"
    PARENT = "parent", "A parent, carer or family member"
    PERPETRATOR = "perpetrator", "Someone who has harmed a member of the family"
    PROFESSIONAL = "professional", "Another professional"
    SUBJECT_ACCESS = "subject_access", "The young person as an adult (subject access)"
    FILE = "file", "The child's file (nothing withheld)"


class ReleaseStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "No release needed"
    AWAITING = "awaiting", "Awaiting a team manager's release"
    RELEASED = "released", "Released by a team manager"


# What the register calls each kind of withheld item (documents/disclosure.py finds them).
KIND_LABELS = {
    "address": "Address",
    "postcode": "Postcode",
    "outward_code": "Postcode district",
    "phone": "Telephone number",
    "email": "Email address",
    "place": "A place that could show where someone is",
    "safety_plan": "Safety plan",
    "third_party": "Information about another person",
    "marked": "Passage withheld by the worker",
}


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
    recipient_kind = models.CharField(max_length=16, choices=RecipientKind.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(max_length=200)
    recipient_role = models.CharField("role or relationship", max_length=200, blank=True)
    given_on = models.DateField("date given")
    method = models.CharField(max_length=12, choices=CopyMethod.choices)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stamp = models.CharField(max_length=300)
    profile = models.CharField(max_length=16, choices=Profile.choices, default=Profile.FILE)
    # [{"kind": "postcode", "section": "4. Reason for closure", "reason": why, "count": 2}]: what
    # this copy leaves out, by kind and section; never the withheld words themselves.
    withheld = models.JSONField(default=list, blank=True)
    # What the copy was made with, so it prints the same again: the worker's marked passages that
    # applied, and the withholdings the worker overrode (each with its key and reason).
    disclosure = models.JSONField(default=dict, blank=True)
    release_status = models.CharField(
        max_length=12, choices=ReleaseStatus.choices, default=ReleaseStatus.NOT_NEEDED
    )
    # Why a manager must release it: "perpetrator", "override".
    release_reasons = models.JSONField(default=list, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
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
            # Separation of duties: the one who asked for a copy never releases it.
            models.CheckConstraint(
                name="copy_released_by_someone_else",
                condition=Q(released_by__isnull=True) | ~Q(released_by=F("given_by")),
                violation_error_message="A copy is released by someone other than the one who asked for it.",
            ),
            models.CheckConstraint(
                name="copy_released_has_releaser",
                condition=~Q(release_status="released") | Q(released_by__isnull=False),
                violation_error_message="Record who released the copy.",
            ),
        ]

    def __str__(self) -> str:
        return self.stamp

    def get_absolute_url(self) -> str:
        return reverse("documents:copy_download", args=[self.record_id, self.pk])

    @property
    def withheld_lines(self) -> list[tuple[str, str]]:
        """(what, where) for the register: ("Postcode (2)", "4. Reason for closure") — the kind and
        the section, never the words withheld."""
        lines = []
        for item in self.withheld:
            if "details" in item:  # a copy given before disclosure profiles: contact details by field
                item = {"kind": " and ".join(item["details"]), "section": "Family and important people"}
            label = KIND_LABELS.get(item.get("kind", ""), item.get("kind", "").capitalize())
            count = item.get("count", 1)
            lines.append((f"{label} ({count})" if count > 1 else label, item.get("section", "")))
        return lines

    @property
    def is_released(self) -> bool:
        """May be printed, downloaded or sent: no release was needed, or a manager released it."""
        return self.release_status != ReleaseStatus.AWAITING

    @property
    def filename(self) -> str:
        return f"closure-record-{self.record_id}-copy-{self.pk}.pdf"


class WithholdReason(models.TextChoices):
    """Why a worker withheld a passage: printed in its place in the copy."""

    THIRD_PARTY = "third_party", "information about another person"
    LOCATION = "location", "information about where someone lives or can be found"
    RISK = "risk", "information that could put someone at risk"
    AGE = "age", "something your social worker will explain in person"
    HEALTH = "health", "another person's health information"


class Withholding(TimeStampedModel):
    """A passage of a Closure Record the worker withholds from named recipients' copies.

    recipients: profile names ("child", "parent", "perpetrator", "professional", "subject_access")
    and single family members ("person:12"). The passage is matched in every section whatever its
    spacing or case; the copy prints "[Withheld: <reason>]" in its place."""

    record = models.ForeignKey(ClosureRecord, on_delete=models.CASCADE, related_name="withholdings")
    text = models.TextField("passage")
    recipients = models.JSONField(default=list)
    reason = models.CharField(max_length=12, choices=WithholdReason.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Withheld passage on record {self.record_id}"
