"""Reads for the security pages: who has viewed a child's case."""

from django.db.models import QuerySet

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
