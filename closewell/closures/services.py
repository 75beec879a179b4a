"""Writes to Closure Records: start, edit, submit, return, authorise, withdraw, addendum.

Every status change goes through transition(); authorisation closes the episode in the same
transaction, because the case is closed from the moment a team manager authorises the record.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from closewell.accounts.models import User
from closewell.accounts.permissions import case_permissions, record_permissions
from closewell.audit.models import Action, AuditEvent
from closewell.audit.services import log_event
from closewell.cases.models import Episode, EpisodeStatus, WorkKind
from closewell.cases.services import field_values
from closewell.core import date_rules
from closewell.core.dates import long_date
from closewell.core.errors import DomainError, NotPermitted
from closewell.core.text import TEXT_MAX
from closewell.outbox.services import email_queue

from . import sections
from .checks import Problem, date_checks
from .content import parents_and_carers
from .contributors import contribution_note
from .models import (
    LIVE,
    TRANSITIONS,
    ClosureRecord,
    ContributionKind,
    ParentView,
    ReturnComment,
    Section,
    Status,
)

# A stale save never guesses who: it may have been someone else, or the same person in another tab.
STALE_MESSAGE = (
    "This section was changed after you opened it. Your text is kept below, beside what is saved "
    "now: check what changed, then save yours again."
)

STALE_ACTION_MESSAGE = (
    "The planned action “{action}” was changed after you opened this review. Your text is kept below: "
    "check what changed, then save yours again."
)


class RecordIncomplete(DomainError):
    """The record breaks one or more rules; `problems` lists each with its section."""

    def __init__(self, found: list[Problem]):
        super().__init__(f"The record cannot go forward: {len(found)} thing(s) to put right.")
        self.problems = found


def _notify(recipients, subject: str, body: str) -> None:
    """Tell people of a change, through the outbox: in the change's transaction, sent after it commits."""
    email_queue(to=[u.email for u in recipients], subject=subject, body=body)


def _prefill_involvement(episode: Episode) -> str:
    """What the case records about why services were provided, as facts for the worker to read and
    rewrite (dates, who referred, each assessment and what it found; the census's primary need, in
    its formal words, is left to the worker to say plainly). Nothing the
    worker typed elsewhere (an assessment's summary) is copied in as prose: the pre-filled text is
    prompts to replace, and it passes the writing advice (closewell.advice)."""
    name = episode.child.first_name
    lines = [
        f"{name} was referred to us on {long_date(episode.referral_date)}. "
        f"Who referred: {episode.get_referral_source_display().lower()}."
    ]
    for assessment in episode.assessments.all():
        text = f"{assessment.get_kind_display()} started on {long_date(assessment.start_date)}."
        if assessment.factors:
            found = (_factor_words(f, name) for f in assessment.get_factors_display())
            text += " It found: " + "; ".join(found) + "."
        lines.append(text)
    return "\n\n".join(lines)


def _factor_words(label: str, name: str) -> str:
    """A census factor in the record's words: the child by their name, not "the child" (Write
    Enough), and "a parent or carer" for the census's "the parent(s) or carer(s)"."""
    words = label[0].lower() + label[1:]
    for census, plain in (
        ("the parent(s) or carer(s) are", "a parent or carer is"),
        ("the parent(s) or carer(s)", "a parent or carer"),
        ("the child", name),
    ):
        words = words.replace(census, plain)
    return words


def first_sentence(text: str) -> str:
    """The first sentence of a note, whole."""
    lines = (text or "").strip().splitlines()
    line = lines[0] if lines else ""
    end = line.find(". ")
    return line if end == -1 else line[: end + 1]


def _prefill_interventions(episode: Episode) -> str:
    """The direct work as facts, one line a contact: its date, its kind and whether the child was
    seen (never the note's words, which the worker turns into the account of the work). On a long
    case the latest lines that fit within the section's limit (closewell.core.text), so that the
    record can always be started."""
    name = episode.child.first_name
    direct = episode.contacts.filter(work=WorkKind.DIRECT).order_by("-occurred_at")
    lines, length = [], 0
    for c in direct.iterator():
        seen = f"{name} seen alone" if c.child_seen_alone else (f"{name} seen" if c.child_seen else "")
        line = f"{long_date(timezone.localtime(c.occurred_at).date())}: {c.get_kind_display().lower()}"
        line = (line + (f", {seen}." if seen else "."))[:TEXT_MAX]
        length += len(line) + 1
        if length > TEXT_MAX + 1:
            break
        lines.append(line)
    return "\n".join(reversed(lines))


def decision_maker_for(episode: Episode, value) -> User | None:
    """The team manager chosen as the one who made the decision (a User or their id), who must be a
    manager of the case's team; None when someone else made it."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    manager = episode.team.managers.filter(pk=pk).first() if str(pk).isdigit() else None
    if manager is None:
        raise DomainError(
            "Choose a team manager of this team, or “Someone else” with their name and role.",
            field="decision_maker",
        )
    return manager


def _decide(record: ClosureRecord, *, maker, by: str, role: str) -> None:
    """Who made the decision: a manager of the team (their name and role are then not kept), or
    someone else by name (the pages and the API ask their role too)."""
    record.decision_maker = decision_maker_for(record.episode, maker)
    if record.decision_maker is not None:
        record.decision_by = record.decision_by_role = ""
        return
    record.decision_by, record.decision_by_role = (by or "").strip(), (role or "").strip()
    if not record.decision_by:
        raise DomainError(
            "Choose the team manager who made the decision, or enter the name and role of who made it.",
            field="decision_maker",
        )


@transaction.atomic
def closure_start(
    *,
    actor,
    episode: Episode,
    decision_date,
    decision_maker=None,
    decision_by: str = "",
    decision_by_role: str = "",
) -> ClosureRecord:
    """Start the Closure Record as soon as the decision to close is made, pre-filled from the case.

    One live record per episode; the episode shows as closing until the record is authorised. The
    decision was made by a manager of the case's team (`decision_maker`) or by someone else, named
    with their role. The pre-filled sections show "Check" until the worker has saved them.
    """
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if not case_permissions(actor, episode).can_start_closure:
        if episode.is_closed:
            raise DomainError("This case is closed. Write an addendum to its record instead.")
        raise PermissionDenied
    if episode.closure_records.filter(
        status__in=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED], addendum_to__isnull=True
    ).exists():
        raise DomainError("This episode already has a Closure Record in progress.")
    record = ClosureRecord(
        episode=episode,
        author=actor,
        decision_date=decision_date,
        reason_for_involvement=_prefill_involvement(episode)[:TEXT_MAX],
        interventions=_prefill_interventions(episode),
    )
    _decide(record, maker=decision_maker, by=decision_by, role=decision_by_role)
    record.full_clean()
    date_rules.refuse(
        date_rules.context_for(episode=episode), [("decision_date", "closure.decision_date", decision_date)]
    )
    record.save()
    ParentView.objects.bulk_create(
        ParentView(record=record, person=link.person) for link in parents_and_carers(episode)
    )
    contribution_note(record=record, user=actor, kind=ContributionKind.WROTE)
    episode.status = EpisodeStatus.CLOSING
    episode.save(update_fields=["status", "updated_at"])
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=record,
        child_id=episode.child_id,
        summary="Started the Closure Record",
        after=field_values(record),
    )
    return record


def _lock(record: ClosureRecord, version: int | None = None) -> ClosureRecord:
    """Lock the record's row; refuse a save made from a stale page (no lost update)."""
    locked = ClosureRecord.objects.select_for_update().select_related("episode__child").get(pk=record.pk)
    if version is not None and locked.version != version:
        raise DomainError(STALE_MESSAGE, field="version")
    return locked


def _require_due(record: ClosureRecord, section: str) -> None:
    """Only a section due on this record may be written: a first record has no correction, an
    addendum only its correction (so it never changes the planned actions of a closed case), and
    the conditional sections only when their condition holds. The pages show only these; the API
    is refused the others."""
    spec = sections.get(section)
    if not sections.section_required(record, section):
        kind = "an addendum" if record.addendum_to_id else "this Closure Record"
        raise DomainError(f"“{spec.title}” is not a section of {kind}.", field="section")
    if spec.rows and record.episode.is_closed:
        raise DomainError("The case is closed: its planned actions cannot be changed.", field="section")


def _claim_row(row, version) -> None:
    """Refuse a save over a change made to the row (a planned action) since the page or API client
    read it; otherwise move the row to its next version. `version` is the row's version as read
    (the page always sends it; an API client should); without one the record's version, which an
    action's change also moves on (cases.services.action_update), is what protects it."""
    expected = row.version if version in (None, "") else version
    if not isinstance(expected, int) or isinstance(expected, bool):
        raise DomainError("Give each action's version as a whole number.", field="version")
    claimed = type(row).objects.filter(pk=row.pk, version=expected).update(version=expected + 1)
    if not claimed:
        what = getattr(row, "description", str(row))[:80]
        raise DomainError(STALE_ACTION_MESSAGE.format(action=what), field="version")
    row.version = expected + 1


def _write_rows(spec: sections.SectionSpec, record: ClosureRecord, data: dict) -> None:
    """A section that writes other rows (the review's actions, the parents' views): each row named
    in `data` must be the record's; a row with a version moves to the next one."""
    rows = {getattr(row, spec.rows.key): row for row in spec.rows.of(record)}
    if spec.rows.make and not rows:  # a one-row section written for the first time (the handover)
        rows = {record.pk: spec.rows.make(record)}
    for key, values in data.items():
        row = rows.get(int(key))
        if row is None:
            raise DomainError(spec.rows.missing)
        values = dict(values)
        read = values.pop("version", None)
        unknown = set(values) - set(spec.rows.fields)
        if unknown:
            raise DomainError(f"Unknown fields for this section: {', '.join(sorted(unknown))}.")
        for name in spec.rows.fields:
            if name in values:  # a foreign key (the handover's lead practitioner) is given by its id
                setattr(row, row._meta.get_field(name).attname, values[name])
        if spec.clear:
            spec.clear(row)
        changed = list(spec.rows.fields)
        if hasattr(row, "version"):
            _claim_row(row, read)
            changed.append("version")
        row.full_clean()
        if row.pk is None:
            row.save()
        else:
            row.save(update_fields=[*changed, "updated_at"])


def _refuse_impossible_dates(record: ClosureRecord, section: str, data: dict) -> None:
    """The dates this save sets must make sense (core.date_rules), whichever way they came (page or
    API); refused with each field named, inside the save's transaction so nothing is kept."""
    if section == Section.PARENT_VIEWS:
        changed = {
            f"parent_{int(pk)}_discussed_date" for pk, values in data.items() if "discussed_date" in values
        }
    elif section == Section.HANDOVER:  # one row, by the record's id
        changed = {name for values in data.values() for name in values}
    else:
        changed = set(data)
    checks = [
        (field, rule, value, names) for field, rule, value, names in date_checks(record) if field in changed
    ]
    date_rules.refuse(date_rules.context_for(record=record), checks)


@transaction.atomic
def closure_update(*, actor, record: ClosureRecord, section: str, version: int, data: dict) -> ClosureRecord:
    """Save one section. `version` is the version the form was opened at: if someone saved since,
    the save is refused and nothing is overwritten.

    data: the section's fields (sections.SECTIONS: its `fields`); for a section that writes rows (the
    review, the parents' views), {row id: {field: value}}: {action_id: {actual_level, outcome, impact}},
    {person_id: {discussed, discussed_date, not_discussed_reason, views}}.

    An answer that a yes/no rules out is cleared here (the section's `clear`), so a record saved
    from a page or through the API never says both "discussed" and why it was not.
    """
    spec = sections.get(section)
    if spec is None:
        raise DomainError("Unknown section.")
    record = _lock(record, version)
    if not record_permissions(actor, record).can_edit:
        if not record.is_editable:
            raise DomainError(f"This record is {record.get_status_display().lower()} and cannot be changed.")
        raise PermissionDenied
    _require_due(record, section)
    before = field_values(record)
    if spec.rows:
        _write_rows(spec, record, data)
    else:
        unknown = set(data) - set(spec.fields)
        if unknown:
            raise DomainError(f"Unknown fields for this section: {', '.join(sorted(unknown))}.")
        decision = {name: data[name] for name in DECISION_FIELDS if name in data}
        for name, value in data.items():
            if name not in DECISION_FIELDS:
                setattr(record, name, value)
        if decision:
            _decide(
                record,
                maker=decision.get("decision_maker", record.decision_maker_id),
                by=decision.get("decision_by", record.decision_by),
                role=decision.get("decision_by_role", record.decision_by_role),
            )
        if spec.clear:
            spec.clear(record)
    _refuse_impossible_dates(record, section, data)
    if section not in record.confirmed_sections:
        record.confirmed_sections = [*record.confirmed_sections, section]
    record.version += 1
    record.full_clean()
    record.save()
    contribution_note(record=record, user=actor, kind=ContributionKind.EDITED)
    note_signatures_out_of_date(actor=actor, record=record, why=f"“{spec.title}” was changed")
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=record,
        child_id=record.episode.child_id,
        summary=f"Changed “{spec.title}”",
        before={"section": section, **before},
        after={"section": section, "data": data, **field_values(record)},
    )
    return record


def note_signatures_out_of_date(*, actor, record: ClosureRecord, why: str) -> list:
    """After a change to what the record says: each signature that covered the record until now and
    no longer does is audited as out of date (once, when it goes out of date). The state itself is
    worked out from the digests whenever it is shown or checked (checks.check_signatures)."""
    bound = [s for s in record.signatures.all() if s.is_bound]
    if not bound:
        return []
    digest = sections.signed_sha256(record)
    gone = []
    for signature in bound:
        if not signature.is_out_of_date(digest):
            continue
        already = AuditEvent.objects.filter(
            object_type=signature._meta.label,
            object_id=str(signature.pk),
            summary__startswith=OUT_OF_DATE_SUMMARY,
            at__gte=signature.kept_at or signature.created_at,
        ).exists()
        if already:
            continue
        log_event(
            actor=actor,
            action=Action.UPDATE,
            obj=signature,
            child_id=record.episode.child_id,
            summary=f"{OUT_OF_DATE_SUMMARY}: {signature.signer_name} ({why})",
            before={"signed_sha256": signature.content_sha256, "kept_sha256": signature.kept_sha256},
            after={"record_sha256": digest},
        )
        gone.append(signature)
    return gone


OUT_OF_DATE_SUMMARY = "Signature out of date"


DECISION_FIELDS = ("decision_maker", "decision_by", "decision_by_role")


def transition(*, actor, record: ClosureRecord, to: str, summary: str, **changes) -> ClosureRecord:
    """The one place a record's status changes: lock the row, refuse a move not in TRANSITIONS,
    save with update_fields and audit in the same transaction."""
    with transaction.atomic():
        record = _lock(record)
        if to not in TRANSITIONS[record.status]:
            raise DomainError(
                f"A record that is {record.get_status_display().lower()} cannot be "
                f"{Status(to).label.lower()}."
            )
        before = {"status": record.status}
        record.status = to
        record.version += 1
        for name, value in changes.items():
            setattr(record, name, value)
        record.save(update_fields=["status", "version", "updated_at", *changes])
        log_event(
            actor=actor,
            action=Action.TRANSITION,
            obj=record,
            child_id=record.episode.child_id,
            summary=summary,
            before=before,
            after={"status": to, **{k: getattr(v, "pk", v) for k, v in changes.items() if k != "snapshot"}},
        )
    return record


def _require_complete(record: ClosureRecord) -> None:
    found = sections.problems(record)
    if found:
        raise RecordIncomplete(found)


@transaction.atomic
def closure_submit(*, actor, record: ClosureRecord) -> ClosureRecord:
    """Submit for authorisation once every rule is met; the team's managers are told."""
    record = _lock(record)
    if not record.is_editable:
        raise DomainError(f"This record is {record.get_status_display().lower()} and cannot be submitted.")
    if not record_permissions(actor, record).can_submit:
        raise PermissionDenied
    _require_complete(record)
    contribution_note(record=record, user=actor, kind=ContributionKind.SUBMITTED)
    record = transition(
        actor=actor,
        record=record,
        to=Status.SUBMITTED,
        summary="Submitted the Closure Record for authorisation",
        submitted_at=timezone.now(),
    )
    _notify(
        record.episode.team.managers.all(),
        "Closure Record to authorise",
        f"{actor} submitted the Closure Record for {record.episode.child.full_name}.",
    )
    return record


@transaction.atomic
def closure_return(*, actor, record: ClosureRecord, comments: list[tuple[str, str]]) -> ClosureRecord:
    """Return a submitted record for amendment with comments, each beside the section it is about
    (any number, several on one section too). Each comment keeps the section as it stands now, so
    when the record comes back the manager sees what changed in that section since the return."""
    record = _lock(record)
    if not record_permissions(actor, record).is_reviewer:
        raise PermissionDenied
    comments = [(section, (text or "").strip()) for section, text in comments]
    comments = [(section, text) for section, text in comments if text]
    if not comments:
        raise DomainError("Write at least one comment saying what to amend.", field="comments")
    if any(not sections.section_required(record, section) for section, _ in comments):
        raise DomainError("Choose the section each comment is about.", field="comments")
    last = record.comments.order_by("-round").values_list("round", flat=True).first() or 0
    before = {
        section: sections.json_safe(sections.get(section).content_of(record)) for section, _ in comments
    }
    new = [
        ReturnComment(
            record=record,
            section=section,
            text=text,
            author=actor,
            round=last + 1,
            section_before=before[section],
        )
        for section, text in comments
    ]
    for comment in new:
        comment.full_clean()
    record = transition(
        actor=actor, record=record, to=Status.RETURNED, summary="Returned the Closure Record for amendment"
    )
    for comment in new:
        comment.save()
        log_event(
            actor=actor,
            action=Action.CREATE,
            obj=comment,
            child_id=record.episode.child_id,
            summary=f"Commented on “{comment.get_section_display()}” returning the Closure Record",
            after={
                "record": record.pk,
                "section": comment.section,
                "round": comment.round,
                "text": comment.text,
            },
        )
    _notify(
        [record.author],
        "Closure Record returned for amendment",
        f"{actor} returned the Closure Record for {record.episode.child.full_name} with "
        f"{len(comments)} comment(s).",
    )
    return record


@transaction.atomic
def comment_answer(
    *, actor, comment: ReturnComment, version: int, answer: str, dealt_with: bool
) -> ReturnComment:
    """The worker answers a manager's comment and marks it dealt with (or not yet). A comment is
    dealt with only once answered, so the manager reads what was done about it. While the record
    may be edited only; `version` is the comment's version as read, so a second tab never silently
    overwrites an answer."""
    record = _lock(comment.record)
    if not record_permissions(actor, record).can_answer_comments:
        if not record.is_editable:
            raise DomainError(
                f"This record is {record.get_status_display().lower()}: its comments cannot be answered."
            )
        raise PermissionDenied
    comment = ReturnComment.objects.select_for_update().get(pk=comment.pk, record=record)
    if comment.version != version:
        raise DomainError(COMMENT_STALE_MESSAGE, field="answer")
    answer = (answer or "").strip()
    if dealt_with and not answer:
        raise DomainError("Write your answer before marking the comment dealt with.", field="answer")
    before = {"answer": comment.answer, "dealt_with": comment.resolved}
    now = timezone.now()
    if answer != comment.answer:
        comment.answer, comment.answered_by, comment.answered_at = answer, actor, now
    if dealt_with != comment.resolved:
        comment.resolved = dealt_with
        comment.dealt_with_at = now if dealt_with else None
    comment.version += 1
    comment.full_clean()
    comment.save()
    where = f"“{comment.get_section_display()}”"
    if before["answer"] != comment.answer:
        log_event(
            actor=actor,
            action=Action.UPDATE,
            obj=comment,
            child_id=record.episode.child_id,
            summary=f"Answered the manager's comment on {where}",
            before={"answer": before["answer"]},
            after={"answer": comment.answer},
        )
    if before["dealt_with"] != comment.resolved:
        log_event(
            actor=actor,
            action=Action.UPDATE,
            obj=comment,
            child_id=record.episode.child_id,
            summary=f"Marked the manager's comment on {where} "
            + ("dealt with" if comment.resolved else "not dealt with yet"),
            before={"dealt_with": before["dealt_with"]},
            after={"dealt_with": comment.resolved},
        )
    return comment


COMMENT_STALE_MESSAGE = (
    "This answer was changed since you opened the page. Your text is shown below: check the answer "
    "saved now, then save yours again."
)


def freeze(record: ClosureRecord) -> tuple[dict, str]:
    """The record's content (sections.build_content) as JSON-safe data and its SHA-256: the
    authorised record, for ever (ClosureRecord.snapshot)."""
    content = sections.json_safe(sections.build_content(record))
    return content, sections.canonical_sha256(content)


@transaction.atomic
def closure_authorise(*, actor, record: ClosureRecord) -> ClosureRecord:
    """Authorise: the case is closed from this moment. Closure date = authorisation date, reason
    from the record, open plans end that day, the content frozen with its digest; all in one
    transaction, so an interruption leaves either a closed episode or a still-submitted record.

    Four eyes: nobody authorises a record whose content they wrote, changed or submitted (every
    path, pages and API, comes through here)."""
    record = _lock(record)
    permissions = record_permissions(actor, record)
    if not permissions.is_reviewer:
        raise PermissionDenied
    refusal = permissions.four_eyes_refusal
    if refusal:
        raise NotPermitted(refusal)
    if record.status != Status.SUBMITTED:
        raise DomainError(
            f"Only a submitted record can be authorised; this one is {record.get_status_display().lower()}."
        )
    _require_complete(record)
    now = timezone.now()
    today = timezone.localdate(now)
    episode = Episode.objects.select_for_update().get(pk=record.episode_id)
    record.authorised_by, record.authorised_at = actor, now
    content, digest = freeze(record)
    if record.addendum_to_id is None:
        episode.status = EpisodeStatus.CLOSED
        episode.closed_at = now
        episode.closure_date = today
        episode.reason_for_closure = record.reason_code
        episode.full_clean()
        episode.save(
            update_fields=["status", "closed_at", "closure_date", "reason_for_closure", "updated_at"]
        )
        episode.plans.filter(end_date__isnull=True).update(end_date=today)
    record = transition(
        actor=actor,
        record=record,
        to=Status.AUTHORISED,
        summary="Authorised the Closure Record: the case is closed"
        if record.addendum_to_id is None
        else "Authorised the addendum",
        authorised_by=actor,
        authorised_at=now,
        snapshot=content,
        snapshot_sha256=digest,
    )
    _notify(
        [record.author],
        "Closure Record authorised",
        f"{actor} authorised the Closure Record for {episode.child.full_name} on {long_date(today)}.",
    )
    return record


@transaction.atomic
def closure_withdraw(*, actor, record: ClosureRecord, reason: str) -> ClosureRecord:
    """Withdraw a record that is no longer wanted (the case stays open)."""
    record = _lock(record)
    permissions = record_permissions(actor, record)
    if not (permissions.can_edit or permissions.is_reviewer):
        raise PermissionDenied
    if not reason.strip():
        raise DomainError("Say why the record is being withdrawn.", field="reason")
    record = transition(
        actor=actor,
        record=record,
        to=Status.WITHDRAWN,
        summary=f"Withdrew the Closure Record: {reason.strip()[:200]}",
    )
    if record.addendum_to_id is None:
        Episode.objects.filter(pk=record.episode_id, status=EpisodeStatus.CLOSING).update(
            status=EpisodeStatus.OPEN
        )
    return record


@transaction.atomic
def addendum_start(*, actor, record: ClosureRecord, reason: str) -> ClosureRecord:
    """A correction to an authorised record: the original never changes; the addendum is written
    and authorised the same way and shown beneath it. Why it is needed is asked first, kept on the
    addendum and written in the audit trail. One addendum is written at a time: the original's row
    is locked, so two people pressing "Write an addendum" at once make one."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the authorised record needs an addendum.", field="reason")
    record = _lock(record)
    if not record.is_authorised or record.addendum_to_id:
        raise DomainError("An addendum can only be added to an authorised Closure Record.")
    if not record_permissions(actor, record).works_on_case:
        raise PermissionDenied
    if record.addenda.filter(status__in=LIVE).exists():
        raise DomainError(
            "This record already has an addendum in progress. Finish or withdraw it before starting another."
        )
    addendum = ClosureRecord(
        episode=record.episode,
        addendum_to=record,
        author=actor,
        decision_date=record.decision_date,
        decision_maker=record.decision_maker,
        decision_by=record.decision_by,
        decision_by_role=record.decision_by_role,
        addendum_reason=reason,
    )
    addendum.full_clean()
    addendum.save()
    contribution_note(record=addendum, user=actor, kind=ContributionKind.WROTE)
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=addendum,
        child_id=record.episode.child_id,
        summary=f"Started an addendum to the authorised Closure Record: {reason[:200]}",
        after={"addendum_reason": reason},
    )
    return addendum
