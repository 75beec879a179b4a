"""The date rules themselves: each rule, its GOV.UK message, and the submit check that re-reads them."""

import datetime as dt

import pytest
from django.utils import timezone

from closewell.closures import services as closure_services
from closewell.closures.models import ClosureRecord
from closewell.closures.services import RecordIncomplete
from closewell.closures.tests import conftest as closure_scenario
from closewell.core import date_rules
from closewell.core.date_rules import DateContext, check, row_date_errors

people = closure_scenario.people
case = closure_scenario.case
complete_record = closure_scenario.complete_record

TODAY = dt.date(2026, 11, 25)
JAYDEN = DateContext(
    today=TODAY,
    child_name="Jayden",
    date_of_birth=dt.date(2015, 5, 3),
    referral_date=dt.date(2026, 2, 2),
)


def test_the_messages_read_as_govuk_writes_them():
    rule = "closure.child_discussed_date"
    assert check(rule, dt.date(2099, 1, 1), JAYDEN) == (
        "The date closure was discussed with Jayden must be today or in the past"
    )
    assert check(rule, dt.date(1900, 1, 1), JAYDEN) == (
        "The date closure was discussed with Jayden must be on or after Jayden's date of birth, 3 May 2015"
    )
    assert check(rule, dt.date(2026, 2, 1), JAYDEN) == (
        "The date closure was discussed with Jayden must be on or after the referral date, 2 February 2026"
    )
    assert check(rule, TODAY, JAYDEN) is None
    assert check(rule, None, JAYDEN) is None


def test_plans_may_be_in_the_future_but_not_before_the_case():
    assert check("action.end_date", dt.date(2027, 6, 1), JAYDEN) is None
    assert check("child.expected_date_of_birth", dt.date(2027, 6, 1), JAYDEN) is None
    assert "referral date" in check("action.start_date", dt.date(2026, 1, 1), JAYDEN)


def test_after_the_case_closed_and_around_authorisation():
    closed = DateContext(
        today=TODAY,
        child_name="Jayden",
        date_of_birth=dt.date(2015, 5, 3),
        referral_date=dt.date(2026, 2, 2),
        closure_date=dt.date(2026, 6, 1),
        authorised_on=dt.date(2026, 6, 1),
    )
    assert check("contact.occurred_at", dt.date(2026, 6, 2), closed) == (
        "The date and time of the contact must be on or before the date the case closed, 1 June 2026"
    )
    assert "on or before the date the case closed" in check(
        "signature.signed_on", dt.date(2026, 6, 2), closed
    )
    authorised = DateContext(
        today=TODAY, referral_date=dt.date(2026, 2, 2), authorised_on=dt.date(2026, 6, 1)
    )
    assert check("signature.signed_on", dt.date(2026, 6, 2), authorised) == (
        "The date they signed must be on or before the date the record was authorised, 1 June 2026"
    )
    assert check("copy.given_on", dt.date(2026, 5, 31), closed) == (
        "The date the copy was given must be on or after the date the record was authorised, 1 June 2026"
    )
    assert check("copy.given_on", dt.date(2026, 6, 2), closed) is None


def test_work_with_a_family_referred_before_the_birth():
    unborn = DateContext(
        today=TODAY, child_name="Baby", date_of_birth=dt.date(2026, 5, 1), referral_date=dt.date(2026, 2, 2)
    )
    assert check("contact.occurred_at", dt.date(2026, 3, 1), unborn) is None
    assert "date of birth" in check("closure.child_discussed_date", dt.date(2026, 3, 1), unborn)


def test_a_date_and_time_is_in_the_past_to_the_minute():
    later = timezone.now() + dt.timedelta(hours=1)
    assert check("contact.occurred_at", later, date_rules.context_for()) == (
        "The date and time of the contact must be in the past"
    )


def test_an_importer_checks_a_row():
    errors = row_date_errors(
        "episode", {"referral_date": dt.date(2099, 1, 1), "primary_need": "N1"}, date_rules.context_for()
    )
    assert errors == {"referral_date": "The referral date must be today or in the past"}
    assert (
        "date of birth"
        in row_date_errors("child", {"date_of_death": dt.date(2000, 1, 1)}, JAYDEN)["date_of_death"]
    )


def test_submit_refuses_a_date_that_stopped_making_sense(case, complete_record):
    """A date written before the child's birth date was corrected (or put in by an import) is caught
    at submit, on its field."""
    ClosureRecord.objects.filter(pk=complete_record.pk).update(child_discussed_date=dt.date(1900, 1, 1))
    complete_record.refresh_from_db()
    with pytest.raises(RecordIncomplete) as refused:
        closure_services.closure_submit(actor=case.worker, record=complete_record)
    fields = {problem.field: problem.message for problem in refused.value.problems}
    assert "must be on or after Ruby's date of birth" in fields["child_discussed_date"]
