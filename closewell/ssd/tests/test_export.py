"""export_ssd is the inverse of import_ssd: importing what it wrote changes nothing, on the demo and on
a generated caseload (row counts, every field the import writes, and no audit event of a change)."""

import csv

import pytest
from django.core.management import call_command
from django.db import models

from closewell.accounts.models import Team, User
from closewell.audit.models import AuditEvent
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    Episode,
    LookedAfterPeriod,
    Person,
    Plan,
    Section47,
)
from closewell.demo.caseload import generate_caseload
from closewell.demo.demo import load_demo
from closewell.ssd.exporter import export_extract
from closewell.ssd.importer import import_extract
from closewell.ssd.models import ImportRun

MODELS = (
    Team,
    User,
    Child,
    Person,
    ChildPerson,
    Episode,
    Assessment,
    Plan,
    Section47,
    Contact,
    LookedAfterPeriod,
)


def snapshot() -> dict:
    """Every row of every model the import writes, every field (timestamps included: an update
    would move updated_at)."""
    state = {}
    for model in MODELS:
        names = [f.attname for f in model._meta.concrete_fields if not isinstance(f, models.ManyToManyField)]
        state[model._meta.label] = {row["id"]: row for row in model.objects.values(*names)}
    return state


def assert_round_trip(tmp_path):
    folder = tmp_path / "extract"
    counts = export_extract(folder)
    assert counts["person"] and counts["cin_episodes"]
    before = snapshot()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    result = import_extract(folder)

    assert result.ok, [str(p) for p in result.problems[:10]]
    after = snapshot()
    for label in before:
        assert after[label].keys() == before[label].keys(), f"{label}: rows added or removed"
        differ = [pk for pk in before[label] if before[label][pk] != after[label][pk]]
        assert not differ, f"{label} {differ[:3]}: {before[label][differ[0]]} → {after[label][differ[0]]}"
    changed = {label: c for label, c in result.counts.items() if c["created"] or c["updated"]}
    assert changed == {}, changed
    # The one audit event is the run itself (what it counted): no event of a change.
    events = list(AuditEvent.objects.filter(pk__gt=last_event or 0))
    assert [e.object_type for e in events] == ["ssd.ImportRun"]
    run = ImportRun.objects.get()
    assert all(c["created"] == 0 and c["updated"] == 0 for c in run.counts.values())
    return counts, result


@pytest.mark.django_db
def test_import_of_the_demo_export_changes_nothing(tmp_path):
    load_demo()
    counts, result = assert_round_trip(tmp_path)
    assert counts["cin_visits"] and (counts["mother"] or counts["family"])
    assert result.rows_read == sum(counts.values())


@pytest.mark.django_db
def test_import_of_a_generated_caseload_export_changes_nothing(tmp_path):
    generate_caseload(children=40, seed=7)
    counts, _ = assert_round_trip(tmp_path)
    assert counts["person"] >= 40


@pytest.mark.django_db
def test_the_command_writes_every_table_with_the_specifications_columns(tmp_path):
    load_demo()
    call_command("export_ssd", str(tmp_path), verbosity=0)
    with (tmp_path / "ssd_cin_episodes.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames[:3] == ["cine_referral_id", "cine_person_id", "cine_referral_date"]
    assert len(rows) == Episode.objects.count()
    made_here = Episode.objects.filter(source_id="").first()
    assert {"cine_referral_id": f"closewell-{made_here.pk}"}.items() <= next(
        r for r in rows if r["cine_referral_id"] == f"closewell-{made_here.pk}"
    ).items()
    assert AuditEvent.objects.filter(object_type="ssd.Extract", action="export").exists()
