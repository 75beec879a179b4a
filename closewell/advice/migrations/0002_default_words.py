"""Seed the council's word lists with the defaults in closewell/advice/data/*.txt."""

from django.db import migrations

from closewell.advice.defaults import default_words


def seed(apps, schema_editor):
    AdviceWord = apps.get_model("advice", "AdviceWord")
    existing = set(AdviceWord.objects.values_list("kind", "term"))
    AdviceWord.objects.bulk_create(
        AdviceWord(**row) for row in default_words() if (row["kind"], row["term"]) not in existing
    )


def unseed(apps, schema_editor):
    AdviceWord = apps.get_model("advice", "AdviceWord")
    for row in default_words():
        AdviceWord.objects.filter(kind=row["kind"], term=row["term"]).delete()


class Migration(migrations.Migration):
    dependencies = [("advice", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
