"""Writes for two-factor sign-in: issuing enrolment codes and confirming a user's authenticator app."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts.permissions import enrolment_code_refusal
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.core.errors import DomainError, NotPermitted

from .models import EnrolmentCode

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
