"""The Family Help tests' scenario: the Closure Record tests' case (closing with RC7), with a handover
to a lead practitioner who works for a school."""

import pytest

from closewell.accounts.models import Role, User
from closewell.closures import services
from closewell.closures.tests.conftest import (  # noqa: F401 (fixtures)
    case,
    complete_record,
    days_ago,
    handover_ready,
    people,
)

HANDOVER_TEXT = {
    "lead_contact": "01632 960123, lee.oak@elm-school.example",
    "consent_scope": "Everything in this handover.",
    "continuing_support": "Weekly sessions with Lee Oak at Elm School until July.",
    "outstanding_actions": "Lee Oak to book Ruby's dentist appointment.",
    "signs_to_watch": "Ruby missing school two days in a week, or Jess Hale saying Tom Hale is back. "
    "Then call the front door on 01632 960000.",
    "summary": "Ruby is 9 and lives with her mother Jess Hale. They moved to a new home after domestic "
    "abuse. Ruby is settled at Elm School.",
}


@pytest.fixture
def handed_over(case, complete_record):  # noqa: F811
    """The record with its handover written in full, not yet submitted."""
    record = handover_ready(case, complete_record)
    return services.closure_update(
        actor=case.worker,
        record=record,
        section="handover",
        version=record.version,
        data={record.pk: HANDOVER_TEXT},
    )


@pytest.fixture
def lead(handed_over):
    return User.objects.get(username="lead")


@pytest.fixture
def authorised_handover(case, handed_over):  # noqa: F811
    record = services.closure_submit(actor=case.worker, record=handed_over)
    record = services.closure_authorise(actor=case.manager, record=record)
    return record.handover


@pytest.fixture
def other_lead(db):
    return User.objects.create_user("lead2", role=Role.LEAD_PRACTITIONER, organisation="Ash Charity")
