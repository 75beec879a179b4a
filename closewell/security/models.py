"""EnrolmentCode: the one-time code an administrator gives someone to set up an authenticator app;
GroupMapping and ExternalIdentity: single sign-on's groups → access, and who a user is at the provider."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from closewell.accounts.models import COUNCIL_ROLES, Role, Team
from closewell.core.models import TimeStampedModel


class EnrolmentCode(models.Model):
    """A one-time code that lets its user set up an authenticator app: a password alone never does,
    so a stolen password cannot enrol the thief's phone (nor re-enrol one after a lost phone was
    removed). Kept only as a hash; shown once, to the administrator who issued it; expires
    (ENROLMENT_CODE_HOURS); spent when the app is confirmed. Issuing one replaces any unspent one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField(max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} issued {self.issued_at:%d %B %Y %H:%M}"


class MappingStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "In force"
    DECLINED = "declined", "Declined"
    REPLACED = "replaced", "Replaced by a later version"
    REMOVED = "removed", "Removed"


class GroupMapping(TimeStampedModel):
    """What a group in the council's identity provider gives in Closewell: a role, and a team or the
    teams managed. Read at every single sign-on (security.sso): a person's role and team follow their
    groups, and someone in no mapped group has no access.

    A mapping changes the access of everyone in its group, so one administrator asks for it and a
    second approves it, as for a single person's access (accounts.services): each version is a row,
    pending until approved; only approved rows count, one per group; approving a new version
    replaces the old one. Removing a mapping takes access away, so it is made at once."""

    group = models.CharField(
        "group in the identity provider",
        max_length=200,
        help_text="As the provider sends it in the groups claim: Entra ID sends the group's object id "
        "(for example 5f1c…-…), unless the app is set to send names.",
    )
    label = models.CharField(
        "what the group is", max_length=200, blank=True, help_text="For example “East social workers”."
    )
    role = models.CharField(max_length=20, choices=COUNCIL_ROLES)
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A social worker's team (a team manager's own team, if any).",
    )
    managed_teams = models.ManyToManyField(
        Team, blank=True, related_name="+", help_text="The teams a team manager manages."
    )
    status = models.CharField(max_length=10, choices=MappingStatus.choices, default=MappingStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group", "-created_at", "-pk"]
        verbose_name = "sign-in group"
        verbose_name_plural = "sign-in groups (single sign-on)"
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status="approved"),
                name="one_mapping_in_force_per_group",
                violation_error_message="This group already has a mapping in force.",
            ),
            models.CheckConstraint(
                name="mapping_approved_by_another",
                condition=~Q(status="approved")
                | (Q(decided_by__isnull=False) & ~Q(decided_by=F("requested_by"))),
                violation_error_message="A mapping is approved by an administrator who did not ask for it.",
            ),
            models.CheckConstraint(
                name="mapping_worker_has_team",
                condition=~Q(role="social_worker") | Q(team__isnull=False),
                violation_error_message="A group of social workers needs their team.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.group} → {Role(self.role).label}"

    def clean(self):
        if self.role == Role.SOCIAL_WORKER and self.team_id is None:
            raise ValidationError({"team": "Choose the team of the social workers in this group"})
        if self.role in (Role.DATA_OFFICER, Role.ADMINISTRATOR) and self.team_id is not None:
            raise ValidationError({"team": "Leave the team empty: this role has no team"})

    @property
    def is_pending(self) -> bool:
        return self.status == MappingStatus.PENDING

    def describe(self, managed_teams=None) -> str:
        """The mapping in words, for the audit trail and the approval list."""
        teams = managed_teams if managed_teams is not None else (self.managed_teams.all() if self.pk else [])
        words = f"{self.group}" + (f" ({self.label})" if self.label else "") + f" → {Role(self.role).label}"
        if self.team_id:
            words += f", team {self.team}"
        names = ", ".join(sorted(str(t) for t in teams))
        if names:
            words += f", manages {names}"
        return words


class ExternalIdentity(models.Model):
    """Who a user is at the council's identity provider: its issuer and the person's stable subject
    id there. A user signs in through the provider only as the identity linked here (never matched
    by email, which a provider may let people set), and the groups of their last sign-in are kept
    (an administrator never approves a mapping of a group they are in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    groups = models.JSONField(default=list, blank=True)
    # The account was switched off at a sign-in because the person was in no mapped group: a later
    # sign-in in a mapped group switches it back on. One an administrator switched off stays off.
    switched_off_at_sign_in = models.BooleanField(default=False)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "external identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_external_identity")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"
