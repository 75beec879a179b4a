"""Reads of handovers to Family Help (each read of one audited), the overdue rule, and the loop back:
the last closure and its handover when a child is referred again."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from closewell.accounts.permissions import scope_handovers
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.cases.models import Episode
from closewell.closures.models import ClosureRecord, Status
from closewell.core.dates import add_working_days, birthday

from .models import Acknowledgement, Handover


def handover_get_for_user(user, pk: int, *, audit_read: bool = True) -> Handover:
    """The handover if the user may read it, else 404 alike for 'missing' and 'not yours'."""
    handover = (
        scope_handovers(user, Handover.objects.all())
        .select_related("record__episode__child", "record__episode__team", "lead_practitioner")
        .filter(pk=pk)
        .first()
    )
    if handover is None:
        raise Http404("No such handover.")
    if audit_read:
        child = handover.record.episode.child
        log_event(
            actor=user,
            action=Action.VIEW,
            obj=handover,
            child_id=child.pk,
            summary=f"Viewed the handover to Family Help for {child.full_name}",
        )
    return handover


def handovers_for_user(user) -> QuerySet:
    """The handovers a user may list (a register, not a read of one): authorised records only."""
    return (
        scope_handovers(user, Handover.objects.filter(record__status=Status.AUTHORISED))
        .select_related("record__episode__child", "record__episode__team", "lead_practitioner")
        .order_by("-record__authorised_at", "-pk")
    )


# --- The overdue rule ---------------------------------------------------------------------------------


def answer_due(handover: Handover) -> dt.date | None:
    """The lead practitioner answers within HANDOVER_ACKNOWLEDGE_WORKING_DAYS working days of the
    record's authorisation (the day the case closed into Family Help)."""
    if handover.record.authorised_at is None:
        return None
    closed_on = timezone.localdate(handover.record.authorised_at)
    return add_working_days(closed_on, settings.HANDOVER_ACKNOWLEDGE_WORKING_DAYS)


def is_overdue(handover: Handover, today: dt.date | None = None) -> bool:
    """Unanswered after its due day."""
    due = answer_due(handover)
    if due is None or handover.acknowledgement != Acknowledgement.WAITING:
        return False
    return (today or timezone.localdate()) > due


def team_handovers(user, today: dt.date | None = None) -> list[dict]:
    """The closing teams' handovers for their manager, the overdue ones first, then the waiting."""
    rows = [
        {"handover": h, "due": answer_due(h), "overdue": is_overdue(h, today)}
        for h in handovers_for_user(user)
    ]
    order = {True: 0, False: 1}
    return sorted(
        rows, key=lambda r: (order[r["overdue"]], not r["handover"].is_waiting, r["due"] or dt.date.max)
    )


# --- The loop back ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoopBack:
    """A re-referral's link to the closure before it: the episode that closed, its Closure Record
    (as authorised) and its handover to Family Help, if there was one."""

    previous: Episode
    record: ClosureRecord | None
    handover: Handover | None

    @property
    def content(self) -> dict:
        return (self.record.snapshot or {}) if self.record else {}

    @property
    def handover_part(self) -> dict:
        part = self.content.get("handover") or {}
        return part if part.get("required") else {}


def closure_record_of(episode: Episode) -> ClosureRecord | None:
    """The authorised Closure Record that closed an episode (not an addendum)."""
    return (
        ClosureRecord.objects.filter(episode=episode, status=Status.AUTHORISED, addendum_to__isnull=True)
        .order_by("-authorised_at")
        .first()
    )


def loop_back(episode: Episode) -> LoopBack | None:
    """For an episode opened within 12 months of the child's last closure (by the case page, the API
    or the SSD import: each sets its previous_episode), that closure and its handover; else None.
    Where the previous episode closed within 12 months of this referral is what makes it a
    re-referral (Closewell's measure; reports show DfE's too)."""
    previous = episode.previous_episode
    if previous is None or previous.closure_date is None:
        return None
    if episode.referral_date >= birthday(previous.closure_date, 1):
        return None
    record = closure_record_of(previous)
    handover = (
        Handover.objects.filter(record=record).select_related("lead_practitioner").first() if record else None
    )
    return LoopBack(previous=previous, record=record, handover=handover)
