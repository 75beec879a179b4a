"""The handover to Family Help: due, checked at submit, frozen with the record, answered by its lead
practitioner (only), overdue when unanswered, and the census unchanged by it."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone
from lxml import etree

from closewell.audit.models import AuditEvent
from closewell.census.forms import current_census_year
from closewell.census.queries import stream_children
from closewell.census.writer import Header, write_census
from closewell.closures import sections, services
from closewell.core.errors import DomainError
from closewell.documents import disclosure
from closewell.familyhelp import selectors
from closewell.familyhelp.content import handover_due
from closewell.familyhelp.models import Acknowledgement, Handover
from closewell.familyhelp.services import handover_acknowledge, handover_add

pytestmark = pytest.mark.django_db


def test_due_on_rc9_and_wherever_the_worker_adds_it(case, complete_record):
    assert complete_record.reason_code == "RC7"
    assert not handover_due(complete_record)
    complete_record.reason_code = "RC9"
    assert handover_due(complete_record)
    complete_record.reason_code = "RC7"
    handover_add(actor=case.worker, record=complete_record)
    assert handover_due(complete_record)
    assert "handover" in [spec.key for spec in sections.due(complete_record)]


def test_another_teams_worker_cannot_add_one(case, complete_record):
    with pytest.raises(PermissionDenied):
        handover_add(actor=case.other_worker, record=complete_record)


def test_checked_at_submit(case, complete_record):
    record = services.closure_update(
        actor=case.worker,
        record=complete_record,
        section="reason",
        version=complete_record.version,
        data={"reason_code": "RC7"},
    )
    handover_add(actor=case.worker, record=record)
    record.refresh_from_db()
    with pytest.raises(services.RecordIncomplete) as refused:
        services.closure_submit(actor=case.worker, record=record)
    fields = {p.field for p in refused.value.problems if p.section == "handover"}
    assert fields == {"lead_practitioner", "consent_given", "continuing_support", "signs_to_watch", "summary"}
    assert any("Handover to Family Help: Choose" in str(p) for p in refused.value.problems)


def test_consent_yes_needs_who_and_when(case, handed_over):
    services.closure_update(
        actor=case.worker,
        record=handed_over,
        section="handover",
        version=handed_over.version,
        data={handed_over.pk: {"consent_by": "", "consent_date": None}},
    )
    handed_over.refresh_from_db()
    problems = {p.field for p in sections.problems(handed_over) if p.section == "handover"}
    assert problems == {"consent_by", "consent_date"}


def test_the_lead_practitioner_must_have_the_role(case, handed_over):
    with pytest.raises(Exception) as refused:
        services.closure_update(
            actor=case.worker,
            record=handed_over,
            section="handover",
            version=handed_over.version,
            data={handed_over.pk: {"lead_practitioner": case.manager.pk}},
        )
    assert "lead_practitioner" in str(refused.value)


def test_frozen_with_the_record(authorised_handover):
    record = authorised_handover.record
    part = record.snapshot["handover"]
    assert part["lead_practitioner"] == "Lee Oak" and part["organisation"] == "Elm School"
    assert part["signs_to_watch"].startswith("Ruby missing school")
    Handover.objects.filter(pk=authorised_handover.pk).update(summary="Changed later")
    record.refresh_from_db()
    assert record.snapshot["handover"]["summary"].startswith("Ruby is 9")


def test_a_perpetrators_copy_shows_none_of_the_lead_practitioners_contact_details(case, authorised_handover):
    snapshot = authorised_handover.record.snapshot
    for profile, person in (("perpetrator", case.father.pk), ("file", None)):
        copy = disclosure.disclose(snapshot, disclosure.Recipient(profile, person))
        printed = str(sections.printed(copy.content))
        shown = profile == "file"
        assert ("01632 960123" in printed) is shown
        assert ("lee.oak@elm-school.example" in printed) is shown
        assert "Weekly sessions with Lee Oak" in printed
        if not shown:  # the register names the section each withholding came from
            assert {"phone", "email"} <= {
                w["kind"] for w in copy.withheld if w["section"] == "Handover to Family Help"
            }


# --- The lead practitioner's answer ---------------------------------------------------------------


def test_only_its_lead_practitioner_answers_once_after_authorisation(case, handed_over, lead, other_lead):
    handover = handed_over.handover
    with pytest.raises(PermissionDenied):  # not handed over until the record is authorised
        handover_acknowledge(actor=lead, handover=handover, accepted=True)
    record = services.closure_submit(actor=case.worker, record=handed_over)
    services.closure_authorise(actor=case.manager, record=record)
    handover.refresh_from_db()
    for someone in (other_lead, case.worker, case.manager):
        with pytest.raises(PermissionDenied):
            handover_acknowledge(actor=someone, handover=handover, accepted=True)
    with pytest.raises(DomainError):
        handover_acknowledge(actor=lead, handover=handover, accepted=False, reason=" ")
    handover = handover_acknowledge(actor=lead, handover=handover, accepted=True)
    assert handover.acknowledgement == Acknowledgement.ACCEPTED and handover.acknowledged_by == lead
    assert AuditEvent.objects.filter(
        object_type="familyhelp.Handover", object_id=str(handover.pk), summary__startswith="Accepted"
    ).exists()
    with pytest.raises(DomainError):
        handover_acknowledge(actor=lead, handover=handover, accepted=False, reason="Changed my mind")


def test_declining_says_why(authorised_handover, lead):
    handover = handover_acknowledge(
        actor=lead, handover=authorised_handover, accepted=False, reason="Ruby has left Elm School."
    )
    assert handover.acknowledgement == Acknowledgement.DECLINED
    assert handover.declined_reason == "Ruby has left Elm School."


# --- Overdue ----------------------------------------------------------------------------------------


def _closed_on(handover, day: dt.date):
    record = handover.record
    record.authorised_at = timezone.make_aware(dt.datetime.combine(day, dt.time(11)))
    handover.record = record
    return handover


@override_settings(HANDOVER_ACKNOWLEDGE_WORKING_DAYS=5)
def test_overdue_after_the_working_days_set(authorised_handover):
    friday = dt.date(2026, 11, 20)
    handover = _closed_on(authorised_handover, friday)
    assert selectors.answer_due(handover) == dt.date(2026, 11, 27)  # five working days: the next Friday
    assert not selectors.is_overdue(handover, today=dt.date(2026, 11, 27))
    assert selectors.is_overdue(handover, today=dt.date(2026, 11, 28))
    with override_settings(HANDOVER_ACKNOWLEDGE_WORKING_DAYS=1):
        assert selectors.answer_due(handover) == dt.date(2026, 11, 23)  # Monday
        assert selectors.is_overdue(handover, today=dt.date(2026, 11, 24))


def test_an_answered_handover_is_never_overdue(authorised_handover, lead):
    handover = handover_acknowledge(actor=lead, handover=authorised_handover, accepted=True)
    handover = _closed_on(handover, dt.date(2020, 1, 6))
    assert not selectors.is_overdue(handover, today=dt.date(2026, 1, 1))


@override_settings(HANDOVER_ACKNOWLEDGE_WORKING_DAYS=0)
def test_the_closing_teams_manager_sees_it_overdue(case, authorised_handover, client):
    tomorrow = timezone.localdate() + dt.timedelta(days=3)
    rows = selectors.team_handovers(case.manager, today=tomorrow)
    assert [r["handover"] for r in rows] == [authorised_handover] and rows[0]["overdue"]
    assert selectors.team_handovers(case.other_manager) == []
    with time_machine.travel(dt.datetime.combine(tomorrow, dt.time(12)).astimezone()):
        client.force_login(case.manager)
        page = client.get("/family-help/team/").content.decode()
    assert "Ruby Hale" in page and "Overdue" in page and "1 handover overdue" in page


# --- The census -------------------------------------------------------------------------------------


def _census() -> bytes:
    """The census as bytes, with a fixed creation time: two exports a second apart must compare equal."""
    out = io.BytesIO()
    header = Header(year=current_census_year(), la_code="999", created_at=dt.datetime(2026, 4, 1, 9, 0))
    write_census(out, header, stream_children(current_census_year()))
    return out.getvalue()


def test_a_handover_changes_nothing_in_the_census(authorised_handover):
    record = authorised_handover.record
    with_handover = _census()
    Handover.objects.filter(pk=authorised_handover.pk).delete()
    assert _census() == with_handover
    doc = etree.parse(io.BytesIO(with_handover))
    closure_dates = [e.text for e in doc.iter() if etree.QName(e).localname == "CINclosureDate"]
    reasons = [e.text for e in doc.iter() if etree.QName(e).localname == "ReasonForClosure"]
    assert closure_dates == [timezone.localdate(record.authorised_at).isoformat()]
    assert reasons == ["RC7"]
    assert b"Family Help" not in with_handover and b"Lee Oak" not in with_handover
