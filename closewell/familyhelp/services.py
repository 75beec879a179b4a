"""Writes of the handover to Family Help: adding it to a record, and the lead practitioner's answer.

The section's text is written as every section is, through closures.services.closure_update (the
section registry's `rows`); these services do what only a handover does."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from closewell.accounts.permissions import handover_permissions, record_permissions
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.closures.contributors import contribution_note
from closewell.closures.models import ClosureRecord, ContributionKind
from closewell.core.errors import DomainError

from .models import Acknowledgement, Handover


@transaction.atomic
def handover_add(*, actor, record: ClosureRecord) -> Handover:
    """Add a handover to a record being written: a worker may hand any closure over to Family Help
    (RC7 with support continuing, say); from then on the section is due and checked at submit. A
    record closed to early help (RC9) has the section already."""
    given, record = (
        record,
        ClosureRecord.objects.select_for_update().select_related("episode__child").get(pk=record.pk),
    )
    if not record_permissions(actor, record).can_edit:
        raise PermissionDenied
    if record.addendum_to_id is not None:
        raise DomainError("An addendum corrects a record: it has no handover of its own.")
    handover, made = Handover.objects.get_or_create(record=record)
    if made:
        record.version += 1
        record.save(update_fields=["version", "updated_at"])
        contribution_note(record=record, user=actor, kind=ContributionKind.EDITED)
        log_event(
            actor=actor,
            action=Action.CREATE,
            obj=handover,
            child_id=record.episode.child_id,
            summary=f"Added a handover to Family Help for {record.episode.child.full_name}",
        )
    given.handover = handover  # the caller's record knows it has one now (content.handover_of)
    return handover


@transaction.atomic
def handover_acknowledge(*, actor, handover: Handover, accepted: bool, reason: str = "") -> Handover:
    """The lead practitioner named on an authorised record's handover accepts it, or says why they
    cannot. Answered once: the closing team sees the answer, and a handover left unanswered becomes
    overdue (selectors.is_overdue)."""
    handover = (
        Handover.objects.select_for_update().select_related("record__episode__child").get(pk=handover.pk)
    )
    if not handover_permissions(actor, handover).is_its_lead_practitioner:
        raise PermissionDenied
    if not handover.is_waiting:
        raise DomainError(
            f"This handover was answered already: {handover.get_acknowledgement_display().lower()}."
        )
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise DomainError("Say why you cannot take on the family's support.", field="declined_reason")
    handover.acknowledgement = Acknowledgement.ACCEPTED if accepted else Acknowledgement.DECLINED
    handover.declined_reason = "" if accepted else reason
    handover.acknowledged_by = actor
    handover.acknowledged_at = timezone.now()
    handover.full_clean()
    handover.save(
        update_fields=[
            "acknowledgement",
            "declined_reason",
            "acknowledged_by",
            "acknowledged_at",
            "updated_at",
        ]
    )
    child = handover.record.episode.child
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=handover,
        child_id=child.pk,
        summary=(
            f"Accepted the handover to Family Help for {child.full_name}"
            if accepted
            else f"Could not take on the handover to Family Help for {child.full_name}"
        ),
        before={"acknowledgement": Acknowledgement.WAITING},
        after={"acknowledgement": handover.acknowledgement, "declined_reason": handover.declined_reason},
    )
    return handover
