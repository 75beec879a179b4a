"""Appending no longer locks one shared row: each event carries its own digest, and AuditSeal chains them.

Existing events are sealed here in the order they were written, so an existing trail stays verifiable.
Removing the old columns remakes the table on SQLite, which drops its triggers: the last step puts the
append-only triggers back, and adds them to the seals.
"""

import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64


def _sha256(payload: dict) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _lift(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_change")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")


def seal_existing(apps, schema_editor):
    """Digest and seal the events written before this migration, oldest first."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditSeal = apps.get_model("audit", "AuditSeal")
    AuditHead = apps.get_model("audit", "AuditHead")
    if not AuditEvent.objects.exists():
        return
    _lift(schema_editor)
    prev_hash, seq = GENESIS, 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        digest = _sha256(
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
        AuditEvent.objects.filter(pk=event.pk).update(digest=digest)
        seq += 1
        seal_hash = _sha256({"seq": seq, "digest": digest, "prev_hash": prev_hash})
        AuditSeal.objects.create(seq=seq, event_id=event.pk, prev_hash=prev_hash, hash=seal_hash)
        prev_hash = seal_hash
    AuditHead.objects.update_or_create(pk=1, defaults={"last_hash": prev_hash, "last_seq": seq})
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_change")


SQLITE = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_auditseal
       BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;""",
]
POSTGRES = [
    """CREATE TRIGGER audit_seal_no_change BEFORE UPDATE OR DELETE ON audit_auditseal
       FOR EACH ROW EXECUTE FUNCTION audit_append_only();""",
]


def append_only(apps, schema_editor):
    for sql in POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(sql)


def append_only_reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER audit_seal_no_change ON audit_auditseal")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_seal_no_update")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent", name="digest", field=models.CharField(default="", max_length=64), preserve_default=False
        ),
        migrations.AddField(model_name="audithead", name="last_seq", field=models.BigIntegerField(default=0)),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=models.deletion.PROTECT, related_name="seal", to="audit.auditevent"
                    ),
                ),
            ],
            options={"ordering": ["seq"]},
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="auditevent", name="prev_hash"),
        migrations.RemoveField(model_name="auditevent", name="hash"),
        migrations.RunPython(append_only, append_only_reverse),
    ]
