"""Reads for the security pages: who has viewed a child's case."""

from django.db.models import QuerySet

from closewell.accounts.models import Role
from closewell.accounts.permissions import team_ids_for
from closewell.audit.models import Action, AuditEvent

VIEWS_SHOWN = 20


def may_see_case_views(user, child) -> bool:
    """A team manager of a team the child has an episode with sees who read the case: reading a
    child's record is audited so that someone answerable can check who looked, and why."""
    if not user.is_authenticated or user.role != Role.TEAM_MANAGER:
        return False
    return child.episodes.filter(team_id__in=team_ids_for(user) or []).exists()


def case_views(user, child) -> QuerySet:
    """The latest reads of a child's case and Closure Records (newest first), for its managers;
    nothing for anyone else."""
    if not may_see_case_views(user, child):
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(child_id=child.pk, action=Action.VIEW)
        .select_related("actor")
        .order_by("-pk")[:VIEWS_SHOWN]
    )
