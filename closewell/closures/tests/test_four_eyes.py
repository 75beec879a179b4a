"""Four eyes that cannot be bypassed: nobody authorises a record whose content they wrote, changed
or submitted, whichever path they took (service, API, pages, the action page, signatures), returns
included. A second manager who did not touch it can."""

import html
import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from closewell.accounts.models import Role, User
from closewell.accounts.permissions import (
    can_authorise_record,
    can_review_record,
    four_eyes_refusal,
    record_permissions,
)
from closewell.api.services import token_create
from closewell.cases.services import action_update
from closewell.closures import services
from closewell.closures.models import ClosureRecord, Contribution, Status
from closewell.core.errors import NotPermitted
from closewell.documents.services import signature_add

from .conftest import days_ago, deal_with_comments
from .test_views import date_parts, error_summary, version_on


@pytest.fixture
def second_manager(case):
    """Another manager of the East team, who has not touched the record."""
    manager = User.objects.create_user("m3", role=Role.TEAM_MANAGER, first_name="Nia", last_name="Oak")
    manager.managed_teams.add(case.east)
    return manager


def _returned(case, record):
    record = services.closure_submit(actor=case.worker, record=record)
    record = services.closure_return(
        actor=case.manager, record=record, comments=[("reason", "Say more about why it is safe now.")]
    )
    deal_with_comments(record, case.worker)
    return record


def _api(user) -> APIClient:
    client = APIClient()
    _, key = token_create(actor=None, user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_bypass_through_the_service_is_refused(case, complete_record, second_manager):
    record = _returned(case, complete_record)
    record = services.closure_update(
        actor=case.manager,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_for_closure": "Rewritten by the manager.", "reason_code": "RC7"},
    )
    record = services.closure_submit(actor=case.manager, record=record)
    with pytest.raises(NotPermitted, match="you changed and submitted it"):
        services.closure_authorise(actor=case.manager, record=record)
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED
    # A second manager who did not touch it authorises it.
    record = services.closure_authorise(actor=second_manager, record=record)
    assert record.status == Status.AUTHORISED and record.authorised_by == second_manager


def test_the_bypass_through_the_api_is_403_with_a_json_reason(case, complete_record, second_manager):
    record = _returned(case, complete_record)
    manager = _api(case.manager)
    url = f"/api/v1/closure-records/{record.pk}"
    put = manager.put(
        f"{url}/sections/reason/",
        {"version": record.version, "data": {"reason_for_closure": "Rewritten through the API."}},
        format="json",
    )
    assert put.status_code == 200, put.content
    assert manager.post(f"{url}/submit/").status_code == 200
    refused = manager.post(f"{url}/authorise/")
    assert refused.status_code == 403
    message = refused.json()["errors"]["detail"][0]
    assert "You cannot authorise this record because you changed and submitted it" in message
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED
    assert _api(second_manager).post(f"{url}/authorise/").status_code == 200
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.AUTHORISED


def test_the_bypass_through_the_pages_is_refused_and_the_page_says_why(case, complete_record, second_manager):
    record = _returned(case, complete_record)
    manager = _page(case.manager)
    section = f"/closures/{record.pk}/section/reason/"
    saved = manager.post(
        section,
        {
            "version": version_on(manager.get(section)),
            "reason_for_closure": "Rewritten on the section page.",
            "reason_code": "RC7",
            "decision_maker": str(case.manager.pk),
            **date_parts("decision_date", days_ago(10)),
        },
    )
    assert saved.status_code == 302, saved.content.decode()
    assert manager.post(f"/closures/{record.pk}/check/").status_code == 302
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED

    review = manager.get(f"/closures/{record.pk}/review/")
    assert review.status_code == 200  # they may still read it and return it
    page = html.unescape(review.content.decode())
    assert "Authorise and close the case" not in page
    assert "You cannot authorise this record because you changed and submitted it" in page
    assert "Another team manager who has not changed it must authorise it" in page
    record_page = html.unescape(manager.get(f"/closures/{record.pk}/").content.decode())
    assert "Review and authorise" not in record_page

    refused = manager.post(f"/closures/{record.pk}/authorise/")
    assert refused.status_code == 403
    assert "You cannot authorise this record" in html.unescape(error_summary(refused))
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED

    other = _page(second_manager)
    assert "Continue to authorise" in other.get(f"/closures/{record.pk}/review/").content.decode()
    assert "Authorise and close the case" in other.get(f"/closures/{record.pk}/authorise/").content.decode()
    # The one who may not authorise is sent back to the review, which says why.
    assert manager.get(f"/closures/{record.pk}/authorise/")["Location"] == f"/closures/{record.pk}/review/"
    assert other.post(f"/closures/{record.pk}/authorise/").status_code == 302
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.AUTHORISED


def test_returning_alone_does_not_stop_a_manager_authorising(case, complete_record):
    record = _returned(case, complete_record)
    record = services.closure_update(
        actor=case.worker,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_for_closure": "More on why Ruby is safe now."},
    )
    record = services.closure_submit(actor=case.worker, record=record)
    assert four_eyes_refusal(case.manager, record) is None
    assert services.closure_authorise(actor=case.manager, record=record).status == Status.AUTHORISED


def test_submitting_alone_counts(case, complete_record, second_manager):
    record = services.closure_submit(actor=case.manager, record=complete_record)
    assert not can_authorise_record(case.manager, record)
    assert can_review_record(case.manager, record)  # returning is still theirs to do
    with pytest.raises(NotPermitted, match="you submitted it"):
        services.closure_authorise(actor=case.manager, record=record)


def test_changing_a_planned_action_the_review_section_shows_counts(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    case.action.refresh_from_db()
    action_update(actor=case.manager, action=case.action, outcome="Changed on the action page.")
    with pytest.raises(NotPermitted, match="you changed it"):
        services.closure_authorise(actor=case.manager, record=record)


def test_recording_a_signature_counts(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    signature_add(
        actor=case.manager,
        record=record,
        signer=str(case.mother.pk),
        method="not_signed",
        signed_on=timezone.localdate(),
        not_signed_reason="declined",
    )
    with pytest.raises(NotPermitted, match="recorded a signature on it"):
        services.closure_authorise(actor=case.manager, record=record)


def test_the_contributors_are_kept_across_a_return(case, complete_record):
    record = _returned(case, complete_record)
    services.closure_update(
        actor=case.manager,
        record=record,
        section="involvement",
        version=record.version,
        data={"reason_for_involvement": "Edited."},
    )
    kinds = {(c.user_id, c.kind) for c in Contribution.objects.filter(record=record)}
    assert kinds == {
        (case.worker.pk, "wrote"),
        (case.worker.pk, "edited"),
        (case.worker.pk, "submitted"),
        (case.manager.pk, "edited"),
    }
    record = services.closure_submit(actor=case.worker, record=ClosureRecord.objects.get(pk=record.pk))
    with pytest.raises(NotPermitted, match="you changed it"):
        services.closure_authorise(actor=case.manager, record=record)


def test_an_addendum_follows_the_same_rule(case, complete_record, second_manager):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    record = services.closure_authorise(actor=case.manager, record=record)
    addendum = services.addendum_start(
        reason="A date in the record is wrong.", actor=case.worker, record=record
    )
    addendum = services.closure_update(
        actor=case.manager,
        record=addendum,
        section="addendum",
        version=addendum.version,
        data={"addendum_text": "Jess's surname is Hale-Smith."},
    )
    addendum = services.closure_submit(actor=case.worker, record=addendum)
    with pytest.raises(NotPermitted, match="you changed it"):
        services.closure_authorise(actor=case.manager, record=addendum)
    assert services.closure_authorise(actor=second_manager, record=addendum).status == Status.AUTHORISED


def test_the_admin_offers_no_way_to_change_authorship_or_status(case, complete_record):
    registered = {model._meta.label for model in admin.site._registry}
    assert not {label for label in registered if label.startswith(("closures.", "documents.", "cases."))}
    administrator = User.objects.create_user("admin", role=Role.ADMINISTRATOR)
    client = _page(administrator)
    for path in (
        f"/admin/closures/closurerecord/{complete_record.pk}/change/",
        f"/admin/closures/contribution/{complete_record.pk}/change/",
        "/admin/closures/",
    ):
        assert client.get(path).status_code == 404
        assert client.post(path, {"status": "authorised", "author": administrator.pk}).status_code == 404
    assert ClosureRecord.objects.get(pk=complete_record.pk).status == Status.DRAFT


def test_the_queue_says_which_records_another_manager_must_authorise(case, complete_record):
    record = services.closure_submit(actor=case.manager, record=complete_record)
    page = _page(case.manager).get("/closures/").content.decode()
    assert f"/closures/{record.pk}/review/" in page
    assert "You worked on it: another manager authorises" in page


def test_records_made_before_contributions_were_noted_get_them_from_the_audit_trail(case, complete_record):
    """The migration fills in contributors of existing records from their authors and the audit trail."""
    backfill = importlib.import_module("closewell.closures.migrations.0002_contributions").backfill
    record = _returned(case, complete_record)
    record = services.closure_update(
        actor=case.manager,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_for_closure": "Rewritten by the manager."},
    )
    services.closure_submit(actor=case.manager, record=record)
    Contribution.objects.all().delete()
    backfill(apps, None)
    assert {(c.user_id, c.kind) for c in Contribution.objects.filter(record=record)} == {
        (case.worker.pk, "wrote"),
        (case.worker.pk, "edited"),
        (case.worker.pk, "submitted"),
        (case.manager.pk, "edited"),
        (case.manager.pk, "submitted"),
    }
    with pytest.raises(NotPermitted):
        services.closure_authorise(actor=case.manager, record=record)


def test_the_history_page_lists_who_worked_on_the_record(case, complete_record, second_manager):
    record = _returned(case, complete_record)
    services.closure_update(
        actor=case.manager,
        record=record,
        section="involvement",
        version=record.version,
        data={"reason_for_involvement": "Edited."},
    )
    page = html.unescape(_page(second_manager).get(f"/closures/{record.pk}/history/").content.decode())
    contributors = page.split('id="contributors">')[1].split("</dl>")[0]
    assert "Wendy Ash" in contributors and "Mo Birch" in contributors and "Nia Oak" not in contributors
    assert "Started and wrote" in contributors and "Changed" in contributors


def test_the_refusal_is_a_permission_denied_too(case, complete_record):
    """Code that knows only Django's PermissionDenied (a 403) refuses it as well."""
    record = services.closure_submit(actor=case.manager, record=complete_record)
    with pytest.raises(PermissionDenied):
        services.closure_authorise(actor=case.manager, record=record)


def test_the_permission_object_answers_four_eyes_with_its_reason(case, complete_record, second_manager):
    """The record's permission object (what pages, actions and the API ask) refuses the manager who
    submitted it, gives the reason, and still lets them return it; a second manager may authorise."""
    record = services.closure_submit(actor=case.manager, record=complete_record)
    mine = record_permissions(case.manager, record)
    assert not mine.can_authorise and mine.can_return
    assert "you submitted it" in mine.four_eyes_refusal
    other = record_permissions(second_manager, record)
    assert other.can_authorise and other.four_eyes_refusal is None
