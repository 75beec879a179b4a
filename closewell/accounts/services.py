"""Writes to accounts that need two administrators: one asks (user_*_request), another approves.

A role or team, an account switched on, a password set for someone, an authenticator app removed:
each would let one administrator reach children's records or sign in as someone who can. So none is
made by the administrator who asks for it; it waits as a UserChange until a second administrator,
who is neither the one who asked nor the person it changes, approves it. Switching someone off (a
leaver) is made at once: it takes access away.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.core.errors import DomainError, NotPermitted

from .models import ChangeKind, ChangeStatus, Role, Team, User, UserChange
from .permissions import user_change_refusal

OWN_ACCESS = (
    "You cannot change your own role, team or whether your account is active. Ask another "
    "administrator to make the change."
)


def access_of(user: User) -> dict:
    return {
        "role": user.role,
        "team": user.team_id,
        "managed_teams": sorted(user.managed_teams.values_list("pk", flat=True)) if user.pk else [],
        "is_active": user.is_active,
    }


def _team_names(ids) -> str:
    names = list(Team.objects.filter(pk__in=ids or []).order_by("name").values_list("name", flat=True))
    return ", ".join(names) or "none"


def describe_access(before: dict, after: dict) -> str:
    parts = []
    if before["role"] != after["role"]:
        parts.append(f"role: {Role(before['role']).label} → {Role(after['role']).label}")
    if before["team"] != after["team"]:
        parts.append(f"team: {_team_names([before['team']])} → {_team_names([after['team']])}")
    if before["managed_teams"] != after["managed_teams"]:
        parts.append(
            f"manages: {_team_names(before['managed_teams'])} → {_team_names(after['managed_teams'])}"
        )
    if before["is_active"] != after["is_active"]:
        parts.append("switch the account on" if after["is_active"] else "switch the account off")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _ask(*, actor, user: User, kind: str, description: str, payload: dict) -> UserChange:
    change = UserChange(
        user=user, kind=kind, description=description[:500], payload=payload, requested_by=actor
    )
    change.full_clean()
    change.save()
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=user,
        summary=f"Asked for a change to {user.username} (for a second administrator): {description}",
        after={"change": change.pk, "kind": kind},
    )
    return change


@transaction.atomic
def user_access_request(
    *, actor, user: User, role: str, team: Team | None, managed_teams, is_active: bool, new: bool = False
) -> UserChange | None:
    """Ask for a user's role, team, managed teams or active status to change. Switching an account
    off is made at once (it takes access away); anything else waits for a second administrator.
    Nobody asks for a change to their own access. Returns the waiting change, or None."""
    if user.pk == actor.pk:
        raise NotPermitted(OWN_ACCESS)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = access_of(user)
    after = {
        "role": role,
        "team": team.pk if team else None,
        "managed_teams": sorted(t.pk for t in managed_teams),
        "is_active": is_active,
    }
    if before == after:
        return None
    if before["is_active"] and not is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        log_event(
            actor=actor,
            action=Action.UPDATE,
            obj=user,
            summary=f"Switched off the account of {user.username}",
        )
        before = access_of(user)
        if before == after:
            return None
    description = describe_access(before, after)
    if new:
        description = (
            f"Switch on a new account: {Role(role).label}"
            + (f", team {team}" if team else "")
            + (f", manages {_team_names(after['managed_teams'])}" if after["managed_teams"] else "")
        )
    payload = {"before": before, "after": after}
    if new and user.has_usable_password():
        # The asker set the new account's first password: kept (as its hash) so that they are never
        # also the one who issues its enrolment code (permissions.enrolment_code_refusal).
        payload["password"] = user.password
    return _ask(actor=actor, user=user, kind=ChangeKind.ACCESS, description=description, payload=payload)


@transaction.atomic
def user_password_request(*, actor, user: User, password: str | None) -> UserChange:
    """Ask for another user's password to be set (None: password sign-in switched off). Only its
    hash is kept. One's own password is changed on the admin's own password page, not here."""
    if user.pk == actor.pk:
        raise DomainError("Change your own password on the “Change password” page.")
    description = "Set a new password" if password is not None else "Switch off password sign-in"
    return _ask(
        actor=actor,
        user=user,
        kind=ChangeKind.PASSWORD,
        description=description,
        payload={"password": make_password(password)},
    )


@transaction.atomic
def user_authenticator_removal_request(*, actor, device: TOTPDevice) -> UserChange:
    """Ask for a (lost) authenticator app to be removed. Its owner then needs an enrolment code
    from an administrator to set up a new one."""
    return _ask(
        actor=actor,
        user=device.user,
        kind=ChangeKind.AUTHENTICATOR,
        description=f"Remove the authenticator app “{device.name}”",
        payload={"device": device.pk},
    )


def _make(change: UserChange, user: User) -> dict:
    """Make an approved change; returns what the audit keeps of before and after (never a hash)."""
    if change.kind == ChangeKind.ACCESS:
        before, after = access_of(user), change.payload["after"]
        if before != change.payload["before"]:
            raise DomainError(
                f"{user.username}'s account has changed since this was asked for. Decline it and ask again."
            )
        user.role, user.team_id, user.is_active = after["role"], after["team"], after["is_active"]
        user.full_clean(exclude=["password"])
        user.save()
        user.managed_teams.set(after["managed_teams"])
        return {"before": before, "after": after}
    if change.kind == ChangeKind.PASSWORD:
        user.password = change.payload["password"]
        user.save(update_fields=["password"])
        return {"before": None, "after": {"password": "set"}}
    removed, _ = TOTPDevice.objects.filter(pk=change.payload["device"], user=user).delete()
    if not removed:
        raise DomainError("That authenticator app has already been removed. Decline this change.")
    return {"before": {"device": change.payload["device"]}, "after": None}


def _locked(change: UserChange) -> UserChange:
    change = UserChange.objects.select_for_update().select_related("user", "requested_by").get(pk=change.pk)
    if not change.is_pending:
        raise DomainError(f"This change has already been {change.get_status_display().lower()}.")
    return change


@transaction.atomic
def user_change_approve(*, actor, change: UserChange) -> UserChange:
    """A second administrator approves a waiting change, and it is made: never the one who asked
    for it, never the person it changes (accounts.permissions.user_change_refusal)."""
    change = _locked(change)
    refusal = user_change_refusal(actor, change)
    if refusal:
        raise NotPermitted(refusal)
    user = User.objects.select_for_update().get(pk=change.user_id)
    made = _make(change, user)
    change.status, change.decided_by, change.decided_at = ChangeStatus.APPROVED, actor, timezone.now()
    change.full_clean()
    change.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=user,
        summary=f"Approved the change to {user.username} asked for by {change.requested_by.username}: "
        f"{change.description}",
        **made,
    )
    return change


@transaction.atomic
def user_change_decline(*, actor, change: UserChange) -> UserChange:
    """Decline a waiting change (another administrator), or withdraw one's own request."""
    change = _locked(change)
    if not (actor.is_active and actor.role == Role.ADMINISTRATOR):
        raise NotPermitted("Only an administrator declines a change.")
    change.status, change.decided_by, change.decided_at = ChangeStatus.DECLINED, actor, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=change.user,
        summary=f"Declined the change to {change.user.username}: {change.description}",
    )
    return change
