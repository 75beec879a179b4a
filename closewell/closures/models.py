"""The Closure Record: its sections, its workflow status, and its frozen authorised snapshot."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from closewell.cases.codes import ReasonForClosure
from closewell.cases.models import Episode, Person
from closewell.core.models import TimeStampedModel


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for authorisation"
    RETURNED = "returned", "Returned for amendment"
    AUTHORISED = "authorised", "Authorised"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The workflow as data: the only moves a record may make. services.transition() enforces it.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset({Status.RETURNED, Status.AUTHORISED, Status.WITHDRAWN}),
    Status.RETURNED: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.AUTHORISED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
LIVE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED})


class Section(models.TextChoices):
    """The sections a worker writes, in the order of the Closure Record (DOMAIN.md). The label is the
    section's one title, used on every face; closures/sections.py declares everything else about it."""

    INVOLVEMENT = "involvement", "Reason for involvement"
    INTERVENTIONS = "interventions", "Details of interventions since assessment, admission or last review"
    REVIEW = "review", "Review of planned actions"
    REASON = "reason", "Reason for closure"
    CHILD_VIEWS = "child_views", "Views of the child or young person"
    PARENT_VIEWS = "parent_views", "Views of parents and carers"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    INTERPRETING = "interpreting", "Interpreting"
    HANDOVER = "handover", "Handover to Family Help"
    LETTER = "letter", "A letter to the child"
    ADDENDUM = "addendum", "Correction (addendum)"


# The sections a manager's return comment may name: every one but the handover to Family Help, whose
# rows live in the familyhelp app, until a closures migration widens ReturnComment.section's choices.
COMMENTABLE = [(key, label) for key, label in Section.choices if key != "handover"]


class ClosureRecord(TimeStampedModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="closure_records")
    addendum_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="addenda",
        help_text="A correction to an authorised record, written and authorised the same way.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision_date = models.DateField("date the decision to close was made")
    # Who made the decision: a team manager of the case's team, or someone else by name and role.
    decision_maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="team manager who made the decision",
    )
    decision_by = models.CharField("who made the decision", max_length=200, blank=True)
    decision_by_role = models.CharField("their role", max_length=200, blank=True)
    # The sections the worker has opened and saved on this record: one with content from the case
    # that was never saved shows "Check" and stops the record being submitted.
    confirmed_sections = models.JSONField(default=list, blank=True)
    # Why an addendum was started (asked before it is created; shown on it and in the audit trail).
    addendum_reason = models.TextField("why the addendum is needed", blank=True)

    # An addendum's correction, shown beneath the original.
    addendum_text = models.TextField("correction", blank=True)
    # 1. Reason for involvement
    reason_for_involvement = models.TextField(blank=True)
    # Optional: written to the child ("You told me …"), printed as the first page of the child's copy.
    letter_to_child = models.TextField("letter to the child", blank=True)
    # 2. Interventions: the narrative; the dates seen come from the episode's contacts.
    interventions = models.TextField("direct and indirect work", blank=True)
    # 4. Reason for closure
    reason_for_closure = models.TextField(blank=True)
    reason_code = models.CharField(
        "CIN census reason for closure", max_length=3, choices=ReasonForClosure.choices, blank=True
    )
    # 5. Views of the child or young person
    child_discussed = models.BooleanField(null=True, blank=True)
    child_discussed_date = models.DateField(null=True, blank=True)
    child_not_discussed_reason = models.TextField(blank=True)
    child_views = models.TextField(blank=True)
    # 7. Domestic abuse (when an assessment identified it)
    da_work_with_perpetrator = models.TextField("work done with the perpetrator", blank=True)
    da_if_released = models.TextField("if the perpetrator is released from custody", blank=True)
    da_if_resumed = models.TextField("if victim and perpetrator resume their relationship", blank=True)
    # 8. Interpreting (when a parent does not speak or read English)
    interpreter_language = models.CharField(max_length=60, blank=True)
    interpreter_name = models.CharField(max_length=200, blank=True)
    interpreted_on = models.DateField(null=True, blank=True)
    explained_to = models.CharField("explained to", max_length=300, blank=True)

    # Workflow
    submitted_at = models.DateTimeField(null=True, blank=True)
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The record exactly as authorised: later changes to the case never alter it.
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live record per episode (addenda aside).
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status__in=["draft", "submitted", "returned"], addendum_to__isnull=True),
                name="one_live_closure_record_per_episode",
                violation_error_message="This episode already has a Closure Record in progress.",
            ),
            models.CheckConstraint(
                name="authorised_record_is_frozen",
                condition=~Q(status="authorised")
                | (Q(authorised_at__isnull=False) & Q(snapshot__isnull=False) & ~Q(snapshot_sha256="")),
                violation_error_message="An authorised record has its time, snapshot and digest.",
            ),
            models.CheckConstraint(
                name="decision_maker_named",
                condition=Q(decision_maker__isnull=False) | ~Q(decision_by=""),
                violation_error_message="Say who made the decision to close.",
            ),
            models.CheckConstraint(
                name="authoriser_is_not_author",
                condition=Q(authorised_by__isnull=True) | ~Q(authorised_by=F("author")),
                violation_error_message="A record cannot be authorised by its own author.",
            ),
        ]

    def __str__(self) -> str:
        kind = "Addendum" if self.addendum_to_id else "Closure Record"
        return f"{kind} for {self.episode.child}"

    def get_absolute_url(self) -> str:
        return reverse("closures:record", args=[self.pk])

    @property
    def decision_maker_name(self) -> str:
        """Who made the decision, as the record shows and prints it: "Mo Birch (team manager)", or
        the name and role of someone from outside the team (a name alone on records written before
        the role was asked)."""
        if self.decision_maker_id:
            return f"{self.decision_maker} (team manager)"
        if self.decision_by_role:
            return f"{self.decision_by} ({self.decision_by_role})"
        return self.decision_by

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_authorised(self) -> bool:
        return self.status == Status.AUTHORISED


class ParentView(TimeStampedModel):
    """Section 6: one parent's or carer's views, or why closure was not discussed with them."""

    record = models.ForeignKey(ClosureRecord, on_delete=models.CASCADE, related_name="parent_views")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    discussed = models.BooleanField(null=True, blank=True)
    discussed_date = models.DateField(null=True, blank=True)
    not_discussed_reason = models.TextField(blank=True)
    views = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "person"], name="one_view_per_person"),
        ]

    def __str__(self) -> str:
        return f"Views of {self.person}"


class ContributionKind(models.TextChoices):
    WROTE = "wrote", "Started and wrote"
    EDITED = "edited", "Changed"
    SUBMITTED = "submitted", "Submitted"
    SIGNATURES = "signatures", "Recorded or removed a signature"


class Contribution(models.Model):
    """Who put content into a record, and how: the people who may never authorise it (four eyes).

    Written by the services that change a record (start, each section save, submit, signatures, the
    planned actions its review section shows) and never removed, so a return and a re-submission do
    not wash a manager's own edits clean."""

    record = models.ForeignKey(ClosureRecord, on_delete=models.CASCADE, related_name="contributions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=ContributionKind.choices)
    first_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "user", "kind"], name="one_contribution_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display().lower()}"


class ReturnComment(TimeStampedModel):
    """A manager's comment beside a section when returning a record for amendment, and the worker's
    answer to it.

    `round` numbers the returns (the first return's comments are round 1), so the manager reading the
    record submitted again sees the comments of their latest return. `section_before` is the section's
    part of the record as it stood at the return (sections.SectionSpec.content_of, JSON-safe): the
    page shows what changed in the section since. The worker answers each comment and marks it dealt
    with (`resolved`); a record with a comment not dealt with cannot be submitted again."""

    record = models.ForeignKey(ClosureRecord, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=20, choices=COMMENTABLE)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved = models.BooleanField("dealt with", default=False)
    round = models.PositiveIntegerField("return", default=1)
    section_before = models.JSONField("the section when it was returned", null=True, blank=True)
    answer = models.TextField("your answer", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    dealt_with_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.text[:40]}"
