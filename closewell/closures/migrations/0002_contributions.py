"""Who put content into each Closure Record (four eyes), filled in for existing records from their
authors and the audit trail: every section saved, every submission, every signature recorded or
removed. (Changes to planned actions made on the action page before this migration are not
attributed to a record.)"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models



def backfill(apps, schema_editor):
    ClosureRecord = apps.get_model("closures", "ClosureRecord")
    Contribution = apps.get_model("closures", "Contribution")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    seen = set()

    def note(record_id, user_id, kind):
        if user_id and record_id and (record_id, user_id, kind) not in seen:
            seen.add((record_id, user_id, kind))
            Contribution.objects.create(record_id=record_id, user_id=user_id, kind=kind)

    records = set(ClosureRecord.objects.values_list("pk", flat=True))
    for pk, author_id in ClosureRecord.objects.values_list("pk", "author_id"):
        note(pk, author_id, "wrote")
    events = AuditEvent.objects.filter(object_type__in=["closures.ClosureRecord", "documents.Signature"])
    for event in events.order_by("pk").iterator():
        if event.object_type == "closures.ClosureRecord":
            record_id = int(event.object_id) if event.object_id.isdigit() else None
            if record_id not in records:
                continue
            if event.action == "update":
                note(record_id, event.actor_id, "edited")
            elif event.action == "transition" and (event.after or {}).get("status") == "submitted":
                note(record_id, event.actor_id, "submitted")
        else:
            record_id = (event.after or event.before or {}).get("record")
            if record_id in records:
                note(record_id, event.actor_id, "signatures")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only'),
        ('closures', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Contribution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('wrote', 'Started and wrote'), ('edited', 'Changed'), ('submitted', 'Submitted'), ('signatures', 'Recorded or removed a signature')], max_length=12)),
                ('first_at', models.DateTimeField(auto_now_add=True)),
                ('record', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contributions', to='closures.closurerecord')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['first_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('record', 'user', 'kind'), name='one_contribution_per_kind')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
