"""Writes for two-factor sign-in: confirming a user's authenticator app."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.audit.models import Action
from closewell.audit.services import log_event


def two_factor_confirm(*, user, device: TOTPDevice, code: str) -> bool:
    """Confirm a new authenticator app with one code from it: only a device that has shown it holds
    the key counts for sign-in. Audited, as a change to how the user signs in."""
    with transaction.atomic():
        if device.user_id != user.pk or not device.verify_token(code):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log_event(actor=user, action=Action.UPDATE, obj=user, summary="Set up two-factor sign-in")
    return True
