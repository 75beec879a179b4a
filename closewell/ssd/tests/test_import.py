"""The SSD import: the sample imports, re-imports unchanged, a changed extract updates, a broken one
reports every bad row and changes nothing, a dry run writes nothing."""

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from closewell.accounts.models import Team, User
from closewell.audit.models import AuditEvent
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    Episode,
    EpisodeStatus,
    LookedAfterPeriod,
    Person,
    Plan,
    Section47,
)
from closewell.ssd.importer import import_extract
from closewell.ssd.models import ImportRun

SAMPLE = Path(__file__).parent / "sample"
MODELS = [
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
]


def register() -> dict:
    """Every row of every model the import writes, as plain values: equal means nothing changed."""
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in MODELS}


def rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rewrite(path: Path, data: list[dict]) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(data)


@pytest.fixture
def extract(tmp_path):
    """A copy of the sample that a test may change."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "extract"))


@pytest.fixture
def imported(db):
    result = import_extract(SAMPLE)
    assert result.ok, result.problems
    return result


def test_sample_imports_onto_the_register(imported):
    people = rows(SAMPLE / "ssd_person.csv")
    episodes = rows(SAMPLE / "ssd_cin_episodes.csv")
    visits = rows(SAMPLE / "ssd_cin_visits.csv") + rows(SAMPLE / "ssd_cp_visits.csv")
    children = {e["cine_person_id"] for e in episodes}
    assert Child.objects.count() == len(children) == 12
    assert Episode.objects.count() == len(episodes)
    assert Contact.objects.count() == len(visits)
    assert Assessment.objects.count() == len(rows(SAMPLE / "ssd_cin_assessments.csv"))
    assert Plan.objects.count() == len(rows(SAMPLE / "ssd_cin_plans.csv")) + len(
        rows(SAMPLE / "ssd_cp_plans.csv")
    )
    assert Section47.objects.count() == 1 and Section47.objects.get().icpc_date is not None
    assert LookedAfterPeriod.objects.count() == 1
    assert imported.counts["children"] == {"created": 12, "updated": 0, "unchanged": 0}

    first = next(p for p in people if p["pers_person_id"] == "P0000001")
    child = Child.objects.get(la_child_id="P0000001")
    assert (child.first_name, child.last_name) == (first["pers_forename"], first["pers_surname"])
    assert child.upn == "A000000000001" and child.upn_unknown == ""  # from ssd_linked_identifiers
    assert Child.objects.get(la_child_id="P0000002").upn_unknown == "UN5"
    assert Child.objects.get(la_child_id="P0000007").disabilities == ["AUT"]
    assert Child.objects.get(la_child_id="P0000007").care_leaver_status == "former_relevant"
    mother = ChildPerson.objects.get(child=child, relationship="mother").person
    assert mother.source_id == "person:M0000001"
    assert ChildPerson.objects.filter(child__la_child_id="P0000005", relationship="sibling").exists()

    closed = Episode.objects.get(source_id="cin_episodes:R0000003")
    assert closed.status == EpisodeStatus.CLOSED and closed.reason_for_closure == "RC7"
    assert closed.closure_date and closed.closed_at
    open_episode = Episode.objects.get(source_id="cin_episodes:R0000001")
    assert open_episode.status == EpisodeStatus.OPEN
    assert open_episode.worker.username == "sw002" and not open_episode.worker.is_active  # from involvements
    assert open_episode.team.name == "Northmoor Family Support"
    again = Episode.objects.get(source_id="cin_episodes:R0000010")
    assert again.previous_episode.source_id == "cin_episodes:R0000010a" and again.is_re_referral
    assert Assessment.objects.get(source_id="cin_assessments:A0000004").identified_domestic_abuse
    for contact in Contact.objects.select_related("episode"):
        day = contact.occurred_at.date()
        assert contact.episode.referral_date <= day
        assert contact.episode.closure_date is None or day <= contact.episode.closure_date


def test_one_audit_event_per_run(imported):
    run = ImportRun.objects.get()
    events = AuditEvent.objects.filter(object_type="ssd.ImportRun")
    assert [e.object_id for e in events] == [str(run.pk)]
    assert events.get().after["counts"]["contacts"]["created"] == Contact.objects.count()


def test_reimport_changes_nothing(imported):
    before = register()
    result = import_extract(SAMPLE)
    assert result.ok
    assert register() == before
    assert all(c["created"] == 0 and c["updated"] == 0 for c in result.counts.values()), result.counts


def test_a_later_extract_updates_what_changed(imported, extract):
    people = rows(extract / "ssd_person.csv")
    for p in people:
        if p["pers_person_id"] == "P0000001":
            p["pers_surname"] = "Renamed"
    rewrite(extract / "ssd_person.csv", people)
    visits = rows(extract / "ssd_cin_visits.csv")
    visits[0]["cinv_cin_visit_seen"], visits[0]["cinv_cin_visit_seen_alone"] = "N", "N"
    visits.append({**visits[1], "cinv_cin_visit_id": "V-new"})
    rewrite(extract / "ssd_cin_visits.csv", visits)
    episodes = rows(extract / "ssd_cin_episodes.csv")
    for e in episodes:
        if e["cine_referral_id"] == "R0000001":
            e["cine_close_date"], e["cine_close_reason"] = "2026-10-30", "RC7"
    rewrite(extract / "ssd_cin_episodes.csv", episodes)

    result = import_extract(extract)

    assert result.ok, result.problems
    assert result.counts["children"] == {"created": 0, "updated": 1, "unchanged": 11}
    assert result.counts["contacts"] == {"created": 1, "updated": 1, "unchanged": len(visits) + 1 - 2}
    assert result.counts["episodes"]["updated"] == 1
    assert Child.objects.get(la_child_id="P0000001").last_name == "Renamed"
    assert not Contact.objects.get(source_id=f"cin_visits:{visits[0]['cinv_cin_visit_id']}").child_seen
    episode = Episode.objects.get(source_id="cin_episodes:R0000001")
    assert episode.status == EpisodeStatus.CLOSED and episode.closure_date == dt.date(2026, 10, 30)


def test_an_episode_closing_in_closewell_keeps_its_status(imported, extract):
    Episode.objects.filter(source_id="cin_episodes:R0000001").update(status=EpisodeStatus.CLOSING)
    episodes = rows(extract / "ssd_cin_episodes.csv")
    for e in episodes:
        if e["cine_referral_id"] == "R0000001":
            e["cine_cin_primary_need_code"] = "N9"
    rewrite(extract / "ssd_cin_episodes.csv", episodes)
    assert import_extract(extract).ok
    episode = Episode.objects.get(source_id="cin_episodes:R0000001")
    assert (episode.status, episode.primary_need) == (EpisodeStatus.CLOSING, "N9")


def break_extract(extract: Path) -> set[tuple]:
    """Spoil rows in several files; return the (file, line, column) each should be reported at."""
    people = rows(extract / "ssd_person.csv")
    people[0]["pers_dob"] = "31/02/2019x"  # line 2
    people[2]["pers_sex"] = "Z"  # line 4
    rewrite(extract / "ssd_person.csv", people)
    episodes = rows(extract / "ssd_cin_episodes.csv")
    episodes[1]["cine_referral_source_code"] = "99"  # line 3
    episodes[2]["cine_close_reason"] = ""  # line 4: a closure date without a reason
    rewrite(extract / "ssd_cin_episodes.csv", episodes)
    plans = rows(extract / "ssd_cin_plans.csv")
    plans[0]["cinp_referral_id"] = "NO-SUCH-REFERRAL"  # line 2
    rewrite(extract / "ssd_cin_plans.csv", plans)
    visits = rows(extract / "ssd_cin_visits.csv")
    visits[3]["cinv_cin_visit_date"] = "2001-01-01"  # line 5: before any episode
    visits[4]["cinv_cin_visit_id"] = visits[5]["cinv_cin_visit_id"]  # line 7 repeats line 6's id
    rewrite(extract / "ssd_cin_visits.csv", visits)
    factors = rows(extract / "ssd_assessment_factors.csv")
    factors[0]["cinf_assessment_factors_json"] = '["3A", "99Z"]'  # line 2
    rewrite(extract / "ssd_assessment_factors.csv", factors)
    return {
        ("ssd_person.csv", 2, "pers_dob"),
        ("ssd_person.csv", 4, "pers_sex"),
        ("ssd_cin_episodes.csv", 3, "cine_referral_source_code"),
        ("ssd_cin_episodes.csv", 4, "cine_close_reason"),
        ("ssd_cin_plans.csv", 2, "cinp_referral_id"),
        ("ssd_cin_visits.csv", 7, "cinv_cin_visit_id"),
        ("ssd_assessment_factors.csv", 2, "cinf_assessment_factors_json"),
    }


def test_a_broken_extract_reports_every_bad_row_and_changes_nothing(imported, extract):
    expected = break_extract(extract)
    before = register()
    result = import_extract(extract)
    assert not result.ok
    assert {(p.file, p.line, p.column) for p in result.problems} == expected
    assert all(p.reason for p in result.problems)
    # A visit on a day no episode is open is a warning: it alone would not stop the import.
    assert ("ssd_cin_visits.csv", 5, "cinv_cin_visit_date") in {
        (p.file, p.line, p.column) for p in result.warnings
    }
    assert register() == before
    assert ImportRun.objects.count() == 1


def test_a_broken_first_import_writes_nothing(db, extract):
    break_extract(extract)
    assert not import_extract(extract).ok
    assert all(m.objects.count() == 0 for m in MODELS if m not in (Team, User))
    assert not AuditEvent.objects.exists()


def test_command_writes_the_report(db, extract, tmp_path):
    expected = break_extract(extract)
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_ssd", str(extract), "--report", str(report), "--no-progress")
    lines = rows(report)
    assert {(r["file"], int(r["line"]), r["column"]) for r in lines if r["level"] == "error"} == expected
    assert all(r["reason"] for r in lines)


def test_missing_files_and_columns_are_reported(db, extract):
    (extract / "ssd_person.csv").unlink()
    episodes = rows(extract / "ssd_cin_episodes.csv")
    for e in episodes:
        del e["cine_referral_date"]
    with (extract / "ssd_cin_episodes.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(episodes[0]))
        writer.writeheader()
        writer.writerows(episodes)
    found = {(p.file, p.column) for p in import_extract(extract).problems}
    assert ("ssd_person.csv", "") in found
    assert ("ssd_cin_episodes.csv", "cine_referral_date") in found


def test_dry_run_writes_nothing_and_counts_exactly(db, capsys):
    result = import_extract(SAMPLE, dry_run=True)
    assert result.ok and result.counts["children"]["created"] == 12
    assert Child.objects.count() == 0 and not ImportRun.objects.exists() and not AuditEvent.objects.exists()
    call_command("import_ssd", str(SAMPLE), "--dry-run", "--no-progress")
    out = capsys.readouterr().out
    assert "Dry run" in out and "children: 12 new" in out
    assert Child.objects.count() == 0


def test_command_imports_and_names_its_user(db, capsys):
    User.objects.create_user("importer", role="administrator")
    call_command("import_ssd", str(SAMPLE), "--user", "importer", "--no-progress")
    out = capsys.readouterr().out
    assert "children: 12 new" in out and "Not imported: ssd_contacts.csv" in out
    assert AuditEvent.objects.get(object_type="ssd.ImportRun").actor.username == "importer"


def test_progress_bars_reach_their_totals(db):
    bars = []

    class Bar:
        def __init__(self, total=0, desc="", **kwargs):
            self.total, self.desc, self.done = total, desc, 0
            bars.append(self)

        def update(self, n=1):
            self.done += n

        def close(self):
            pass

    assert import_extract(SAMPLE, progress=lambda iterable=None, **kw: Bar(**kw)).ok
    assert {b.desc for b in bars} >= {"Reading ssd_person.csv", "Writing contacts"}
    assert all(b.done == b.total for b in bars), [(b.desc, b.done, b.total) for b in bars]
