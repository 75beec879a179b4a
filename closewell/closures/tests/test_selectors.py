"""Closure Record reads: scoping, the manager's queue, overdue marks and the task list."""

import datetime as dt

import pytest
from django.http import Http404
from django.test import override_settings

from closewell.audit.models import AuditEvent
from closewell.closures import selectors, services
from closewell.closures.models import ClosureRecord, Status

from .conftest import days_ago


def test_record_is_404_for_another_team_and_reads_are_audited(case, complete_record):
    with pytest.raises(Http404):
        selectors.record_get_for_user(case.other_worker, complete_record.pk)
    with pytest.raises(Http404):
        selectors.record_get_for_user(case.other_manager, complete_record.pk)
    assert not AuditEvent.objects.filter(action="view", actor=case.other_worker).exists()
    assert selectors.record_get_for_user(case.manager, complete_record.pk) == complete_record
    assert AuditEvent.objects.filter(
        action="view", actor=case.manager, object_id=str(complete_record.pk)
    ).exists()


def test_manager_queue_and_worker_returns(case, complete_record):
    assert list(selectors.awaiting_authorisation(case.manager)) == []
    record = services.closure_submit(actor=case.worker, record=complete_record)
    assert list(selectors.awaiting_authorisation(case.manager)) == [record]
    assert list(selectors.awaiting_authorisation(case.other_manager)) == []
    assert list(selectors.awaiting_authorisation(case.worker)) == []
    services.closure_return(actor=case.manager, record=record, comments=[("reason", "More.")])
    assert list(selectors.returned_to(case.worker)) == [record]
    assert list(selectors.awaiting_authorisation(case.manager)) == []


@override_settings(CLOSURE_SUBMIT_WORKING_DAYS=15, CLOSURE_AUTHORISE_WORKING_DAYS=5)
def test_overdue_marks_count_working_days(case, complete_record):
    record = complete_record
    record.decision_date = dt.date(2026, 11, 2)  # a Monday
    assert selectors.submit_due(record) == dt.date(2026, 11, 23)
    assert not selectors.is_overdue(record, today=dt.date(2026, 11, 23))
    assert selectors.is_overdue(record, today=dt.date(2026, 11, 24))
    record.status = Status.SUBMITTED
    record.submitted_at = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)  # a Friday
    assert selectors.authorise_due(record) == dt.date(2026, 11, 27)
    assert not selectors.is_overdue(record, today=dt.date(2026, 11, 27))
    assert selectors.is_overdue(record, today=dt.date(2026, 11, 30))


@override_settings(CLOSURE_SUBMIT_WORKING_DAYS=2)
def test_overdue_limit_is_configurable(complete_record):
    complete_record.decision_date = dt.date(2026, 11, 2)
    assert selectors.is_overdue(complete_record, today=dt.date(2026, 11, 5))


def test_task_list_statuses(case):
    record = services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(2), decision_by="W"
    )
    record.reason_for_involvement = ""
    record.save()
    tasks = {t["section"]: t["status"] for t in selectors.task_list(record)}
    assert tasks["involvement"] == "Not started"
    assert tasks["interventions"] == "Check"  # pre-filled from the case's direct work, not yet saved
    assert "domestic_abuse" in tasks and "interpreting" not in tasks and "addendum" not in tasks
    record = services.closure_update(
        actor=case.worker,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_code": "RC7"},
    )
    assert {t["section"]: t["status"] for t in selectors.task_list(record)}["reason"] == "In progress"


def test_task_list_needs_attention_after_return(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    record = services.closure_return(
        actor=case.manager, record=record, comments=[("child_views", "Quote her.")]
    )
    tasks = {t["section"]: t for t in selectors.task_list(record)}
    assert tasks["child_views"]["status"] == "Needs attention"
    assert tasks["child_views"]["comments"][0].text == "Quote her."
    assert tasks["reason"]["status"] == "Completed"


def test_history_lists_every_event_of_the_record_newest_first(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    history = list(selectors.record_history(record))
    assert history[0].action == "transition" and history[-1].action == "create"
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED
