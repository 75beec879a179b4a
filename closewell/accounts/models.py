"""Teams and the people who use Closewell, each with one role."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q

from closewell.core.models import TimeStampedModel


class Team(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    DATA_OFFICER = "data_officer", "Performance and data officer"
    ADMINISTRATOR = "administrator", "Administrator"
    # Family Help (Families First Partnership): may work for a school, health or a charity; sees only
    # the handovers of the children handed to them (accounts.permissions, familyhelp).
    LEAD_PRACTITIONER = "lead_practitioner", "Family Help lead practitioner"


# The roles a group in the council's identity provider can give (security.GroupMapping): a Family Help
# lead practitioner often works outside the council, so their account is made by the administrators.
COUNCIL_ROLES = [(value, label) for value, label in Role.choices if value != Role.LEAD_PRACTITIONER]


class Manager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes an administrator (a social worker would need a team)."""
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="The team a social worker belongs to.",
    )
    managed_teams = models.ManyToManyField(
        Team, blank=True, related_name="managers", help_text="Teams a team manager manages."
    )
    organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who they work for when not the council: a Family Help lead practitioner's school, "
        "health service or charity.",
    )
    # When this user last kept a draft of a form (closewell.drafts), or None once they have none left.
    # The user is loaded for every request anyway: a page looks for a draft only while this says one
    # may be kept, so most pages make no query for drafts. Written only by closewell.drafts.services.
    draft_kept_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = Manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                name="social_worker_has_team",
                condition=~Q(role="social_worker") | Q(team__isnull=False),
                violation_error_message="A social worker must belong to a team.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Who may sign in to the admin follows the role: only administrators (and superusers).
        self.is_staff = self.is_superuser or self.role == Role.ADMINISTRATOR
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"role", "is_superuser"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "is_staff"}
        elif update_fields is None and not self._state.adding and not kwargs.get("force_insert"):
            # Saving a user read earlier (an admin's edit, a password change) must not put back the
            # draft_kept_at it read: a draft kept since would then never be shown. Only the drafts'
            # services write it.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in deferred and field.name != "draft_kept_at"
            ]
        super().save(*args, **kwargs)

    @property
    def is_social_worker(self) -> bool:
        return self.role == Role.SOCIAL_WORKER

    @property
    def is_team_manager(self) -> bool:
        return self.role == Role.TEAM_MANAGER

    @property
    def is_data_officer(self) -> bool:
        return self.role == Role.DATA_OFFICER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


class ChangeKind(models.TextChoices):
    ACCESS = "access", "Role, team or account switched on"
    PASSWORD = "password", "Password set"
    AUTHENTICATOR = "authenticator", "Authenticator app removed"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "Approved and made"
    DECLINED = "declined", "Declined"


class UserChange(TimeStampedModel):
    """A change to someone's access that one administrator asks for and a second one approves.

    Changing a role or team (or switching an account on), setting someone's password, and removing
    their authenticator app would each let a single administrator reach children's records, or sign
    in as someone who can: so each waits here until another administrator approves it
    (accounts.services.user_change_approve makes it then)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="changes_asked")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    description = models.CharField("change", max_length=500)
    # What to set on approval: {role, team, managed_teams, is_active}, {password: a hash}, {device: id}.
    # Never shown: a password is kept only as its hash.
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "change waiting for a second administrator"
        verbose_name_plural = "changes waiting for a second administrator"
        constraints = [
            models.CheckConstraint(
                name="change_approved_by_another",
                condition=~Q(status="approved")
                | (~Q(decided_by=F("requested_by")) & ~Q(decided_by=F("user")) & Q(decided_by__isnull=False)),
                violation_error_message="A change is approved by an administrator who neither asked for it "
                "nor is its subject.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.description}"

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeStatus.PENDING
