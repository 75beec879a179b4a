"""The Closure Record's permission object and its actions: every role in every state, the same
answer for the button (is_available) as for the refusal (check) and the service."""

import pytest
from django.core.exceptions import PermissionDenied

from closewell.accounts.permissions import record_permissions
from closewell.closures import actions, services
from closewell.closures.models import ClosureRecord, Status
from closewell.core.errors import DomainError

from .test_views import to_state

ROLES = ("worker", "other_worker", "manager", "other_manager", "data")
STATES = ("draft", "submitted", "returned", "authorised")

# state -> the roles for which each answer is yes
YES = {
    "can_edit": {"draft": {"worker", "manager"}, "returned": {"worker", "manager"}},
    "can_authorise": {"submitted": {"manager"}},
    "can_return": {"submitted": {"manager"}},
    "can_withdraw": {
        "draft": {"worker", "manager"},
        "submitted": {"manager"},
        "returned": {"worker", "manager"},
    },
    "can_start_addendum": {"authorised": {"worker", "manager"}},
    "can_see_history": {state: {"manager"} for state in STATES},
    "can_handle_documents": {state: {"worker", "manager"} for state in STATES},
    "can_view": {state: {"worker", "manager", "data"} for state in STATES},
}


@pytest.mark.parametrize("state", STATES)
def test_every_answer_for_every_role_in_every_state(complete_record, case, state):
    record = to_state(complete_record, case, state)
    got = {
        answer: {role for role in ROLES if getattr(record_permissions(getattr(case, role), record), answer)}
        for answer in YES
    }
    assert got == {answer: by_state.get(state, set()) for answer, by_state in YES.items()}


def test_the_author_never_reviews_their_own_record(case):
    """A manager who wrote the record may not return or authorise it (four eyes)."""
    record = services.closure_start(
        actor=case.manager, episode=case.episode, decision_date=case.episode.referral_date, decision_by="Mo"
    )
    record.status = Status.SUBMITTED
    permissions = record_permissions(case.manager, record)
    assert not (permissions.can_authorise or permissions.can_return or permissions.is_reviewer)
    with pytest.raises(PermissionDenied):
        actions.AuthoriseRecord(case.manager, record).check()


@pytest.mark.parametrize(
    "action, state, role",
    [
        (actions.AuthoriseRecord, "submitted", "worker"),
        (actions.AuthoriseRecord, "submitted", "data"),
        (actions.ReturnRecord, "submitted", "worker"),
        (actions.WithdrawRecord, "authorised", "manager"),
        (actions.WithdrawRecord, "submitted", "worker"),
        (actions.StartAddendum, "authorised", "data"),
        (actions.SubmitRecord, "draft", "data"),
    ],
)
def test_an_action_not_available_is_refused(complete_record, case, action, state, role):
    record = to_state(complete_record, case, state)
    step = action(getattr(case, role), record)
    assert not step.is_available
    with pytest.raises(PermissionDenied):
        step.check()


def test_a_step_the_state_does_not_allow_is_a_domain_error_for_whoever_may_take_it(complete_record, case):
    """The manager may authorise this team's records, but not a draft: the page says why (no 403)."""
    step = actions.AuthoriseRecord(case.manager, complete_record)
    step.check()
    assert not step.is_available
    with pytest.raises(DomainError, match="Only a submitted record"):
        step.execute()


def test_the_addendum_button_goes_while_one_is_in_progress(complete_record, case):
    record = to_state(complete_record, case, "authorised")
    assert actions.StartAddendum(case.worker, record).is_available
    actions.StartAddendum(case.worker, record).execute(reason="A date in the record is wrong.")
    assert not actions.StartAddendum(case.manager, record).is_available
    assert ClosureRecord.objects.filter(addendum_to=record).count() == 1
