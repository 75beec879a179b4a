"""The case lists read a team's open cases from an index of them (Episode.Meta.indexes)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_lead_practitioner"),
        ("cases", "0005_child_name_prefix_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", True)), fields=["team"], name="open_episodes_by_team"
            ),
        ),
    ]
