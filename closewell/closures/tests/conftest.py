"""One shared scenario for the Closure Record tests: a domestic-abuse case ready to close."""

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
    Person,
    Plan,
    PlannedAction,
)
from closewell.closures import services
from closewell.familyhelp.services import handover_add

TODAY = dt.date.today()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def at(date: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour)))


@pytest.fixture
def people(db):
    east = Team.objects.create(name="East")
    west = Team.objects.create(name="West")
    worker = User.objects.create_user(
        "w",
        role=Role.SOCIAL_WORKER,
        team=east,
        email="w@example.invalid",
        first_name="Wendy",
        last_name="Ash",
    )
    other_worker = User.objects.create_user("w2", role=Role.SOCIAL_WORKER, team=west)
    manager = User.objects.create_user(
        "m", role=Role.TEAM_MANAGER, email="m@example.invalid", first_name="Mo", last_name="Birch"
    )
    manager.managed_teams.add(east)
    other_manager = User.objects.create_user("m2", role=Role.TEAM_MANAGER)
    other_manager.managed_teams.add(west)
    data = User.objects.create_user("d", role=Role.DATA_OFFICER)
    return SimpleNamespace(
        east=east,
        west=west,
        worker=worker,
        other_worker=other_worker,
        manager=manager,
        other_manager=other_manager,
        data=data,
    )


@pytest.fixture
def case(people):
    child = Child.objects.create(
        la_child_id="T1",
        upn_unknown="UN5",
        first_name="Ruby",
        last_name="Hale",
        date_of_birth=days_ago(9 * 365),
        sex="F",
        disabilities=["NONE"],
    )
    mother = Person.objects.create(
        first_name="Jess",
        last_name="Hale",
        address="1 Safe Street",
        contact_details_sensitive=True,
        sensitivity_reason="Refuge address",
    )
    father = Person.objects.create(first_name="Dean", last_name="Hale")
    ChildPerson.objects.create(child=child, person=mother, relationship="mother")
    ChildPerson.objects.create(child=child, person=father, relationship="father")
    episode = Episode.objects.create(
        child=child,
        referral_date=days_ago(200),
        referral_source="6",
        primary_need="N1",
        team=people.east,
        worker=people.worker,
    )
    assessment = Assessment.objects.create(
        episode=episode, start_date=days_ago(195), authorisation_date=days_ago(170), factors=["3A", "3B"]
    )
    plan = Plan.objects.create(episode=episode, kind="cin", start_date=days_ago(160))
    action = PlannedAction.objects.create(
        episode=episode,
        plan=plan,
        dimension="emotional_behavioural",
        description="Play therapy",
        responsible="service",
        planned_level="Weekly for 12 weeks",
        start_date=days_ago(150),
    )
    unplanned = PlannedAction.objects.create(
        episode=episode,
        is_unplanned=True,
        dimension="housing",
        description="Emergency housing move",
        responsible="service",
    )
    DomesticAbuse.objects.create(
        episode=episode,
        perpetrator=father,
        victim=mother,
        custody_status="in_custody",
        expected_release_date=days_ago(-300),
    )
    visit = Contact.objects.create(
        episode=episode,
        occurred_at=at(days_ago(100)),
        kind="home_visit",
        child_seen=True,
        child_seen_alone=True,
        note="Saw Ruby in her room.",
        worker=people.worker,
    )
    visit.people_seen.add(mother)
    call = Contact.objects.create(
        episode=episode,
        occurred_at=at(days_ago(90)),
        kind="telephone",
        work="indirect",
        note="Called Jess.",
        worker=people.worker,
    )
    call.people_seen.add(mother)
    return SimpleNamespace(
        child=child,
        mother=mother,
        father=father,
        episode=episode,
        assessment=assessment,
        plan=plan,
        action=action,
        unplanned=unplanned,
        visit=visit,
        call=call,
        **vars(people),
    )


COMPLETE = {
    "involvement": {"reason_for_involvement": "Police referral after an incident at home."},
    "interventions": {"interventions": "Weekly direct work with Ruby."},
    "reason": {"reason_for_closure": "Ruby is safe and settled.", "reason_code": "RC7"},
    "child_views": {
        "child_discussed": True,
        "child_discussed_date": days_ago(5),
        "child_views": "Ruby said: “I feel safe now.”",
    },
    "domestic_abuse": {
        "da_work_with_perpetrator": "Referred to a perpetrator programme in prison.",
        "da_if_released": "Probation to alert children's services before release.",
        "da_if_resumed": "New referral and assessment straight away.",
    },
}


@pytest.fixture
def complete_record(case):
    """A record with every section filled in, ready to submit."""
    record = services.closure_start(
        actor=case.worker,
        episode=case.episode,
        decision_date=days_ago(10),
        decision_by="Wendy Ash with Mo Birch",
    )
    for section, data in COMPLETE.items():
        record = services.closure_update(
            actor=case.worker, record=record, section=section, version=record.version, data=data
        )
    record = services.closure_update(
        actor=case.worker,
        record=record,
        section="review",
        version=record.version,
        data={
            case.action.pk: {"actual_level": "10 of 12 sessions", "outcome": "Fewer nightmares."},
            case.unplanned.pk: {"impact": "The family moved to safety."},
        },
    )
    views = {
        case.mother.pk: {"discussed": True, "discussed_date": days_ago(6), "views": "Jess agrees."},
        case.father.pk: {"discussed": False, "not_discussed_reason": "In custody; no contact."},
    }
    record = services.closure_update(
        actor=case.worker, record=record, section="parent_views", version=record.version, data=views
    )
    return record


def deal_with_comments(record, actor, answer: str = "Done: see the section.") -> None:
    """The worker answers each of the manager's open comments and marks it dealt with, as the record
    must have before it is submitted again."""
    for comment in record.comments.filter(resolved=False):
        services.comment_answer(
            actor=actor, comment=comment, version=comment.version, answer=answer, dealt_with=True
        )


def handover_ready(case, record):
    """The record with a handover to Family Help added, a lead practitioner named and the family's
    consent recorded (the text is each test's own)."""
    lead = User.objects.create_user(
        "lead", role=Role.LEAD_PRACTITIONER, first_name="Lee", last_name="Oak", organisation="Elm School"
    )
    handover_add(actor=case.worker, record=record)
    record.refresh_from_db()
    return services.closure_update(
        actor=case.worker,
        record=record,
        section="handover",
        version=record.version,
        data={
            record.pk: {
                "lead_practitioner": lead.pk,
                "consent_given": True,
                "consent_by": "Jess Hale",
                "consent_date": days_ago(4),
            }
        },
    )
