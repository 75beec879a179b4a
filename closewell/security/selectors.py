"""Reads for the security pages: who has viewed a child's case; whether a two-factor code was used."""

import time

from django.db.models import QuerySet
from django_otp.oath import TOTP

from closewell.accounts.permissions import child_permissions
from closewell.audit.models import Action, AuditEvent

VIEWS_SHOWN = 20


def case_views(user, child) -> QuerySet:
    """The latest reads of a child's case and Closure Records (newest first), for its managers
    (child_permissions(...).can_see_who_viewed); nothing for anyone else."""
    if not child_permissions(user, child).can_see_who_viewed:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(child_id=child.pk, action=Action.VIEW)
        .select_related("actor")
        .order_by("-pk")[:VIEWS_SHOWN]
    )


def code_already_used(device, code: str) -> bool:
    """Whether a code the app shows is one this device has already accepted (django-otp refuses a
    code twice, so a replayed code cannot sign anyone in): the page then says so, instead of
    calling a right code wrong."""
    try:
        token = int(code)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(token, device.tolerance) and totp.t() <= device.last_t
