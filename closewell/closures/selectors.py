"""Reads of Closure Records that check access: a record, the manager's queue, the worker's returns."""

import datetime as dt
import re
from dataclasses import dataclass

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
from closewell.core.dates import add_working_days, day_span
from closewell.core.prefetch import hold, related

from . import changes, sections
from .checks import SIGNATURES, SIGNATURES_LABEL
from .content import parents_and_carers, seen_contacts
from .models import LIVE, ClosureRecord, ReturnComment, Status


def record_get_for_user(user, pk: int, *, audit_read: bool = True) -> ClosureRecord:
    """The record if the user may read its case, else 404 alike for 'missing' and 'not yours'.
    Reading a Closure Record is audited."""
    episodes = scope_episodes(user, Episode.objects.all())
    records = (
        ClosureRecord.objects.select_related(
            "episode__child", "episode__team", "episode__worker", "author", "authorised_by", "handover"
        )
        .filter(pk=pk, episode__in=episodes)
        .order_by()
    )
    # One row at most (its key): read without .first()'s ORDER BY and LIMIT, over which PostgreSQL's
    # planner weighs this nine-table join's orders for longer than the query runs (5 ms against 2).
    record = next(iter(records), None)
    if record is None:
        raise Http404("No such record.")
    _read_case(record)
    if audit_read:
        log_event(
            actor=user,
            action=Action.VIEW,
            obj=record,
            child_id=record.episode.child_id,
            summary=f"Viewed the Closure Record for {record.episode.child.full_name}",
        )
    return record


def _read_case(record: ClosureRecord) -> None:
    """What the record's pages, checks and advice each read of the case, read once, each relation in
    one plain query held on its row (core.prefetch.hold): content.family_links, content.period_start,
    content.review_groups, the sections' rules."""
    episode, child = record.episode, record.episode.child
    hold(record, "parent_views", record.parent_views.select_related("person"), sort=())
    hold(episode, "assessments", episode.assessments.all(), sort=("start_date",))
    hold(child, "looked_after_periods", child.looked_after_periods.all(), sort=("start_date",))
    hold(child, "relationships", child.relationships.select_related("person"), sort=())
    # Sorted by the query: an action's start date may be empty, and the databases put empty dates apart.
    hold(episode, "actions", episode.actions.order_by("start_date", "pk"))


def _signatures_shown(record: ClosureRecord) -> QuerySet:
    """A record's signatures as its pages and the API's list show them: with the witness (the API names
    them), without the drawn image and the scan (up to 10 MB; the signatures page and the copies read
    them)."""
    return record.signatures.select_related("witness").defer("image", "scan").order_by("signer_kind", "pk")


def record_checked(record: ClosureRecord, *, rules: bool = True) -> ClosureRecord:
    """The record (read through record_get_for_user) with its signatures and return comments, and,
    for a page that runs its rules (rules=True), the episode's contacts, plans and section 47
    enquiries they check: each read once, however many of the page's helpers ask (core.prefetch)."""
    hold(record, "signatures", _signatures_shown(record))
    hold(record, "comments", record.comments.select_related("author", "answered_by").order_by("-round", "pk"))
    if rules:
        episode = record.episode
        hold(episode, "contacts", seen_contacts(episode.contacts.all()))
        hold(episode, "plans", episode.plans.all(), sort=("start_date",))
        hold(episode, "section47s", episode.section47s.all(), sort=("start_date",))
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
    and the case now (sections.content_now)."""
    if record.is_authorised and record.snapshot:
        return revive(record.snapshot)
    return sections.content_now(record)


def addenda_for_page(record: ClosureRecord) -> list[dict]:
    """The corrections shown beneath an original record, each with what it says. None on an addendum,
    and none to read on a record not authorised: an addendum is started only on an authorised record
    (services.addendum_start), and an authorised record stays so."""
    if record.addendum_to_id or not record.is_authorised:
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
        # What the case page shows and asks of them: not the sections' content, nor an authorised
        # record's frozen copy (the page links to them).
        .only("episode", "status", "authorised_at")
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
        # Who wrote, changed or submitted each one (four eyes), read for the whole queue at once.
        .prefetch_related("contributions")
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

    Needs attention: a manager's comment on the section not yet dealt with. Check: it holds what was
    pre-filled from the case and nobody has opened and saved it yet. Completed: no problem left. Each
    task carries the comments of the latest return on its section, answered or not, so the worker
    sees each beside its section.
    """
    found = sections.problems(record)
    comments = latest_comments(record)
    tasks = []
    for spec in sections.due(record):
        section_problems = [p for p in found if p.section == spec.key]
        section_comments = [c for c in comments if c.section == spec.key]
        if any(not c.resolved for c in section_comments):
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


def latest_comments(record: ClosureRecord) -> list[ReturnComment]:
    """The comments of the record's latest return (a record returned twice shows the second
    return's), oldest first, with who wrote and answered them."""
    comments = related(
        record, "comments", record.comments.select_related("author", "answered_by").order_by("-round", "pk")
    )
    return [comment for comment in comments if comment.round == comments[0].round] if comments else []


def return_loop(record: ClosureRecord) -> dict[str, dict]:
    """For the manager reading a record that comes back: by section, the comments of the latest
    return with the worker's answers, and what changed in the section since the return (word by
    word, from the section as it stood then to what it says now)."""
    if record.is_authorised:
        return {}
    by_section: dict[str, dict] = {}
    for comment in latest_comments(record):
        entry = by_section.get(comment.section)
        if entry is None:
            spec = sections.get(comment.section)
            now = sections.json_safe(spec.content_of(record))
            before = comment.section_before
            pieces = [] if before is None else changes.word_diff(before, now)
            entry = by_section[comment.section] = {
                "title": spec.title,
                "comments": [],
                "pieces": pieces,
                "changed": changes.changed(pieces),
                "returned_at": comment.created_at,
            }
        entry["comments"].append(comment)
    return by_section


class SignatureStatus:
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    OUT_OF_DATE = "Out of date"


def signatures_task(record: ClosureRecord) -> dict:
    """The signatures as a task of the record: the child's and each parent's or carer's signature
    (or why they did not sign), each marked out of date when the record changed after they signed
    (the SHA-256 they signed against the record's now: sections.signed_sha256).

    Status: Out of date when any signature is; Completed when the child and every parent or carer
    have one and none is out of date; In progress when some have; Not started when none has.

    The digest (everything the record says, built and hashed) is worked out only when there is a
    signature to compare it with; None when there is none."""
    signatures = related(record, "signatures", _signatures_shown(record))
    digest = sections.signed_sha256(record) if signatures else None
    for signature in signatures:
        signature.out_of_date = signature.is_out_of_date(digest)
    signed = {s.person_id for s in signatures if s.person_id}
    child = record.episode.child
    missing = [] if any(s.signer_kind == "child" for s in signatures) else [child.full_name]
    missing += [
        link.person.full_name for link in parents_and_carers(record.episode) if link.person_id not in signed
    ]
    if any(s.out_of_date for s in signatures):
        status = SignatureStatus.OUT_OF_DATE
    elif not signatures:
        status = SignatureStatus.NOT_STARTED
    elif missing:
        status = SignatureStatus.IN_PROGRESS
    else:
        status = SignatureStatus.COMPLETED
    return {
        "key": SIGNATURES,
        "label": SIGNATURES_LABEL,
        "status": status,
        "signatures": signatures,
        "missing": missing,
        "digest": digest,
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


@dataclass
class HistoryEntry:
    """One line of a record's History page: an event, or one person's repeated views of the record
    between two changes to it (`views` of them, from `first_at` to `at`)."""

    at: dt.datetime
    actor: object
    action: str
    summary: str
    views: int = 0
    first_at: dt.datetime | None = None

    @property
    def is_views(self) -> bool:
        return self.views > 1

    @property
    def days(self) -> str:
        """The days the views were on, in local time."""
        return day_span(timezone.localdate(self.first_at or self.at), timezone.localdate(self.at))


def record_history(record: ClosureRecord) -> list[HistoryEntry]:
    """Who did what to a record, and who read it, newest first (shown to managers). Reads between two
    changes are one line per reader ("Viewed 14 times by Sam Jones, 3–25 November 2026"), so the
    changes are not lost among them; every change is a line of its own."""
    events = (
        AuditEvent.objects.filter(object_type="closures.ClosureRecord", object_id=str(record.pk))
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    return group_reads(events.iterator(chunk_size=2000))


def group_reads(events) -> list[HistoryEntry]:
    """Events, newest first, as history lines: each person's reads between two other events become
    one line, placed by their latest read; every other event is a line of its own."""
    entries: list[HistoryEntry] = []
    reads: dict[int | None, HistoryEntry] = {}

    def close_reads() -> None:
        entries.extend(sorted(reads.values(), key=lambda entry: entry.at, reverse=True))
        reads.clear()

    for event in events:
        if event.action != Action.VIEW:
            close_reads()
            entries.append(HistoryEntry(event.at, event.actor, event.action, event.summary))
            continue
        seen = reads.get(event.actor_id)
        if seen is None:
            reads[event.actor_id] = HistoryEntry(
                event.at, event.actor, event.action, event.summary, views=1, first_at=event.at
            )
        else:
            seen.views += 1
            seen.first_at = event.at
    close_reads()
    return entries
