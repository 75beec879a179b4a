"""Reads of Closure Records that check access: a record, the manager's queue, the worker's returns."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from closewell.accounts.models import Role
from closewell.accounts.permissions import scope_episodes, team_ids_for
from closewell.audit.models import Action, AuditEvent
from closewell.audit.services import log_event
from closewell.cases.models import Episode
from closewell.core.dates import add_working_days

from .checks import problems, section_required
from .models import ClosureRecord, Section, Status


def record_get_for_user(user, pk: int, *, audit_read: bool = True) -> ClosureRecord:
    """The record if the user may read its case, else 404 alike for 'missing' and 'not yours'.
    Reading a Closure Record is audited."""
    episodes = scope_episodes(user, Episode.objects.all())
    record = (
        ClosureRecord.objects.select_related("episode__child", "episode__team", "author", "authorised_by")
        .filter(pk=pk, episode__in=episodes)
        .first()
    )
    if record is None:
        raise Http404("No such record.")
    if audit_read:
        log_event(
            actor=user,
            action=Action.VIEW,
            obj=record,
            child_id=record.episode.child_id,
            summary=f"Viewed the Closure Record for {record.episode.child.full_name}",
        )
    return record


def submit_due(record: ClosureRecord) -> dt.date:
    return add_working_days(record.decision_date, settings.CLOSURE_SUBMIT_WORKING_DAYS)


def authorise_due(record: ClosureRecord) -> dt.date | None:
    if record.submitted_at is None:
        return None
    return add_working_days(timezone.localdate(record.submitted_at), settings.CLOSURE_AUTHORISE_WORKING_DAYS)


def is_overdue(record: ClosureRecord, today: dt.date | None = None) -> bool:
    """Not submitted within 15 working days of the decision, or not authorised within 5 of submission
    (both configurable)."""
    today = today or timezone.localdate()
    if record.status in (Status.DRAFT, Status.RETURNED):
        return today > submit_due(record)
    if record.status == Status.SUBMITTED:
        return today > authorise_due(record)
    return False


def awaiting_authorisation(user) -> QuerySet:
    """A manager's queue: submitted records in the teams they manage, longest waiting first."""
    if user.role != Role.TEAM_MANAGER:
        return ClosureRecord.objects.none()
    return (
        ClosureRecord.objects.filter(status=Status.SUBMITTED, episode__team_id__in=team_ids_for(user))
        .select_related("episode__child", "episode__team", "author")
        .order_by("submitted_at", "pk")
    )


def returned_to(user) -> QuerySet:
    """A worker's list of records returned to them for amendment, in the teams they are in now."""
    return (
        ClosureRecord.objects.filter(
            status=Status.RETURNED, author=user, episode__team_id__in=team_ids_for(user) or []
        )
        .select_related("episode__child")
        .order_by("updated_at")
    )


def in_progress_for(user) -> QuerySet:
    """Drafts and returned records the user wrote, in the teams they are in now: a worker moved to
    another team no longer sees the old team's children (access follows the team, not authorship)."""
    return (
        ClosureRecord.objects.filter(
            status__in=[Status.DRAFT, Status.RETURNED],
            author=user,
            episode__team_id__in=team_ids_for(user) or [],
        )
        .select_related("episode__child")
        .order_by("decision_date")
    )


class TaskStatus:
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    NEEDS_ATTENTION = "Needs attention"


SECTION_FIELDS = {
    Section.INVOLVEMENT: ["reason_for_involvement"],
    Section.INTERVENTIONS: ["interventions"],
    Section.REASON: ["reason_for_closure", "reason_code"],
    Section.CHILD_VIEWS: ["child_discussed", "child_views", "child_not_discussed_reason"],
    Section.DOMESTIC_ABUSE: ["da_work_with_perpetrator", "da_if_released", "da_if_resumed"],
    Section.INTERPRETING: ["interpreter_language", "interpreter_name", "interpreted_on", "explained_to"],
    Section.ADDENDUM: ["addendum_text"],
}


def _started(record: ClosureRecord, section: str) -> bool:
    if section == Section.REVIEW:
        return any(a.actual_level or a.outcome or a.impact for a in record.episode.actions.all())
    if section == Section.PARENT_VIEWS:
        return any(v.discussed is not None for v in record.parent_views.all())
    return any(getattr(record, name) not in (None, "") for name in SECTION_FIELDS[section])


def task_list(record: ClosureRecord) -> list[dict]:
    """The GOV.UK task list: each section due on this record with its status and problems.

    Needs attention: a manager's open comment on the section. Completed: no problem left.
    """
    found = problems(record)
    comments = list(record.comments.filter(resolved=False))
    tasks = []
    for section in Section:
        if not section_required(record, section):
            continue
        section_problems = [p for p in found if p.section == section]
        section_comments = [c for c in comments if c.section == section]
        if section_comments:
            status = TaskStatus.NEEDS_ATTENTION
        elif not section_problems:
            status = TaskStatus.COMPLETED
        elif _started(record, section):
            status = TaskStatus.IN_PROGRESS
        else:
            status = TaskStatus.NOT_STARTED
        tasks.append(
            {
                "section": section.value,
                "label": section.label,
                "status": status,
                "problems": section_problems,
                "comments": section_comments,
            }
        )
    return tasks


def record_history(record: ClosureRecord) -> QuerySet:
    """Who did what to a record, and who read it, oldest first (shown to managers)."""
    return (
        AuditEvent.objects.filter(object_type="closures.ClosureRecord", object_id=str(record.pk))
        .select_related("actor")
        .order_by("pk")
    )
