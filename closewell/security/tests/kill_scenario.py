"""The SIGKILL test's data, built through the services in the server's own database (run by
`manage.py shell -c` in a subprocess): N submitted Closure Records of one team, a manager to
authorise them. Prints the records' primary keys as JSON."""

import datetime as dt
import json

from django.utils import timezone

from closewell.accounts.models import Role, Team, User
from closewell.cases.codes import AssessmentFactor
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    Episode,
    Person,
    Plan,
    PlannedAction,
)
from closewell.closures import services
from closewell.closures.sections import problems

PASSWORD = "kill-test-password-123"  # noqa: S105 (a throwaway database)


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def submitted_record(i: int, team: Team, worker: User):
    child = Child.objects.create(
        la_child_id=f"K{i:05d}",
        upn_unknown="UN5",
        first_name="Ruby",
        last_name=f"Hale{i}",
        date_of_birth=days_ago(9 * 365),
        sex="F",
        disabilities=["NONE"],
    )
    mother = Person.objects.create(first_name="Jess", last_name=f"Hale{i}")
    ChildPerson.objects.create(child=child, person=mother, relationship="mother")
    episode = Episode.objects.create(
        child=child,
        referral_date=days_ago(200),
        referral_source="6",
        primary_need="N1",
        team=team,
        worker=worker,
    )
    Assessment.objects.create(
        episode=episode,
        start_date=days_ago(195),
        authorisation_date=days_ago(170),
        factors=[AssessmentFactor.MH_PARENT],
    )
    plan = Plan.objects.create(episode=episode, kind="cin", start_date=days_ago(160))
    action = PlannedAction.objects.create(
        episode=episode,
        plan=plan,
        dimension="emotional_behavioural",
        description="Play therapy",
        responsible="service",
        planned_level="Weekly",
        start_date=days_ago(150),
    )
    visit = Contact.objects.create(
        episode=episode,
        occurred_at=timezone.now() - dt.timedelta(days=100),
        kind="home_visit",
        child_seen=True,
        note="Saw Ruby.",
        worker=worker,
    )
    visit.people_seen.add(mother)
    record = services.closure_start(
        actor=worker, episode=episode, decision_date=days_ago(10), decision_by="Worker with manager"
    )
    sections = {
        "involvement": {"reason_for_involvement": "Police referral."},
        "interventions": {"interventions": "Weekly direct work."},
        "reason": {"reason_for_closure": "Safe and settled.", "reason_code": "RC7"},
        "child_views": {"child_discussed": True, "child_discussed_date": days_ago(5), "child_views": "Safe."},
        "review": {action.pk: {"actual_level": "10 of 12", "outcome": "Better."}},
        "parent_views": {mother.pk: {"discussed": True, "discussed_date": days_ago(6), "views": "Agrees."}},
    }
    for section, data in sections.items():
        record = services.closure_update(
            actor=worker, record=record, section=section, version=record.version, data=data
        )
    try:
        return services.closure_submit(actor=worker, record=record)
    except services.RecordIncomplete:
        raise AssertionError([p.message for p in problems(record)]) from None


def prepare(n: int) -> None:
    team = Team.objects.create(name="Kill Team")
    worker = User.objects.create_user("kill.worker", password=PASSWORD, role=Role.SOCIAL_WORKER, team=team)
    manager = User.objects.create_user("kill.manager", password=PASSWORD, role=Role.TEAM_MANAGER)
    manager.managed_teams.add(team)
    print(json.dumps([submitted_record(i, team, worker).pk for i in range(n)]))  # noqa: T201
