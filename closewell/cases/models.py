"""The case register: children, their family, episodes (referrals) and what happened in them."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from closewell.accounts.models import Team
from closewell.core.dates import age_on, birthday
from closewell.core.models import TimeStampedModel, VersionedModel

from .codes import (
    DIMENSION_DOMAIN,
    DOMESTIC_ABUSE_FACTORS,
    AssessmentFactor,
    CategoryOfAbuse,
    Dimension,
    Disability,
    Domain,
    Ethnicity,
    Parent,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
    Sex,
    UPNUnknown,
)

# The CIN census UPN: a check letter, 11 digits, then a digit or a letter (schema 'upntype').
UPN_PATTERN = re.compile(r"[A-Za-z]\d{11}[\dA-Za-z]")


def source_id_field() -> models.CharField:
    """The row's key in the system it was imported from (SSD `table:id`), for idempotent imports."""
    return models.CharField(
        "source system ID",
        max_length=100,
        blank=True,
        default="",
        help_text="Its key in the system it was imported from (SSD: table:id); blank when entered here.",
    )


def source_id_once(model: str) -> models.UniqueConstraint:
    """An imported row is imported once: its source ID is unique when set."""
    return models.UniqueConstraint(
        fields=["source_id"], condition=~Q(source_id=""), name=f"{model}_source_id_once"
    )


def validate_codes(values, choices, label):
    if not isinstance(values, list) or any(v not in choices.values for v in values):
        raise ValidationError(f"{label} must be a list of codes from the CIN census.")


class CareLeaverStatus(models.TextChoices):
    NOT_CARE_LEAVER = "", "Not a care leaver"
    ELIGIBLE = "eligible", "Eligible (still looked after)"
    RELEVANT = "relevant", "Relevant (16 or 17, left care)"
    FORMER_RELEVANT = "former_relevant", "Former relevant (18 to 25)"


class Child(TimeStampedModel):
    la_child_id = models.CharField("LA child ID", max_length=36, unique=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    upn_unknown = models.CharField(
        "reason the UPN is unknown", max_length=3, blank=True, choices=UPNUnknown.choices
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disabilities = models.JSONField(default=list, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    care_leaver_status = models.CharField(
        max_length=20, choices=CareLeaverStatus.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                name="child_upn_or_reason",
                condition=(Q(upn="") & ~Q(upn_unknown="")) | (~Q(upn="") & Q(upn_unknown="")),
                violation_error_message="Enter the UPN or the reason it is unknown, not both.",
            ),
            models.CheckConstraint(
                name="child_birth_or_expected",
                condition=Q(date_of_birth__isnull=False) | Q(expected_date_of_birth__isnull=False),
                violation_error_message="Enter the date of birth or the expected date of birth.",
            ),
            models.CheckConstraint(
                name="child_death_after_birth",
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=F("date_of_birth")),
                violation_error_message="The date of death cannot be before the date of birth.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("cases:child", args=[self.pk])

    def clean(self):
        validate_codes(self.disabilities, Disability, "Disabilities")
        if self.upn and not UPN_PATTERN.fullmatch(self.upn):
            raise ValidationError(
                {"upn": "Enter the UPN as on school records: a letter, 11 digits, then a digit or letter."}
            )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age(self, on: dt.date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, on or dt.date.today())

    def is_looked_after(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        return any(
            p.start_date <= on and (p.end_date is None or p.end_date >= on)
            for p in self.looked_after_periods.all()
        )

    def is_care_leaver_under_19(self, on: dt.date | None = None) -> bool:
        """Care leavers up to their 19th birthday have every contact listed on the Closure Record."""
        if not self.care_leaver_status or self.date_of_birth is None:
            return False
        return (on or dt.date.today()) < birthday(self.date_of_birth, 19)


class LookedAfterPeriod(TimeStampedModel):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="looked_after_periods")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    legal_status = models.CharField(max_length=60, blank=True)
    source_id = source_id_field()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            source_id_once("lookedafterperiod"),
            models.CheckConstraint(
                name="lac_period_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message="A looked-after period cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"Looked after from {self.start_date:%d %B %Y}"


class Person(VersionedModel):
    """A parent, carer or other person in the child's life. Address details may be sensitive."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    first_language = models.CharField(max_length=60, default="English")
    reads_english = models.BooleanField("speaks and reads English", default=True)
    interpreter_needed = models.BooleanField(default=False)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    contact_details_sensitive = models.BooleanField(
        "address and contact details are sensitive",
        default=False,
        help_text="Withheld from copies for people who must not see them, "
        "for example a domestic abuse victim's address.",
    )
    sensitivity_reason = models.CharField(max_length=200, blank=True)
    source_id = source_id_field()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        constraints = [
            source_id_once("person"),
            models.CheckConstraint(
                name="person_sensitive_has_reason",
                condition=Q(contact_details_sensitive=False) | ~Q(sensitivity_reason=""),
                violation_error_message="Say why the contact details are sensitive.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    FOSTER_CARER = "foster_carer", "Foster carer"
    GRANDPARENT = "grandparent", "Grandparent"
    SIBLING = "sibling", "Sibling"
    OTHER_FAMILY = "other_family", "Other family member"
    PARTNER_OF_PARENT = "partner_of_parent", "Parent's partner"
    OTHER_ADULT = "other_adult", "Other adult"


PARENT_OR_CARER = frozenset(
    {
        Relationship.MOTHER,
        Relationship.FATHER,
        Relationship.STEP_PARENT,
        Relationship.CARER,
        Relationship.FOSTER_CARER,
    }
)


class ChildPerson(TimeStampedModel):
    """How a person is related to a child; a parent of two children has two of these."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=False)
    # Copies give no one another adult's contact details unless the worker records that they may
    # (for example parents who live together and agree). Never overrides "sensitive".
    may_share_contact_details = models.BooleanField(
        "their contact details may be shared in other family members' copies",
        default=False,
        help_text="Only when they agree, for example parents who live together. "
        "Never given to someone who has harmed a member of the family.",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["child", "person"], name="child_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display().lower()} of {self.child})"

    @property
    def is_parent_or_carer(self) -> bool:
        return self.relationship in PARENT_OR_CARER


class PlaceKind(models.TextChoices):
    SCHOOL = "school", "School"
    NURSERY = "nursery", "Nursery or childminder"
    GP = "gp", "GP surgery"
    REFUGE = "refuge", "Refuge or safe house"
    HANDOVER = "handover", "Handover place"
    CONTACT = "contact", "Family time (contact) place"
    OTHER = "other", "Another place"


class Place(TimeStampedModel):
    """A place in the child's life that could show where the child or a family member is: their
    school, nursery, GP, a refuge, where handovers or family time happen. Copies withhold these
    (by name, by the other names people use for them, and by address) from whoever must not know."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(max_length=12, choices=PlaceKind.choices)
    name = models.CharField(max_length=200)
    also_known_as = models.TextField(
        "other names for it",
        blank=True,
        help_text="How people write it, one a line: for example Nana's house, St Aidan's.",
    )
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"

    @property
    def other_names(self) -> list[str]:
        return [line.strip() for line in self.also_known_as.splitlines() if line.strip()]


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


class Episode(TimeStampedModel):
    """One CIN episode: one referral, from referral date to the authorised Closure Record."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="episodes")
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    referral_nfa = models.BooleanField("referral, no further action", default=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="episodes",
        verbose_name="allocated worker",
    )
    status = models.CharField(max_length=10, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN)
    # Set only by the authorisation of a Closure Record: the case is closed from that moment.
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_date = models.DateField(null=True, blank=True)
    reason_for_closure = models.CharField(max_length=3, choices=ReasonForClosure.choices, blank=True)
    previous_episode = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="re_referrals"
    )
    is_re_referral = models.BooleanField(
        default=False, help_text="Referred again within 12 months of the previous closure."
    )
    source_id = source_id_field()

    class Meta:
        ordering = ["-referral_date"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["worker", "status"]),
            # A team's cases that are not closed (the case lists), by closed_at, which only a closed
            # episode has (episode_closed_iff_closure_date): asked by status, PostgreSQL read every
            # open case in the council through one_open_episode_per_child and kept the team's (17 ms
            # against 1 at 100,000 children).
            models.Index(fields=["team"], condition=Q(closed_at__isnull=True), name="open_episodes_by_team"),
        ]
        constraints = [
            source_id_once("episode"),
            # CIN rules 8805 and 8810: a closure date needs a reason, and a reason needs a date.
            models.CheckConstraint(
                name="episode_closure_date_and_reason_together",
                condition=(Q(closure_date__isnull=True) & Q(reason_for_closure=""))
                | (Q(closure_date__isnull=False) & ~Q(reason_for_closure="")),
                violation_error_message="A closure date needs a reason for closure, and the reverse.",
            ),
            # A closed episode has its closure date; an open one has none.
            models.CheckConstraint(
                name="episode_closed_iff_closure_date",
                condition=(Q(status="closed") & Q(closure_date__isnull=False) & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(closure_date__isnull=True) & Q(closed_at__isnull=True)),
                violation_error_message="Only a closed episode has a closure date.",
            ),
            # CIN rule 8630: closure is not before the referral.
            models.CheckConstraint(
                name="episode_closure_not_before_referral",
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=F("referral_date")),
                violation_error_message="The closure date cannot be before the referral date.",
            ),
            # CIN rules 8815/8816/8820: one open episode per child.
            models.UniqueConstraint(
                fields=["child"],
                condition=~Q(status="closed"),
                name="one_open_episode_per_child",
                violation_error_message="This child already has an open episode.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child}: referred {self.referral_date:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("cases:child", args=[self.child_id])

    @property
    def is_closed(self) -> bool:
        return self.status == EpisodeStatus.CLOSED


class AssessmentType(models.TextChoices):
    SINGLE = "single", "Single assessment"
    INITIAL = "initial", "Initial assessment"
    CORE = "core", "Core assessment"


class Assessment(TimeStampedModel):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=10, choices=AssessmentType.choices, default=AssessmentType.SINGLE)
    start_date = models.DateField()
    authorisation_date = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True, help_text="CIN census factor codes.")
    summary = models.TextField(blank=True, help_text="The outcome of the assessment.")
    source_id = source_id_field()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            source_id_once("assessment"),
            models.CheckConstraint(
                name="assessment_authorised_after_start",
                condition=Q(authorisation_date__isnull=True) | Q(authorisation_date__gte=F("start_date")),
                violation_error_message="An assessment cannot be authorised before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d %B %Y}"

    def clean(self):
        validate_codes(self.factors, AssessmentFactor, "Factors")

    @property
    def identified_domestic_abuse(self) -> bool:
        return bool(DOMESTIC_ABUSE_FACTORS.intersection(self.factors))

    def get_factors_display(self) -> list[str]:
        return [AssessmentFactor(code).label for code in self.factors]


class Section47(TimeStampedModel):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="section47s")
    start_date = models.DateField()
    icpc_target_date = models.DateField("initial child protection conference target", null=True, blank=True)
    icpc_date = models.DateField("date of initial child protection conference", null=True, blank=True)
    icpc_not_required = models.BooleanField("initial conference not required", default=False)
    source_id = source_id_field()

    class Meta:
        ordering = ["start_date"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            source_id_once("section47"),
            models.CheckConstraint(
                name="s47_icpc_after_start",
                condition=Q(icpc_date__isnull=True) | Q(icpc_date__gte=F("start_date")),
                violation_error_message="The conference cannot be before the enquiry starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.start_date:%d %B %Y}"

    @property
    def is_completed(self) -> bool:
        """CIN rule 8868: completed by an ICPC date or by 'ICPC not required'."""
        return self.icpc_date is not None or self.icpc_not_required


class PlanType(models.TextChoices):
    CIN = "cin", "Child in need plan"
    CP = "cp", "Child protection plan"
    CARE = "care", "Care plan"
    PATHWAY = "pathway", "Pathway plan"


class Plan(TimeStampedModel):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=10, choices=PlanType.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # Child protection plans only (CIN census ChildProtectionPlans).
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices, blank=True)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices, blank=True)
    number_of_previous_cpp = models.PositiveSmallIntegerField(default=0)
    source_id = source_id_field()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            source_id_once("plan"),
            models.CheckConstraint(
                name="plan_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message="A plan cannot end before it starts.",
            ),
            models.CheckConstraint(
                name="cp_plan_has_category",
                condition=~Q(kind="cp") | (~Q(initial_category="") & ~Q(latest_category="")),
                violation_error_message="A child protection plan needs its category of abuse.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class Responsible(models.TextChoices):
    SERVICE = "service", "A service"
    WORKER = "worker", "The social worker"
    CHILD = "child", "The child or young person"
    PARENT = "parent", "A parent or carer"
    OTHER = "other", "Someone else"


class PlannedAction(VersionedModel):
    """An action or service in a plan, or an unplanned service, with what was actually received."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="actions")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    is_unplanned = models.BooleanField(default=False)
    dimension = models.CharField(max_length=40, choices=Dimension.choices)
    parent = models.CharField(
        max_length=20,
        choices=Parent.choices,
        default=Parent.BIRTH_FAMILY,
        help_text="For a looked-after child: birth family or the council as corporate parent.",
    )
    description = models.TextField("action or service")
    responsible = models.CharField(max_length=10, choices=Responsible.choices)
    responsible_name = models.CharField("who", max_length=200, blank=True)
    planned_level = models.CharField(
        max_length=200, blank=True, help_text="For example: weekly for 12 weeks."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    actual_level = models.CharField("actual level received", max_length=200, blank=True)
    outcome = models.TextField(blank=True)
    impact = models.TextField(blank=True, help_text="The impact of an unplanned service.")

    class Meta:
        ordering = ["dimension", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="action_in_plan_unless_unplanned",
                condition=Q(is_unplanned=True) | Q(plan__isnull=False),
                violation_error_message="A planned action belongs to a plan.",
            ),
            models.CheckConstraint(
                name="action_ends_after_start",
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                violation_error_message="An action cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def clean(self):
        if self.plan_id and self.episode_id and self.plan.episode_id != self.episode_id:
            raise ValidationError({"plan": "The plan belongs to another episode."})

    @property
    def domain(self) -> str:
        return DIMENSION_DOMAIN[self.dimension]

    def get_domain_display(self) -> str:
        return Domain(self.domain).label


class ContactType(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    SCHOOL_VISIT = "school_visit", "School visit"
    TELEPHONE = "telephone", "Telephone call"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    VIDEO = "video", "Video call"


# Contacts in which a person is seen: the Closure Record lists their dates.
FACE_TO_FACE = frozenset(
    {
        ContactType.HOME_VISIT,
        ContactType.OFFICE_VISIT,
        ContactType.SCHOOL_VISIT,
        ContactType.VIDEO,
    }
)


class WorkKind(models.TextChoices):
    DIRECT = "direct", "Direct work"
    INDIRECT = "indirect", "Indirect work"


class Contact(VersionedModel):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField("date and time")
    kind = models.CharField("type", max_length=20, choices=ContactType.choices)
    child_seen = models.BooleanField(default=False)
    child_seen_alone = models.BooleanField(default=False)
    people_seen = models.ManyToManyField(Person, blank=True, related_name="contacts")
    work = models.CharField(max_length=10, choices=WorkKind.choices, default=WorkKind.DIRECT)
    note = models.TextField()
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts")
    source_id = source_id_field()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["episode", "occurred_at"])]
        constraints = [
            source_id_once("contact"),
            models.CheckConstraint(
                name="contact_seen_alone_only_if_seen",
                condition=Q(child_seen_alone=False) | Q(child_seen=True),
                violation_error_message="A child seen alone must have been seen.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_at:%d %B %Y}"


class CustodyStatus(models.TextChoices):
    IN_CUSTODY = "in_custody", "In custody"
    ON_REMAND = "on_remand", "On remand"
    IN_COMMUNITY = "in_community", "In the community"
    UNKNOWN = "unknown", "Not known"


class DomesticAbuse(TimeStampedModel):
    """Domestic abuse in an episode: who perpetrated it, against whom, and their custody."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="domestic_abuse")
    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="perpetrated_abuse")
    victim = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="experienced_abuse"
    )
    custody_status = models.CharField(max_length=20, choices=CustodyStatus.choices)
    expected_release_date = models.DateField(null=True, blank=True)
    work_with_perpetrator = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "domestic abuse"
        constraints = [
            models.CheckConstraint(
                name="abuse_victim_not_perpetrator",
                condition=Q(victim__isnull=True) | ~Q(victim=F("perpetrator")),
                violation_error_message="The victim and the perpetrator must be different people.",
            ),
        ]

    def __str__(self) -> str:
        return f"Domestic abuse by {self.perpetrator}"
