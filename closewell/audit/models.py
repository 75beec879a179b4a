"""AuditEvent: the append-only trail of every read and change of a child's record; AuditSeal: its hash chain.

An event is appended with its own content digest and no lock shared with other requests. A sealer
(closewell.audit.services.seal_pending) later links events into one hash chain, in the order it seals them,
the way a transparency log seals entries into its tree heads. AuditPending is the sealer's queue: what it
has still to seal, so each batch reads the few events waiting, not the whole trail.
"""

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    TRANSITION = "transition", "Status changed"
    EXPORT = "export", "Exported"


class AuditEvent(models.Model):
    """One event. Rows are never updated or deleted (database triggers refuse it)."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # SHA-256 of the fields above, written with them: an edit before sealing shows too.
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        # Who, what kind, when, to what: never the summary, which may name a child (the admin shows
        # this to the administrator, who must see no child's data).
        who = self.actor or "System"
        return (
            f"{self.at:%d %B %Y %H:%M} {who}: {self.get_action_display()} {self.object_type} {self.object_id}"
        )


class AuditPending(models.Model):
    """An event the sealer has still to link into the chain. A database trigger queues every event here
    as it is inserted, in the event's own transaction, so an event that commits late is queued when it
    commits; the sealer reads the queue (a batch at a time), seals, and removes what it sealed. Reading
    the queue costs the same whatever the trail's size: finding unsealed events by their missing seal
    read the whole trail, which grows with every read of a case, on every seal."""

    event = models.OneToOneField(
        AuditEvent, primary_key=True, on_delete=models.PROTECT, related_name="pending"
    )

    def __str__(self) -> str:
        return f"event {self.event_id}"


class AuditSeal(models.Model):
    """An event's place in the hash chain. Rows are never updated or deleted (database triggers refuse it).

    `hash` covers the event's digest, the seal's position and the previous seal's hash, so editing, removing
    or slipping in an event anywhere before the head breaks every later link."""

    seq = models.BigIntegerField(primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq}: {self.hash}"


class AuditHead(models.Model):
    """A single row: the last seal. Only the sealer locks it, so appending events never waits for it."""

    last_hash = models.CharField(max_length=64)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.last_hash
