"""log_event(): append an event to the audit trail, in the caller's transaction; seal_pending(): chain them.

Appending takes no lock that other requests share: every read of a case on every worker would otherwise queue
on one row. The sealer links the events that have committed into the hash chain, in batches, after a commit
at most every AUDIT_SEAL_SECONDS per process, from `manage.py seal_audit` on a timer, and before
verify_audit checks the chain. An event is durable when its request commits; sealing only adds the links.
"""

import hashlib
import json
import logging
import threading
import time
from types import SimpleNamespace

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Action, AuditEvent, AuditHead, AuditPending, AuditSeal

GENESIS = "0" * 64
SEAL_BATCH = 2000

logger = logging.getLogger(__name__)


def _plain(value):
    """JSON-safe copy (dates as ISO strings) so the stored value hashes the same when read back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _sha256(payload: dict) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def event_digest(event: AuditEvent) -> str:
    """SHA-256 over the event's content: who, what, when, which child, before and after."""
    return _sha256(
        {
            "at": event.at.isoformat(),
            "actor": event.actor_id,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": str(event.object_id),
            "child_id": event.child_id,
            "summary": event.summary,
            "before": event.before,
            "after": event.after,
        }
    )


def seal_hash(*, seq: int, digest: str, prev_hash: str) -> str:
    """A seal's link: the event's digest at its place after the previous seal."""
    return _sha256({"seq": seq, "digest": digest, "prev_hash": prev_hash})


def log_event(
    *,
    actor,
    action: Action,
    obj,
    summary: str,
    child_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction so the change and its trail commit together
    (a process that dies before the commit leaves neither). No shared lock: the sealer chains it later."""
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        child_id=child_id,
        summary=summary[:300],
        before=_plain(before),
        after=_plain(after),
    )
    event.digest = event_digest(event)
    event.save(force_insert=True)
    transaction.on_commit(_seal_soon, robust=True)
    return event


class AuditTrail:
    """What an export of the trail is about: the trail, up to the newest event exported (there is no
    row for an export; the event's object id is that newest event's id, 0 when none was)."""

    _meta = SimpleNamespace(label="audit.AuditTrail")

    def __init__(self, up_to: int | None):
        self.pk = up_to or 0


def audit_trail_exported(*, actor, events: int, up_to: int | None, filters: dict[str, str]) -> AuditEvent:
    """Who took a copy of the trail, when, and which part (its filters and search): an investigation's
    export is itself on the trail."""
    shown = "; ".join(f"{name}={value}" for name, value in sorted(filters.items())) or "everything"
    return log_event(
        actor=actor,
        action=Action.EXPORT,
        obj=AuditTrail(up_to),
        summary=f"Exported the audit trail ({events} events): {shown}",
        after={"events": events, "filters": filters},
    )


_last_seal = 0.0
_seal_guard = threading.Lock()


def _seal_soon() -> None:
    """After a commit, seal if this process has not for AUDIT_SEAL_SECONDS: one extra commit every few
    seconds per process at most, never one per request."""
    global _last_seal
    now = time.monotonic()
    with _seal_guard:
        if now - _last_seal < settings.AUDIT_SEAL_SECONDS:
            return
        _last_seal = now
    try:
        seal_pending()
    except Exception:  # the events are safe in the table; the next seal picks them up
        logger.exception("Sealing the audit trail failed; the next seal will retry")


def seal_pending(*, wait: bool = False) -> int:
    """Link every committed, unsealed event into the chain, oldest first; returns how many were sealed.

    One sealer at a time: the head row is locked with SKIP LOCKED, so a second sealer (another worker)
    returns at once rather than queueing; `wait=True` (verify_audit, seal_audit) waits its turn instead.
    The chain's order is the order of sealing: an event whose transaction commits late is sealed in a
    later batch, after events with higher ids. The sealer reads the events queued for it (AuditPending,
    queued by a database trigger as each is inserted) and takes them off the queue as it seals them."""
    sealed = 0
    while True:
        with transaction.atomic():
            AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
            heads = AuditHead.objects.filter(pk=1)
            head = (heads.select_for_update() if wait else heads.select_for_update(skip_locked=True)).first()
            if head is None:
                return sealed
            # What is queued, not every event without a seal: that read the whole trail every time. An
            # event on the queue that has a seal (put there by hand, which breaks the chain) is left alone.
            queued = AuditEvent.objects.filter(pending__isnull=False, seal__isnull=True)
            pending = list(queued.order_by("pk").only("pk", "digest")[:SEAL_BATCH])
            if not pending:
                return sealed
            seals = []
            prev_hash, seq = head.last_hash, head.last_seq
            for event in pending:
                seq += 1
                seal = AuditSeal(seq=seq, event_id=event.pk, prev_hash=prev_hash)
                seal.hash = seal_hash(seq=seq, digest=event.digest, prev_hash=prev_hash)
                seals.append(seal)
                prev_hash = seal.hash
            AuditSeal.objects.bulk_create(seals)
            AuditPending.objects.filter(event__in=[event.pk for event in pending]).delete()
            head.last_hash, head.last_seq = prev_hash, seq
            head.save(update_fields=["last_hash", "last_seq"])
            sealed += len(seals)


class ChainBroken(Exception):
    """The audit chain does not verify; `event` is the first event that fails, if any."""

    def __init__(self, message: str, event: AuditEvent | None = None):
        super().__init__(message)
        self.event = event


def verify_chain() -> tuple[int, int]:
    """Check the whole trail; returns (sealed, not yet sealed) event counts.

    Every event's content must match its digest; the seals must run 1, 2, 3 … each linking to the one before
    and covering its event's digest, up to the head: an edited, inserted or deleted event breaks it. Events
    not yet sealed are checked against their digests, and must be waiting on the sealer's queue (an
    event taken off it would never be sealed)."""
    previous, expected = GENESIS, 1
    seals = AuditSeal.objects.select_related("event").order_by("seq")
    for seal in seals.iterator(chunk_size=2000):
        event = seal.event
        if seal.seq != expected:
            raise ChainBroken(
                f"Event {event.pk} does not follow the event before it: a sealed event is missing.", event
            )
        if event_digest(event) != event.digest:
            raise ChainBroken(f"Event {event.pk} has been altered: its content does not match.", event)
        if (
            seal.prev_hash != previous
            or seal_hash(seq=seal.seq, digest=event.digest, prev_hash=previous) != seal.hash
        ):
            raise ChainBroken(f"Event {event.pk} does not follow the event before it.", event)
        previous = seal.hash
        expected += 1
    head = AuditHead.objects.filter(pk=1).first()
    if (head.last_hash if head else GENESIS) != previous:
        raise ChainBroken("The latest events are missing: the chain stops before its recorded head.")
    unsealed = 0
    waiting = AuditEvent.objects.filter(seal__isnull=True).annotate(
        queued=Exists(AuditPending.objects.filter(event=OuterRef("pk")))
    )
    for event in waiting.order_by("pk").iterator(chunk_size=2000):
        if event_digest(event) != event.digest:
            raise ChainBroken(f"Event {event.pk} has been altered: its content does not match.", event)
        if not event.queued:
            raise ChainBroken(
                f"Event {event.pk} is not sealed and no longer waits to be: it was taken off the sealer's "
                "queue.",
                event,
            )
        unsealed += 1
    return expected - 1, unsealed
