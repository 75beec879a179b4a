"""The sealer's queue: a trigger queues each audit event as it is inserted, in its own transaction.

Events not sealed when this runs are queued here, so the sealer finds them as it found them before.
"""

from django.db import migrations, models

QUEUE_UNSEALED = """INSERT INTO audit_auditpending (event_id)
    SELECT e.id FROM audit_auditevent e LEFT JOIN audit_auditseal s ON s.event_id = e.id WHERE s.seq IS NULL"""

SQLITE = [
    """CREATE TRIGGER audit_enqueue AFTER INSERT ON audit_auditevent
       BEGIN INSERT INTO audit_auditpending (event_id) VALUES (NEW.id); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_enqueue;"]

POSTGRES = [
    """CREATE FUNCTION audit_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN INSERT INTO audit_auditpending (event_id) VALUES (NEW.id); RETURN NULL; END; $$;""",
    """CREATE TRIGGER audit_enqueue AFTER INSERT ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_enqueue();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER audit_enqueue ON audit_auditevent;",
    "DROP FUNCTION audit_enqueue();",
]


def forwards(apps, schema_editor):
    schema_editor.execute(QUEUE_UNSEALED)
    for sql in POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        # Until autovacuum first counts the queue, the planner guesses it big and reads the whole trail.
        schema_editor.execute("ANALYZE audit_auditpending")


def backwards(apps, schema_editor):
    for sql in POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_seals")]

    operations = [
        migrations.CreateModel(
            name="AuditPending",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=models.deletion.PROTECT,
                        primary_key=True,
                        related_name="pending",
                        serialize=False,
                        to="audit.auditevent",
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
