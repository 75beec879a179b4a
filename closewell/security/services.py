"""Writes for signing in: issuing enrolment codes and confirming a user's authenticator app; single
sign-on (a user made or brought up to date from the provider's claims); the group mappings, which one
administrator asks for and a second approves."""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts.models import Role, Team, User
from closewell.accounts.permissions import enrolment_code_refusal, group_mapping_refusal
from closewell.accounts.services import access_of, describe_access
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.core.errors import DomainError, NotPermitted
from closewell.core.text import clean_text

from .models import EnrolmentCode, ExternalIdentity, GroupMapping, MappingStatus

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: read aloud or copied from a screen without mistakes. 12 characters: 60 bits.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def normalise(code: str) -> str:
    """A code as typed, in any case, with or without its dashes and spaces."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@transaction.atomic
def enrolment_code_issue(*, actor, user) -> str:
    """Issue a one-time code that lets `user` set up an authenticator app, and return it: the only
    time it is seen (only its hash is kept). It replaces any unspent code and expires after
    ENROLMENT_CODE_HOURS. `actor` None: issued on the server (`manage.py issue_enrolment_code`),
    for the first administrator; otherwise accounts.permissions.enrolment_code_refusal decides."""
    if actor is not None:
        refusal = enrolment_code_refusal(actor, user)
        if refusal:
            raise NotPermitted(refusal)
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    code = _new_code()
    EnrolmentCode.objects.create(
        user=user,
        code_hash=make_password(normalise(code)),
        issued_by=actor,
        expires_at=now + dt.timedelta(hours=settings.ENROLMENT_CODE_HOURS),
    )
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=user,
        summary=f"Issued a two-factor enrolment code for {user.username}"
        + ("" if actor is not None else " (on the server)"),
    )
    return code


def enrolment_code_find(*, user, code: str) -> EnrolmentCode | None:
    """The user's live code (unspent, not replaced, not expired) that `code` is, or None."""
    typed = normalise(code)
    if not typed:
        return None
    live = EnrolmentCode.objects.filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return next((c for c in live if check_password(typed, c.code_hash)), None)


def two_factor_confirm(*, user, device: TOTPDevice, code: str, enrolment_id: int | None) -> bool:
    """Confirm a new authenticator app with one code from it, spending the enrolment code that let
    the user set it up: only a device that has shown it holds the key counts for sign-in, and only
    one enrolled with a code from an administrator. Audited, as a change to how the user signs in."""
    with transaction.atomic():
        enrolment = (
            EnrolmentCode.objects.select_for_update()
            .filter(
                pk=enrolment_id,
                user=user,
                used_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if enrolment is None:
            raise DomainError(
                "Your enrolment code has expired or been used. Ask an administrator for a new one."
            )
        if device.user_id != user.pk or not device.verify_token(code):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        enrolment.used_at = timezone.now()
        enrolment.save(update_fields=["used_at"])
        log_event(actor=user, action=Action.UPDATE, obj=user, summary="Set up two-factor sign-in")
    return True


# --- Single sign-on ---------------------------------------------------------------------------------

ASK_IT = "Ask your council's IT service desk"
NO_GROUP = (
    f"Your council account is not in a group that gives access to Closewell. {ASK_IT} to add you to "
    "the right group, then sign in again."
)
MANY_ROLES = (
    "Your council account is in groups that give different roles in Closewell ({roles}). "
    f"{ASK_IT} to leave you in the group for your role only."
)
MANY_TEAMS = (
    "Your council account is in groups for different teams ({teams}). "
    f"{ASK_IT} to leave you in your own team's group only."
)
TOO_MANY_GROUPS = (
    "Your council account is in too many groups for the identity provider to list them. "
    f"{ASK_IT} to send Closewell only the groups assigned to it."
)
NO_SUBJECT = f"Your council's sign-in service did not say who you are. {ASK_IT}."
NAME_TAKEN = (
    "There is already a Closewell account called {username} that is not linked to your council "
    "account. Ask a Closewell administrator to rename or switch off that account."
)
SWITCHED_OFF = (
    "Your Closewell account has been switched off by an administrator. Ask a Closewell administrator "
    "if you think this is wrong."
)


class SignInRefused(DomainError):
    """Single sign-on worked, but this person may not use Closewell (the message says why and whom
    to ask)."""


@dataclass(frozen=True)
class Access:
    role: str
    team: Team | None
    managed_teams: tuple[Team, ...]

    def describe(self) -> str:
        words = Role(self.role).label + (f", team {self.team}" if self.team else "")
        if self.managed_teams:
            words += ", manages " + ", ".join(team.name for team in self.managed_teams)
        return words

    def as_dict(self, is_active: bool = True) -> dict:
        return {
            "role": self.role,
            "team": self.team.pk if self.team else None,
            "managed_teams": sorted(t.pk for t in self.managed_teams),
            "is_active": is_active,
        }


def groups_of(claims: dict) -> list[str]:
    """The groups a provider's claims name (OIDC_GROUPS_CLAIM). Entra ID leaves them out when there
    are too many (an "overage": _claim_names or hasgroups instead): refused, never read as none."""
    name = settings.OIDC_GROUPS_CLAIM
    if name not in claims and (name in (claims.get("_claim_names") or {}) or claims.get("hasgroups")):
        raise SignInRefused(TOO_MANY_GROUPS)
    groups = claims.get(name) or []
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list | tuple):
        return []
    # A group name is at most a mapping's 200 characters.
    names = {_plain(str(group)) for group in groups if isinstance(group, str | int)}
    return sorted(name for name in names if 0 < len(name) <= 200)


def access_from_groups(groups: list[str]) -> Access:
    """What someone in `groups` may do in Closewell, from the approved mappings (matched without
    regard to case): one role; a social worker's one team; a team manager's managed teams from all
    their groups. In no mapped group, or in groups that disagree on the role or team: refused, so
    access is never guessed."""
    wanted = {group.casefold() for group in groups}
    mappings = [
        mapping
        for mapping in GroupMapping.objects.filter(status=MappingStatus.APPROVED)
        .select_related("team")
        .prefetch_related("managed_teams")
        if mapping.group.strip().casefold() in wanted
    ]
    if not mappings:
        raise SignInRefused(NO_GROUP)
    roles = sorted({mapping.role for mapping in mappings})
    if len(roles) > 1:
        raise SignInRefused(MANY_ROLES.format(roles=", ".join(Role(role).label for role in roles)))
    teams = sorted({mapping.team for mapping in mappings if mapping.team}, key=lambda team: team.name)
    if len(teams) > 1:
        raise SignInRefused(MANY_TEAMS.format(teams=", ".join(team.name for team in teams)))
    role = roles[0]
    managed = {team for mapping in mappings for team in mapping.managed_teams.all()}
    return Access(
        role=role,
        team=teams[0] if teams else None,
        managed_teams=tuple(sorted(managed, key=lambda team: team.name)) if role == Role.TEAM_MANAGER else (),
    )


def _plain(value: str) -> str:
    """Claim text as it can be stored: no NUL, no lone surrogate (JSON can escape one), no control
    or bidi characters (closewell.core.text)."""
    return clean_text(value.replace("\x00", "").encode("utf-8", "ignore").decode()).strip()


def _claim_text(claims: dict, name: str, limit: int) -> str:
    value = claims.get(name)
    return _plain(value)[:limit] if isinstance(value, str) else ""


def _names(claims: dict) -> dict:
    """Names and email as the provider has them, cleaned as typed text is; an email that is not
    one is left out (it is only shown, never used to find anyone)."""
    email = _claim_text(claims, "email", 254)
    try:
        validate_email(email)
    except ValidationError:
        email = ""
    return {
        "first_name": _claim_text(claims, "given_name", 150),
        "last_name": _claim_text(claims, "family_name", 150),
        "email": email,
    }


def sso_sign_in(*, issuer: str, claims: dict) -> User:
    """The user the provider's verified claims are: made at their first sign-in, brought up to date
    at every one (names, role, team, managed teams from their groups).

    The role and team come from the council's provider through mappings two administrators
    approved, so a change here is the council's decision, not one administrator's: it is made at
    once and audited (as the system, with before and after), not asked for like a change in the
    admin (accounts.services). Someone in no mapped group (or in groups that disagree) is refused,
    and an account they had is switched off, audited; a later sign-in in a mapped group switches it
    back on. An account an administrator switched off stays off. Raises SignInRefused."""
    subject = claims.get(settings.OIDC_SUBJECT_CLAIM)
    subject = str(subject) if isinstance(subject, str | int) else ""
    if not subject or len(subject) > 300 or subject != _plain(subject):
        raise SignInRefused(NO_SUBJECT)
    identity = ExternalIdentity.objects.filter(issuer=issuer, subject=subject).select_related("user").first()
    try:
        groups = groups_of(claims)
        access = access_from_groups(groups)
    except SignInRefused as refusal:
        if identity is not None:
            _switch_off(identity, claims, refusal.message)
        logger.warning("Single sign-on refused for %s at %s: %s", subject, issuer, refusal.message)
        raise
    with transaction.atomic():
        if identity is None:
            user = _first_sign_in(issuer=issuer, subject=subject, claims=claims, access=access)
            identity = user.external_identity
        else:
            identity = ExternalIdentity.objects.select_for_update().select_related("user").get(pk=identity.pk)
            user = _update(identity, claims, access)
        identity.groups = groups
        identity.switched_off_at_sign_in = False
        identity.last_sign_in_at = timezone.now()
        identity.save(update_fields=["groups", "switched_off_at_sign_in", "last_sign_in_at"])
        from_provider = " (the provider checked a second factor)" if asserts_mfa(claims) else ""
        log_event(
            actor=user,
            action=Action.UPDATE,
            obj=user,
            summary=f"Signed in through {settings.OIDC_PROVIDER_NAME}{from_provider}",
            after={"groups": groups},
        )
    return user


def asserts_mfa(claims: dict) -> bool:
    """Did the provider say it checked a second factor (its `amr` claim, OIDC_MFA_AMR_VALUES)?"""
    amr = claims.get("amr") or []
    amr = [amr] if isinstance(amr, str) else amr
    return bool({str(value) for value in amr} & set(settings.OIDC_MFA_AMR_VALUES))


def _first_sign_in(*, issuer: str, subject: str, claims: dict, access: Access) -> User:
    username = _claim_text(claims, settings.OIDC_USERNAME_CLAIM, 150) or _names(claims)["email"] or subject
    if User.objects.filter(username__iexact=username).exists():
        raise SignInRefused(NAME_TAKEN.format(username=username))
    user = User(username=username, role=access.role, team=access.team, is_active=True, **_names(claims))
    # Only the provider signs them in: no Closewell password, ever usable.
    user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as error:
        raise SignInRefused(
            f"Your council account's name ({username}) cannot be used in Closewell: "
            f"{' '.join(error.messages)} {ASK_IT}."
        ) from error
    user.save()
    user.managed_teams.set(access.managed_teams)
    ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    after = access.as_dict()
    log_event(
        actor=None,
        action=Action.CREATE,
        obj=user,
        summary=f"Made the account of {username} at their first sign-in through "
        f"{settings.OIDC_PROVIDER_NAME}: " + access.describe(),
        after=after,
    )
    return user


def _update(identity: ExternalIdentity, claims: dict, access: Access) -> User:
    user = User.objects.select_for_update().get(pk=identity.user_id)
    if not user.is_active and not identity.switched_off_at_sign_in:
        raise SignInRefused(SWITCHED_OFF)
    before, after = access_of(user), access.as_dict()
    for name, value in _names(claims).items():
        setattr(user, name, value)
    user.role, user.team, user.is_active = access.role, access.team, True
    user.full_clean(exclude=["password", "username"])
    user.save()
    user.managed_teams.set(access.managed_teams)
    if before != after:
        log_event(
            actor=None,
            action=Action.UPDATE,
            obj=user,
            summary=f"Set the access of {user.username} from their groups in {settings.OIDC_PROVIDER_NAME} "
            f"at sign-in: {describe_access(before, after)}",
            before=before,
            after=after,
        )
    return user


@transaction.atomic
def _switch_off(identity: ExternalIdentity, claims: dict, reason: str) -> None:
    user = User.objects.select_for_update().get(pk=identity.user_id)
    try:
        groups = groups_of(claims)
    except SignInRefused:
        groups = []
    ExternalIdentity.objects.filter(pk=identity.pk).update(groups=groups)
    if not user.is_active:
        return
    before = access_of(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    identity.switched_off_at_sign_in = True
    identity.save(update_fields=["switched_off_at_sign_in"])
    log_event(
        actor=None,
        action=Action.UPDATE,
        obj=user,
        summary=f"Switched off the account of {user.username} at sign-in through "
        f"{settings.OIDC_PROVIDER_NAME}: {reason}"[:300],
        before=before,
        after={**before, "is_active": False, "groups": groups},
    )


# --- Group mappings: one administrator asks, a second approves -----------------------------------------


@transaction.atomic
def group_mapping_request(
    *, actor, group: str, label: str, role: str, team: Team | None, managed_teams
) -> GroupMapping:
    """Ask for a group to give a role (and team, or managed teams): a new mapping, or a new version
    of the one in force, which stays in force until another administrator approves this one."""
    if not (actor.is_active and actor.role == Role.ADMINISTRATOR):
        raise NotPermitted("Only an administrator asks for a sign-in group's access.")
    mapping = GroupMapping(group=group.strip(), label=label.strip(), role=role, team=team, requested_by=actor)
    mapping.full_clean()
    mapping.save()
    managed = list(managed_teams) if role == Role.TEAM_MANAGER else []
    mapping.managed_teams.set(managed)
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=mapping,
        summary=f"Asked for a sign-in group's access (for a second administrator): "
        f"{mapping.describe(managed)}"[:300],
    )
    return mapping


def _locked_mapping(mapping: GroupMapping) -> GroupMapping:
    mapping = GroupMapping.objects.select_for_update().get(pk=mapping.pk)
    if not mapping.is_pending:
        raise DomainError(f"This mapping is already {mapping.get_status_display().lower()}.")
    return mapping


@transaction.atomic
def group_mapping_approve(*, actor, mapping: GroupMapping) -> GroupMapping:
    """A second administrator approves a waiting mapping: it comes into force (replacing the group's
    earlier one) at its members' next sign-in. Never the administrator who asked for it, nor one in
    the group (accounts.permissions.group_mapping_refusal)."""
    mapping = _locked_mapping(mapping)
    refusal = group_mapping_refusal(actor, mapping)
    if refusal:
        raise NotPermitted(refusal)
    now = timezone.now()
    in_force = list(
        GroupMapping.objects.select_for_update().filter(
            group__iexact=mapping.group, status=MappingStatus.APPROVED
        )
    )
    for old in in_force:
        old.status, old.decided_at = MappingStatus.REPLACED, now
        old.save(update_fields=["status", "decided_at", "updated_at"])
    mapping.status, mapping.decided_by, mapping.decided_at = MappingStatus.APPROVED, actor, now
    mapping.full_clean()
    mapping.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=mapping,
        summary=f"Approved the sign-in group's access asked for by {mapping.requested_by}: "
        f"{mapping.describe()}"[:300],
        before={"replaced": [old.pk for old in in_force]},
        after={"mapping": mapping.pk},
    )
    return mapping


@transaction.atomic
def group_mapping_decline(*, actor, mapping: GroupMapping) -> GroupMapping:
    """Decline a waiting mapping (another administrator), or withdraw one's own."""
    mapping = _locked_mapping(mapping)
    if not (actor.is_active and actor.role == Role.ADMINISTRATOR):
        raise NotPermitted("Only an administrator declines a sign-in group's access.")
    mapping.status, mapping.decided_by, mapping.decided_at = MappingStatus.DECLINED, actor, timezone.now()
    mapping.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=mapping,
        summary=f"Declined the sign-in group's access: {mapping.describe()}"[:300],
    )
    return mapping


@transaction.atomic
def group_mapping_remove(*, actor, mapping: GroupMapping) -> GroupMapping:
    """Take a mapping out of force, at once (it takes access away, like switching someone off): its
    members lose what it gave at their next sign-in."""
    if not (actor.is_active and actor.role == Role.ADMINISTRATOR):
        raise NotPermitted("Only an administrator removes a sign-in group's access.")
    mapping = GroupMapping.objects.select_for_update().get(pk=mapping.pk)
    if mapping.status != MappingStatus.APPROVED:
        raise DomainError("Only a mapping in force can be removed; decline one that is waiting.")
    mapping.status, mapping.decided_at = MappingStatus.REMOVED, timezone.now()
    mapping.save(update_fields=["status", "decided_at", "updated_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=mapping,
        summary=f"Removed the sign-in group's access: {mapping.describe()}"[:300],
    )
    return mapping
