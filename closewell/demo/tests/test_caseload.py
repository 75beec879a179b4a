"""The synthetic caseload: the promised volumes, valid rows, deterministic, and a rerun adds."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from closewell.accounts.models import Role, Team, User
from closewell.audit.models import AuditEvent
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    DomesticAbuse,
    Episode,
    EpisodeStatus,
    Person,
    Plan,
    PlannedAction,
    Section47,
)
from closewell.demo.caseload import generate_caseload

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
N = 50


class Rollback(Exception):
    pass


def snapshot() -> list:
    """What was generated, without database ids."""
    children = list(
        Child.objects.order_by("la_child_id").values_list(
            "la_child_id",
            "upn",
            "upn_unknown",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "disabilities",
        )
    )
    episodes = list(
        Episode.objects.order_by("child__la_child_id").values_list(
            "child__la_child_id",
            "referral_date",
            "referral_source",
            "primary_need",
            "status",
            "closure_date",
            "reason_for_closure",
            "worker__username",
        )
    )
    contacts = list(
        Contact.objects.order_by("episode__child__la_child_id", "occurred_at", "kind", "note").values_list(
            "episode__child__la_child_id", "occurred_at", "kind", "child_seen", "note"
        )
    )
    actions = list(
        PlannedAction.objects.order_by("episode__child__la_child_id", "dimension").values_list(
            "episode__child__la_child_id", "dimension", "start_date"
        )
    )
    return [children, episodes, contacts, actions]


def generate_and_snapshot(seed: int) -> list:
    try:
        with transaction.atomic():
            generate_caseload(children=N, seed=seed, today=TODAY, batch_children=20)
            result = snapshot()
            raise Rollback
    except Rollback:
        return result


@pytest.fixture
def totals():
    return generate_caseload(children=N, seed=3, today=TODAY, batch_children=20)


def test_counts_are_as_promised(totals):
    assert Child.objects.count() == totals["children"] == N
    assert Episode.objects.count() == N
    assert Assessment.objects.count() == N
    assert Plan.objects.count() == N
    assert 2 * N <= Person.objects.count() <= 4 * N
    assert ChildPerson.objects.count() == Person.objects.count() == totals["people"]
    for episode in Episode.objects.all():
        assert 2 <= ChildPerson.objects.filter(child=episode.child_id).count() <= 4
        assert 3 <= PlannedAction.objects.filter(episode=episode).count() <= 6
        assert 15 <= episode.contacts.count() <= 25
    assert Contact.objects.count() == totals["contacts"]
    assert 17 * N <= totals["contacts"] <= 23 * N
    assert Contact.people_seen.through.objects.count() == totals["people_seen"] > 0
    closed = Episode.objects.filter(status=EpisodeStatus.CLOSED).count()
    assert 1 <= closed <= 0.3 * N


def test_staff_are_spread_over_twenty_teams_with_managers(totals):
    workers = User.objects.filter(username__startswith="gen.worker")
    assert workers.count() == 20
    assert Team.objects.filter(name__startswith="Generated team").count() == 20
    managers = User.objects.filter(role=Role.TEAM_MANAGER, username__startswith="gen.manager")
    assert sum(m.managed_teams.count() for m in managers) == 20
    assert Episode.objects.values("team").distinct().count() > 10
    assert all(e.worker.team_id == e.team_id for e in Episode.objects.select_related("worker"))
    assert not any(w.has_usable_password() for w in workers)


def test_every_generated_row_passes_full_clean(totals):
    for model in (
        Child,
        Episode,
        Person,
        ChildPerson,
        Assessment,
        Section47,
        Plan,
        PlannedAction,
        DomesticAbuse,
        Contact,
    ):
        for obj in model.objects.all():
            obj.full_clean()


def test_rules_beyond_the_database_constraints_hold(totals):
    for episode in Episode.objects.prefetch_related(
        "contacts__people_seen", "assessments", "section47s", "plans"
    ):
        end = episode.closure_date or TODAY
        assert episode.child.date_of_birth <= episode.referral_date
        linked = set(ChildPerson.objects.filter(child=episode.child_id).values_list("person_id", flat=True))
        for contact in episode.contacts.all():
            assert episode.referral_date <= contact.occurred_at.date() < end
            assert contact.worker_id == episode.worker_id
            assert {p.pk for p in contact.people_seen.all()} <= linked
        for plan in episode.plans.all():
            assert episode.referral_date <= plan.start_date <= end
        if episode.is_closed:
            assert episode.closed_at and episode.reason_for_closure not in ("", "RC8", "RC9")
            assert all(a.authorisation_date for a in episode.assessments.all())
            assert all(s.is_completed for s in episode.section47s.all())
            assert all(p.end_date for p in episode.plans.all())
    for abuse in DomesticAbuse.objects.select_related("episode"):
        assert abuse.episode.assessments.get().identified_domestic_abuse


def test_a_section_47_conference_comes_before_the_assessment_is_authorised(totals):
    """The assessment runs alongside the enquiry and is authorised after the conference, so a
    census that holds the enquiry (its conference is in the year) holds the assessment too: no
    CIN query 2991Q however the census year falls."""
    enquiries = Section47.objects.select_related("episode")
    assert enquiries.exists()
    for s47 in enquiries:
        assessment = s47.episode.assessments.get()
        assert assessment.start_date < s47.start_date <= s47.icpc_date <= s47.icpc_target_date
        assert assessment.authorisation_date is None or assessment.authorisation_date >= s47.icpc_date
        assert s47.episode.plans.get().start_date == s47.icpc_date


def test_some_disabled_children_have_more_than_one_disability(totals):
    """DfE queries a return in which no child has two disability codes (CIN query 2888Q)."""
    counts = [len(d) for d in Child.objects.values_list("disabilities", flat=True) if d != ["NONE"]]
    assert 1 in counts and max(counts) > 1
    assert all(d == ["NONE"] or "NONE" not in d for d in Child.objects.values_list("disabilities", flat=True))


def test_no_audit_events_are_written(totals):
    assert AuditEvent.objects.count() == 0


def test_ids_use_the_gen_prefix_and_do_not_clash_with_the_demo(totals):
    ids = list(Child.objects.values_list("la_child_id", flat=True))
    assert sorted(ids) == [f"GEN{i:07d}" for i in range(1, N + 1)]


def test_the_same_seed_gives_the_same_caseload():
    first = generate_and_snapshot(seed=11)
    assert Child.objects.count() == 0
    assert generate_and_snapshot(seed=11) == first
    assert generate_and_snapshot(seed=12) != first


def test_a_second_run_adds_children_after_the_last_id(totals):
    generate_caseload(children=30, seed=3, today=TODAY, batch_children=20)
    ids = sorted(Child.objects.values_list("la_child_id", flat=True))
    assert ids == [f"GEN{i:07d}" for i in range(1, N + 31)]
    assert Episode.objects.count() == N + 30
    assert User.objects.filter(username__startswith="gen.worker").count() == 20


def test_generating_alongside_the_demo():
    call_command("load_demo", stdout=io.StringIO())
    demo_children = Child.objects.count()
    generate_caseload(children=5, seed=1, today=TODAY)
    assert Child.objects.count() == demo_children + 5


def test_the_command_reports_counts_and_speed():
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_caseload", children=12, seed=2, batch=5, stdout=out, stderr=err)
    assert "children: 12" in out.getvalue()
    assert "rows/s" in out.getvalue()
    assert err.getvalue().count("children,") == 3
    assert Child.objects.count() == 12


def test_the_command_refuses_no_children():
    with pytest.raises(CommandError):
        call_command("generate_caseload", children=0, stdout=io.StringIO())
