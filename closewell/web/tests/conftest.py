"""One scenario for the page tests: two teams, a user of every role, an open, a closed and another
team's case. Built with plain ORM creates so it depends on nothing but the models."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from closewell.accounts.models import Role, Team, User
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
)

PASSWORD = "a-long-test-password-1"


def make_user(username: str, role: str, team: Team | None = None, **extra) -> User:
    return User.objects.create_user(
        username,
        password=PASSWORD,
        role=role,
        team=team,
        first_name=username.split("_")[0].capitalize(),
        last_name="Tester",
        **extra,
    )


def make_child(la_child_id: str, first: str, last: str, born: dt.date) -> Child:
    return Child.objects.create(
        la_child_id=la_child_id,
        first_name=first,
        last_name=last,
        date_of_birth=born,
        sex="F",
        upn_unknown="UN5",
    )


def aware(year, month, day, hour=10, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.fixture
def web(db):
    """The scenario. Users: worker, other_worker, manager, other_manager, data_officer, admin."""
    north = Team.objects.create(name="North Assessment Team")
    south = Team.objects.create(name="South Family Support Team")
    s = SimpleNamespace(team=north, other_team=south)
    s.worker = make_user("worker_north", Role.SOCIAL_WORKER, north)
    s.other_worker = make_user("worker_south", Role.SOCIAL_WORKER, south)
    s.manager = make_user("manager_north", Role.TEAM_MANAGER)
    s.manager.managed_teams.add(north)
    s.other_manager = make_user("manager_south", Role.TEAM_MANAGER)
    s.other_manager.managed_teams.add(south)
    s.data_officer = make_user("data_officer", Role.DATA_OFFICER)
    s.admin = make_user("admin_user", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)

    # An open case of the north team, allocated to the worker.
    s.child = make_child("NB100234", "Amelia", "Hartley", dt.date(2015, 3, 14))
    s.episode = Episode.objects.create(
        child=s.child,
        referral_date=dt.date(2026, 2, 2),
        referral_source="2A",
        primary_need="N1",
        team=north,
        worker=s.worker,
    )
    s.mother = Person.objects.create(
        first_name="Laura",
        last_name="Hartley",
        first_language="Polish",
        reads_english=False,
        interpreter_needed=True,
        address="12 Mill Lane, Northmoor",
        contact_details_sensitive=True,
        sensitivity_reason="Fled domestic abuse",
    )
    ChildPerson.objects.create(
        child=s.child,
        person=s.mother,
        relationship="mother",
        has_parental_responsibility=True,
        lives_with_child=True,
    )
    s.father = Person.objects.create(first_name="Mark", last_name="Hartley")
    ChildPerson.objects.create(child=s.child, person=s.father, relationship="father")
    s.stranger = Person.objects.create(first_name="Not", last_name="Linked")
    Assessment.objects.create(
        episode=s.episode,
        start_date=dt.date(2026, 2, 3),
        authorisation_date=dt.date(2026, 3, 1),
        factors=["3B"],
    )
    s.plan = Plan.objects.create(episode=s.episode, kind="cin", start_date=dt.date(2026, 3, 2))
    s.action = PlannedAction.objects.create(
        episode=s.episode,
        plan=s.plan,
        dimension="ensuring_safety",
        responsible="service",
        description="Safety planning sessions with mother",
        planned_level="Weekly for 8 weeks",
    )
    s.unplanned = PlannedAction.objects.create(
        episode=s.episode,
        is_unplanned=True,
        dimension="housing",
        responsible="service",
        description="Emergency housing support",
        impact="Moved to safe housing",
    )
    s.contact = Contact.objects.create(
        episode=s.episode,
        occurred_at=aware(2026, 3, 14, 10, 30),
        kind="home_visit",
        child_seen=True,
        child_seen_alone=True,
        note="Visited Amelia at home.",
        worker=s.worker,
    )
    s.contact.people_seen.set([s.mother])
    DomesticAbuse.objects.create(
        episode=s.episode,
        perpetrator=s.father,
        victim=s.mother,
        custody_status="in_custody",
        expected_release_date=dt.date(2027, 1, 5),
    )

    # A closed case of the north team, with an older closed episode shown as a past episode.
    s.closed_child = make_child("NB900001", "Zara", "Finch", dt.date(2010, 5, 5))
    s.closed_episode = Episode.objects.create(
        child=s.closed_child,
        referral_date=dt.date(2025, 1, 6),
        referral_source="6",
        team=north,
        worker=s.worker,
        status=EpisodeStatus.CLOSED,
        closure_date=dt.date(2025, 6, 2),
        closed_at=aware(2025, 6, 2),
        reason_for_closure="RC7",
    )
    s.closed_person = Person.objects.create(first_name="Dana", last_name="Finch")
    ChildPerson.objects.create(child=s.closed_child, person=s.closed_person, relationship="mother")
    s.closed_contact = Contact.objects.create(
        episode=s.closed_episode,
        occurred_at=aware(2025, 2, 1),
        kind="telephone",
        note="Called Dana.",
        worker=s.worker,
    )
    s.closed_action = PlannedAction.objects.create(
        episode=s.closed_episode,
        is_unplanned=True,
        dimension="health",
        responsible="worker",
        description="GP registration",
    )

    # The south team's case.
    s.other_child = make_child("SV500001", "Oscar", "Pemberton", dt.date(2018, 9, 30))
    s.other_episode = Episode.objects.create(
        child=s.other_child,
        referral_date=dt.date(2026, 1, 5),
        referral_source="6",
        team=south,
        worker=s.other_worker,
    )
    s.users = {
        "worker": s.worker,
        "other_worker": s.other_worker,
        "manager": s.manager,
        "other_manager": s.other_manager,
        "data_officer": s.data_officer,
        "admin": s.admin,
        "anonymous": None,
    }
    return s


@pytest.fixture
def as_user(client, web):
    """as_user('worker') -> the test client signed in as that user of the scenario."""

    def sign_in(name: str):
        user = web.users[name]
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
