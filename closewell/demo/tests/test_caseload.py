"""The synthetic caseload: a council's shape (staffing, history, names), valid rows, deterministic, and a
rerun adds."""

import datetime as dt
import io
import random
from collections import Counter

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
from closewell.demo.caseload import CASELOAD, TEAM_SIZE, generate_caseload, staffing

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
    # Ordered by what was generated, never by id: PostgreSQL's sequences do not roll back with the test.
    episodes = list(
        Episode.objects.order_by("child__la_child_id", "referral_date").values_list(
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
        Contact.objects.order_by(
            "episode__child__la_child_id",
            "episode__referral_date",
            "occurred_at",
            "kind",
            "note",
            "child_seen",
        ).values_list("episode__child__la_child_id", "occurred_at", "kind", "child_seen", "note")
    )
    actions = list(
        PlannedAction.objects.order_by(
            "episode__child__la_child_id", "episode__referral_date", "dimension", "start_date"
        ).values_list("episode__child__la_child_id", "dimension", "start_date")
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
    assert Episode.objects.count() == totals["episodes"] >= N
    assert Assessment.objects.count() == Episode.objects.count()
    after_assessment = Episode.objects.filter(reason_for_closure__in=["RC8", "RC9"])
    assert Plan.objects.count() == Episode.objects.count() - after_assessment.count()
    assert 2 * N <= Person.objects.count() <= 4 * N
    assert ChildPerson.objects.count() == Person.objects.count() == totals["people"]
    for episode in Episode.objects.all():
        assert 2 <= ChildPerson.objects.filter(child=episode.child_id).count() <= 4
        planned = PlannedAction.objects.filter(episode=episode).count()
        assert planned == 0 if episode.reason_for_closure in ("RC8", "RC9") else 3 <= planned <= 6
        assert 3 <= episode.contacts.count() <= 60
    assert Contact.objects.count() == totals["contacts"]
    assert Contact.people_seen.through.objects.count() == totals["people_seen"] > 0


def test_about_one_child_in_six_has_an_open_case_and_the_rest_have_history(totals):
    open_ = Episode.objects.exclude(status=EpisodeStatus.CLOSED)
    assert open_.count() == round(N * 0.17)
    closed = Episode.objects.filter(status=EpisodeStatus.CLOSED)
    assert closed.count() >= N - open_.count()
    years = {e.closure_date.year for e in closed}
    assert len(years) >= 4  # years of closed history
    assert {"RC7", "RC8"} <= set(closed.values_list("reason_for_closure", flat=True))


def test_children_referred_again_link_to_the_episode_before():
    generate_caseload(children=300, seed=5, today=TODAY, batch_children=100)
    again = Episode.objects.filter(previous_episode__isnull=False).select_related("previous_episode")
    assert again.exists()
    for episode in again:
        before = episode.previous_episode
        assert before.child_id == episode.child_id and before.is_closed
        assert before.closure_date < episode.referral_date
        within_a_year = (episode.referral_date - before.closure_date).days < 365
        assert episode.is_re_referral == within_a_year
    assert again.filter(is_re_referral=True).exists()


def test_staff_hold_what_a_council_would(totals):
    workers = User.objects.filter(username__startswith="gen.worker")
    managers = User.objects.filter(role=Role.TEAM_MANAGER, username__startswith="gen.manager")
    teams = Team.objects.filter(name__startswith="Generated team")
    assert sum(m.managed_teams.count() for m in managers) == teams.count() >= 1
    assert all(1 <= m.managed_teams.count() <= 2 for m in managers)
    assert all(e.worker.team_id == e.team_id for e in Episode.objects.select_related("worker"))
    open_ = Counter(Episode.objects.exclude(status=EpisodeStatus.CLOSED).values_list("worker", flat=True))
    assert sum(open_.values()) == round(N * 0.17) and set(open_) <= set(workers.values_list("pk", flat=True))
    assert not any(w.has_usable_password() for w in workers)
    assert len({(w.first_name, w.last_name) for w in workers}) == workers.count() or workers.count() < 3


@pytest.mark.parametrize("open_cases", [30, 130, 299, 2600, 17_000, 51_234])
def test_staffing_gives_teams_of_six_to_eight_holding_fifteen_to_twenty_five_cases(open_cases):
    teams, managers = staffing(open_cases, random.Random(open_cases))
    loads = [load for team in teams for load in team]
    assert sum(loads) == open_cases
    assert all(CASELOAD[0] <= load <= CASELOAD[1] for load in loads)
    if len(loads) >= TEAM_SIZE[0]:
        assert all(TEAM_SIZE[0] <= len(team) <= TEAM_SIZE[1] for team in teams), [len(t) for t in teams]
    assert sorted(t for m in managers for t in m) == list(range(len(teams)))
    assert all(1 <= len(m) <= 2 for m in managers)


def test_names_are_drawn_with_realistic_frequencies():
    generate_caseload(children=600, seed=2, today=TODAY, batch_children=300)
    surnames = Counter(Child.objects.values_list("last_name", flat=True))
    assert len(surnames) > 200  # a long tail, not thirty names
    assert surnames.most_common(1)[0][1] < 0.05 * 600
    assert surnames["Smith"] > surnames.get("Jagger", 0)
    assert len(set(Child.objects.values_list("first_name", flat=True))) > 80


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
            assert episode.closed_at and episode.reason_for_closure not in ("", "RC1", "RC2")
            if episode.reason_for_closure in ("RC8", "RC9"):  # CIN rules 8825Q and 2990
                assert episode.assessments.exists()
                assert not episode.plans.exists() and not episode.section47s.exists()
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
    workers = User.objects.filter(username__startswith="gen.worker").count()
    generate_caseload(children=N, seed=3, today=TODAY, batch_children=20)
    ids = sorted(Child.objects.values_list("la_child_id", flat=True))
    assert ids == [f"GEN{i:07d}" for i in range(1, 2 * N + 1)]
    assert User.objects.filter(username__startswith="gen.worker").count() == workers


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


def test_the_command_takes_a_preset(monkeypatch):
    asked = {}
    monkeypatch.setattr(
        "closewell.demo.management.commands.generate_caseload.generate_caseload",
        lambda **kw: asked.update(kw) or dict.fromkeys(("children", "contacts"), 1),
    )
    call_command("generate_caseload", preset="average", stdout=io.StringIO(), stderr=io.StringIO())
    assert asked["children"] == 15_000
    call_command("generate_caseload", preset="large", stdout=io.StringIO(), stderr=io.StringIO())
    assert asked["children"] == 100_000


def test_the_command_refuses_no_children():
    with pytest.raises(CommandError):
        call_command("generate_caseload", children=0, stdout=io.StringIO())
