"""Reads of Closure Records that check access: a record, the manager's queue, the worker's returns."""

import datetime as dt
import re

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from closewell.accounts.permissions import (
    case_permissions,
    record_permissions,
    scope_episodes,
    team_ids_for,
    user_permissions,
)
from closewell.audit.models import Action, AuditEvent
from closewell.audit.services import log_event
from closewell.cases.models import Episode
from closewell.core.dates import add_working_days

from . import sections
from .models import LIVE, ClosureRecord, Status


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


def records_for_user(user, *, status: str | None = None, episode_id: int | None = None) -> QuerySet:
    """The Closure Records of the cases the user may read, newest first (a list, not a read of one)."""
    records = (
        ClosureRecord.objects.filter(episode__in=scope_episodes(user, Episode.objects.all()))
        .select_related("episode__child", "author")
        .order_by("-created_at", "-pk")
    )
    if status in Status.values:
        records = records.filter(status=status)
    if episode_id is not None:
        records = records.filter(episode_id=episode_id)
    return records


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def revive(value):
    """The frozen record's ISO dates back to dates, so a page shows them in words."""
    if isinstance(value, dict):
        return {key: revive(item) for key, item in value.items()}
    if isinstance(value, list):
        return [revive(item) for item in value]
    if isinstance(value, str):
        try:
            if ISO_DATE.match(value):
                return dt.date.fromisoformat(value)
            if ISO_DATETIME.match(value):
                return timezone.localtime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def record_content(record: ClosureRecord) -> dict:
    """What a record (already read through record_get_for_user) says, for its pages: once authorised
    the frozen record exactly as authorised (never live case data), until then built from the record
    and the case now (sections.build_content)."""
    if record.is_authorised and record.snapshot:
        return revive(record.snapshot)
    return sections.build_content(record)


def addenda_for_page(record: ClosureRecord) -> list[dict]:
    """The corrections shown beneath an original record, each with what it says (none on an addendum)."""
    if record.addendum_to_id:
        return []
    return [
        {"record": addendum, "content": record_content(addendum)}
        for addendum in record.addenda.exclude(status=Status.WITHDRAWN)
        .select_related("author", "authorised_by")
        .order_by("pk")
    ]


def episode_closures(user, child, episodes) -> dict:
    """For each of the child's episodes (already read through the case selectors): its live record,
    its authorised records, and whether this user may start or continue one. One query."""
    records = list(
        ClosureRecord.objects.filter(episode__child=child, addendum_to__isnull=True)
        .exclude(status=Status.WITHDRAWN)
        .order_by("pk")
    )
    by_episode = {}
    for episode in episodes:
        mine = [r for r in records if r.episode_id == episode.pk]
        live = next((r for r in mine if r.status in LIVE), None)
        if live is not None:
            live.episode = episode
        by_episode[episode.pk] = {
            "live": live,
            "authorised": [r for r in mine if r.status == Status.AUTHORISED],
            "can_start": live is None and case_permissions(user, episode).can_start_closure,
            "can_continue": live is not None and record_permissions(user, live).can_edit,
        }
    return by_episode


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
    access = user_permissions(user)
    if not access.can_authorise_records:
        return ClosureRecord.objects.none()
    return (
        ClosureRecord.objects.filter(status=Status.SUBMITTED, episode__team_id__in=access.team_ids or [])
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
    """The records the user wrote that are not finished: drafts, those submitted and waiting for
    authorisation, and those returned to them, in the teams they are in now (a worker moved to
    another team no longer sees the old team's children: access follows the team, not authorship)."""
    return (
        ClosureRecord.objects.filter(
            status__in=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED],
            author=user,
            episode__team_id__in=team_ids_for(user) or [],
        )
        .select_related("episode__child")
        .order_by("decision_date")
    )


class TaskStatus:
    OPTIONAL = "Optional"
    CHECK = "Check"
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    NEEDS_ATTENTION = "Needs attention"


def task_list(record: ClosureRecord) -> list[dict]:
    """The GOV.UK task list: each section due on this record with its status and problems.

    Needs attention: a manager's open comment on the section. Check: it holds what was pre-filled
    from the case and nobody has opened and saved it yet. Completed: no problem left.
    """
    found = sections.problems(record)
    comments = list(record.comments.filter(resolved=False))
    tasks = []
    for spec in sections.due(record):
        section_problems = [p for p in found if p.section == spec.key]
        section_comments = [c for c in comments if c.section == spec.key]
        if section_comments:
            status = TaskStatus.NEEDS_ATTENTION
        elif spec.optional and not spec.started(record):
            status = TaskStatus.OPTIONAL
        elif spec.unread(record):
            status = TaskStatus.CHECK
        elif not section_problems:
            status = TaskStatus.COMPLETED
        elif spec.started(record):
            status = TaskStatus.IN_PROGRESS
        else:
            status = TaskStatus.NOT_STARTED
        tasks.append(
            {
                "section": spec.key,
                "label": spec.title,
                "status": status,
                "problems": section_problems,
                "comments": section_comments,
                "optional": spec.optional,
            }
        )
    return tasks


def waits_for_others(user, record: ClosureRecord) -> bool:
    """Someone who works on the case but cannot review this record (its worker, or a manager who
    wrote it) sees a submitted record as "Waiting for authorisation", not as a reviewer does."""
    access = record_permissions(user, record)
    return access.works_on_case and not access.is_reviewer


def submission(record: ClosureRecord) -> dict:
    """Who submitted the record and when (its latest submission), from the audit trail."""
    event = (
        AuditEvent.objects.filter(
            object_type="closures.ClosureRecord",
            object_id=str(record.pk),
            action=Action.TRANSITION,
            after__status=Status.SUBMITTED,
        )
        .select_related("actor")
        .order_by("-pk")
        .first()
    )
    return {"at": record.submitted_at, "by": event.actor if event else record.author}


def who_can_authorise(record: ClosureRecord) -> list:
    """The team's managers who may authorise the record now (not one who wrote, changed or submitted
    it: accounts.permissions.can_authorise)."""
    managers = record.episode.team.managers.filter(is_active=True).order_by("first_name", "last_name")
    return [m for m in managers if record_permissions(m, record).can_authorise]


def authorise_consequences(record: ClosureRecord) -> dict:
    """What authorising now does, for the confirmation page: the case closes today (the closure date
    is the authorisation date, DOMAIN.md) with the record's reason; its open plans end today."""
    today = timezone.localdate()
    episode = record.episode
    return {
        "today": today,
        "reason_code": record.reason_code,
        "reason_label": record.get_reason_code_display() if record.reason_code else "",
        "open_plans": episode.plans.filter(end_date__isnull=True).count(),
        "is_addendum": record.addendum_to_id is not None,
    }


def letter_note(record: ClosureRecord) -> str:
    """'Sam is 9: there is no letter to Sam', for a Closure Record of a child of 5 or over with no
    letter to the child (sections.LETTER_EXPECTED_FROM). A note for the worker and the manager: the
    letter is optional and its absence never stops a record."""
    if record.addendum_to_id or (record.letter_to_child or "").strip():
        return ""
    child = record.episode.child
    age = sections.age_on(child.date_of_birth, timezone.localdate())
    if age is None or age < sections.LETTER_EXPECTED_FROM:
        return ""
    return f"{child.first_name} is {age}: there is no letter to {child.first_name}."


def record_history(record: ClosureRecord) -> QuerySet:
    """Who did what to a record, and who read it, oldest first (shown to managers)."""
    return (
        AuditEvent.objects.filter(object_type="closures.ClosureRecord", object_id=str(record.pk))
        .select_related("actor")
        .order_by("pk")
    )
