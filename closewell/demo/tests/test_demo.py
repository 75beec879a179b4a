"""The demo: idempotent, valid, fictional, and it holds every case the demo promises."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction

from closewell.accounts.models import Team, User
from closewell.audit.models import AuditEvent
from closewell.cases.codes import DIMENSION_DOMAIN, DOMESTIC_ABUSE_FACTORS, Domain, Parent
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    ContactType,
    CustodyStatus,
    DomesticAbuse,
    Episode,
    EpisodeStatus,
    LookedAfterPeriod,
    Person,
    Plan,
    PlannedAction,
    Section47,
)
from closewell.census.rules import upn_check_letter
from closewell.demo import demo
from closewell.familyhelp.models import Handover

MODELS = [
    Team,
    User,
    Child,
    LookedAfterPeriod,
    Person,
    ChildPerson,
    Episode,
    Assessment,
    Section47,
    Plan,
    PlannedAction,
    Contact,
    DomesticAbuse,
]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo once for the module, and roll it back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def output(loaded, db):
    return loaded


def counts():
    return {m.__name__: m.objects.count() for m in [*MODELS, AuditEvent]} | {
        "people_seen": Contact.people_seen.through.objects.count(),
        "managed_teams": User.managed_teams.through.objects.count(),
    }


def test_loading_twice_leaves_the_same_data(output):
    first = counts()
    assert first["Child"] == len(demo.CASES)
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first


def test_second_run_says_the_cases_were_already_loaded(output):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Already loaded" in out.getvalue()
    assert "Loaded demo cases" not in out.getvalue()


def test_every_object_passes_full_clean(output):
    checked = 0
    for model in MODELS:
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked > 100


def test_every_child_has_identifiers_and_codes(output):
    for child in Child.objects.all():
        assert child.la_child_id.startswith("NM")
        assert bool(child.upn) != bool(child.upn_unknown)
        if child.upn:
            assert re.fullmatch(r"[A-Z]\d{12}", child.upn)
            assert child.upn[0] == upn_check_letter(child.upn[1:])
        assert child.disabilities
        for episode in child.episodes.all():
            assert episode.referral_source and episode.primary_need


def test_contacts_fall_within_their_episode(output):
    today = dt.date.today()
    for contact in Contact.objects.select_related("episode"):
        day = contact.occurred_at.date()
        assert contact.episode.referral_date <= day < today
        if contact.episode.closure_date:
            assert day <= contact.episode.closure_date
        linked = set(
            ChildPerson.objects.filter(child=contact.episode.child_id).values_list("person_id", flat=True)
        )
        assert set(contact.people_seen.values_list("pk", flat=True)) <= linked


def test_closed_episodes_have_authorised_assessments_and_all_closure_fields(output):
    closed = Episode.objects.filter(status=EpisodeStatus.CLOSED)
    assert closed.count() >= 2
    for episode in closed:
        assert episode.closure_date and episode.closed_at and episode.reason_for_closure
        assert not episode.assessments.filter(authorisation_date__isnull=True).exists()
        assert not episode.plans.filter(end_date__isnull=True).exists()


def test_a_re_referral_follows_a_closure_within_twelve_months(output):
    episode = Episode.objects.get(is_re_referral=True)
    previous = episode.previous_episode
    assert previous.status == EpisodeStatus.CLOSED
    assert previous.closure_date <= episode.referral_date
    assert (episode.referral_date - previous.closure_date).days < 365
    assert episode.status == EpisodeStatus.OPEN


def test_domestic_abuse_case_with_perpetrator_in_custody_and_a_sensitive_victim(output):
    abuse = DomesticAbuse.objects.select_related("episode", "victim", "perpetrator").get()
    episode = abuse.episode
    assert abuse.custody_status == CustodyStatus.IN_CUSTODY
    assert abuse.expected_release_date > dt.date.today()
    assert abuse.work_with_perpetrator
    assert abuse.victim.contact_details_sensitive and abuse.victim.sensitivity_reason
    assert not abuse.perpetrator.contact_details_sensitive
    victim_link = ChildPerson.objects.get(child=episode.child, person=abuse.victim)
    assert victim_link.relationship == "mother"
    assert any(
        DOMESTIC_ABUSE_FACTORS.intersection(a.factors) and a.authorisation_date
        for a in episode.assessments.all()
    )
    assert episode.plans.filter(kind="cin").exists()
    # The child and the mother are each seen on their own.
    assert episode.contacts.filter(child_seen_alone=True).exists()
    assert episode.contacts.filter(child_seen=False, people_seen=abuse.victim).exists()


def test_care_leaver_under_19_with_letters_calls_and_texts(output):
    child = Child.objects.get(care_leaver_status__gt="")
    assert child.is_care_leaver_under_19()
    assert child.age() == 18
    kinds = set(Contact.objects.filter(episode__child=child).values_list("kind", flat=True))
    assert {ContactType.LETTER, ContactType.TELEPHONE, ContactType.TEXT} <= kinds
    assert Plan.objects.filter(episode__child=child, kind="pathway").exists()


def test_looked_after_child_with_birth_family_and_corporate_parent_actions(output):
    child = next(c for c in Child.objects.all() if c.is_looked_after())
    actions = PlannedAction.objects.filter(episode__child=child)
    for parent in (Parent.BIRTH_FAMILY, Parent.CORPORATE_PARENT):
        domains = {DIMENSION_DOMAIN[a.dimension] for a in actions.filter(parent=parent)}
        assert {Domain.PARENTING_CAPACITY, Domain.FAMILY_ENVIRONMENT} <= domains, parent
    assert Plan.objects.filter(episode__child=child, kind="care").exists()


def test_a_parent_who_speaks_polish_needs_an_interpreter(output):
    person = Person.objects.get(first_language="Polish", interpreter_needed=True)
    assert not person.reads_english
    link = ChildPerson.objects.get(person=person)
    assert link.is_parent_or_carer
    assert link.child.episodes.filter(status=EpisodeStatus.OPEN).exists()


def test_a_case_ready_to_close_after_assessment_with_no_plan(output):
    ready = [
        e
        for e in Episode.objects.filter(status=EpisodeStatus.OPEN)
        if e.assessments.exists()
        and not e.assessments.filter(authorisation_date__isnull=True).exists()
        and not e.plans.exists()
        and not e.section47s.exists()
    ]
    ollie = [e for e in ready if e.child.la_child_id == "NM100006"]
    assert len(ollie) == 1 and ollie[0].assessments.get().factors == ["20"]


def test_child_protection_plan_after_section_47_and_conference(output):
    plan = Plan.objects.get(kind="cp")
    assert plan.initial_category and plan.latest_category
    s47 = plan.episode.section47s.get()
    assert s47.icpc_date is not None
    assert s47.icpc_date <= plan.start_date
    assert plan.actions.count() >= 3


def test_family_support_case_has_levels_outcomes_and_an_unplanned_service(output):
    episode = Episode.objects.get(child__la_child_id="NM100001")
    plan = episode.plans.get(kind="cin")
    planned = plan.actions.filter(is_unplanned=False)
    assert planned.values("dimension").distinct().count() >= 4
    assert all(a.planned_level and a.actual_level and a.outcome for a in planned)
    unplanned = episode.actions.get(is_unplanned=True)
    assert unplanned.impact


def test_the_demo_is_fictional(output):
    names = {p.full_name for p in Person.objects.all()} | {c.full_name for c in Child.objects.all()}
    assert not [n for n in names if "Reeve" in n]
    assert all("Northmoor" in p.address for p in Person.objects.exclude(address=""))


def test_text_placeholders_are_all_replaced(output):
    texts = (
        [a.summary for a in Assessment.objects.all()]
        + [c.note for c in Contact.objects.all()]
        + [a.outcome for a in PlannedAction.objects.all()]
    )
    assert not [t for t in texts if "[[" in t]


def test_logins_list_every_demo_user_with_role_and_team(output):
    for spec in demo.USERS:
        line = next(line for line in output.splitlines() if line.startswith(spec["username"] + " "))
        assert demo.DEMO_PASSWORD in line
        user = User.objects.get(username=spec["username"])
        assert user.get_role_display() in line
        if user.team:
            assert user.team.name in line


def test_every_demo_user_can_log_in_with_the_printed_password(output, client):
    password = re.search(r"password is ([^\s)]+)", output).group(1)
    for spec in demo.USERS:
        assert client.login(username=spec["username"], password=password), spec["username"]
        client.logout()


def test_admin_is_an_administrator_not_a_superuser_and_manager_manages_east_and_west(output):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("accounts.change_user") and not admin.has_perm("auth.change_group")
    manager = User.objects.get(username="manager")
    assert set(manager.managed_teams.values_list("name", flat=True)) == {demo.EAST, demo.WEST}
    assert not User.objects.get(username="worker.east").is_staff


def test_a_changed_demo_password_is_reset_by_loading_again(output, client):
    user = User.objects.get(username="worker.east")
    user.set_password("something-else-entirely")
    user.save()
    call_command("load_demo", stdout=io.StringIO())
    assert client.login(username="worker.east", password=demo.DEMO_PASSWORD)


def test_the_lead_practitioner_is_handed_lily_mae_only(output, client):
    handovers = Handover.objects.filter(lead_practitioner__username="lead.practitioner")
    assert [h.record.episode.child.la_child_id for h in handovers] == ["NM100009"]
    record = handovers.get().record
    assert record.is_authorised and record.snapshot["handover"]["lead_practitioner"] == "Bethan Okafor"
    assert "lead.practitioner" in output
    client.login(username="lead.practitioner", password=demo.DEMO_PASSWORD)
    assert "Lily-Mae Dawson" in client.get("/family-help/").content.decode()
    demo.load_demo()  # again: nothing added
    assert Handover.objects.count() == 1
