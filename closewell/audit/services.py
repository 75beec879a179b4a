"""log_event(): append an event to the audit chain, in the caller's transaction."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import Action, AuditEvent, AuditHead

GENESIS = "0" * 64


def _plain(value):
    """JSON-safe copy (dates as ISO strings) so the stored value hashes the same when read back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the event's content and the previous hash: editing any event breaks the chain."""
    payload = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "child_id": event.child_id,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


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
    """Append one event. Runs inside the caller's transaction so the change and its trail commit
    together; the head row is locked so that concurrent appends form one chain."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
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
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


class ChainBroken(Exception):
    """The audit chain does not verify; `event` is the first event that fails, if any."""

    def __init__(self, message: str, event: AuditEvent | None = None):
        super().__init__(message)
        self.event = event


def verify_chain() -> int:
    """Check every event's hash and link, and that the last one is the head: an edited, inserted
    or deleted event (the last included) breaks it. Returns the number of events checked."""
    previous = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if event.prev_hash != previous:
            raise ChainBroken(f"Event {event.pk} does not follow the event before it.", event)
        if event_hash(event) != event.hash:
            raise ChainBroken(f"Event {event.pk} has been altered: its content does not match.", event)
        previous = event.hash
        count += 1
    head = AuditHead.objects.filter(pk=1).first()
    if (head.last_hash if head else GENESIS) != previous:
        raise ChainBroken("The latest events are missing: the chain stops before its recorded head.")
    return count
