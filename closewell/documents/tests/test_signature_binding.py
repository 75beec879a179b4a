"""Signatures as a task of the record: bound to the SHA-256 of what was signed, out of date once the
record says something else, and refusing submit and authorisation until signed again or kept with a
reason; the signer's comment kept with the signature."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from closewell.api.services import token_create
from closewell.audit.models import AuditEvent
from closewell.cases.services import action_update
from closewell.closures import sections, selectors
from closewell.closures import services as closures
from closewell.closures.tests.test_views import date_parts
from closewell.core.errors import DomainError
from closewell.documents import pdf, services
from closewell.documents.models import Signature

from .conftest import SIGNATURE_PNG, days_ago


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def sign_child(case, record, **extra) -> Signature:
    return services.signature_add(
        actor=case.worker,
        record=record,
        signer="child",
        method="drawn",
        signed_on=days_ago(1),
        image=SIGNATURE_PNG,
        **extra,
    )


def change_reason(case, record, text="Ruby is safe; attendance is 98% since March."):
    record.refresh_from_db()
    return closures.closure_update(
        actor=case.worker,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_for_closure": text},
    )


def test_a_signature_is_bound_to_the_record_as_signed(case, complete_record):
    signature = sign_child(case, complete_record, comment="  I still want to see Jess at weekends.  ")
    assert signature.content_sha256 == sections.signed_sha256(complete_record)
    assert len(signature.content_sha256) == 64
    assert signature.comment == "I still want to see Jess at weekends."
    assert not signature.is_out_of_date(sections.signed_sha256(complete_record))


def test_the_digest_ignores_what_changes_by_itself_and_nothing_else(case, complete_record):
    digest = sections.signed_sha256(complete_record)
    said = sections.build_content(complete_record)
    said["child"]["age"] = 99
    said["authorisation"] = {"by": "Someone", "at": "2026-01-01"}
    assert sections.canonical_sha256(sections.signed_part(said)) == digest
    said["reason"]["text"] += " More."
    assert sections.canonical_sha256(sections.signed_part(said)) != digest


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=20), st.integers(), st.none())))
def test_the_canonical_digest_does_not_depend_on_key_order(content):
    reordered = dict(reversed(list(content.items())))
    assert sections.canonical_sha256(content) == sections.canonical_sha256(reordered)


def test_a_change_after_signing_puts_the_signature_out_of_date_and_audits_it_once(case, complete_record):
    signature = sign_child(case, complete_record)
    record = change_reason(case, complete_record)
    assert signature.is_out_of_date(sections.signed_sha256(record))
    change_reason(case, record, "Ruby is safe; attendance is 97% since March.")
    events = AuditEvent.objects.filter(object_type="documents.Signature", object_id=str(signature.pk))
    assert [e.summary for e in events if e.summary.startswith("Signature out of date")] == [
        "Signature out of date: Ruby Hale (“Reason for closure” was changed)"
    ]
    task = selectors.signatures_task(record)
    assert task["status"] == "Out of date"
    assert [s.out_of_date for s in task["signatures"]] == [True]


def test_did_not_sign_never_goes_out_of_date(case, complete_record):
    services.signature_add(
        actor=case.worker,
        record=complete_record,
        signer=str(case.father.pk),
        method="not_signed",
        signed_on=days_ago(1),
        not_signed_reason="declined",
    )
    record = change_reason(case, complete_record)
    assert selectors.signatures_task(record)["status"] == "In progress"
    assert not sections.problems(record)


def test_submit_is_refused_until_signed_again(case, complete_record):
    signature = sign_child(case, complete_record)
    record = change_reason(case, complete_record)
    with pytest.raises(closures.RecordIncomplete) as refused:
        closures.closure_submit(actor=case.worker, record=record)
    problem = refused.value.problems[-1]
    assert problem.section == "signatures" and problem.section_label == "Signatures"
    assert "Ruby Hale's signature is out of date" in problem.message
    services.signature_remove(actor=case.worker, signature=signature)
    sign_child(case, record)
    assert closures.closure_submit(actor=case.worker, record=record).status == "submitted"


def test_authorisation_is_refused_when_the_record_changed_after_signing(case, complete_record):
    """Signed while waiting for authorisation; then a planned action the review shows is changed on
    the case: what was signed is no longer what would be authorised."""
    record = closures.closure_submit(actor=case.worker, record=complete_record)
    sign_child(case, record)
    action = case.action
    action.refresh_from_db()
    action_update(
        actor=case.worker,
        action=action,
        outcome="Fewer nightmares; sleeping through since June.",
        version=action.version,
    )
    with pytest.raises(closures.RecordIncomplete):
        closures.closure_authorise(actor=case.manager, record=record)


def test_keeping_with_a_reason_covers_exactly_the_record_as_it_is_now(case, complete_record):
    signature = sign_child(case, complete_record)
    with pytest.raises(DomainError, match="not out of date"):
        services.signature_keep(actor=case.worker, signature=signature, reason="Typo.")
    record = change_reason(case, complete_record)
    with pytest.raises(DomainError, match="Say why"):
        services.signature_keep(actor=case.worker, signature=signature, reason="  ")
    kept = services.signature_keep(actor=case.worker, signature=signature, reason="A typo put right.")
    assert kept.kept_sha256 == sections.signed_sha256(record) and kept.kept_by == case.worker
    assert not sections.problems(record)
    assert AuditEvent.objects.filter(
        object_type="documents.Signature", summary__startswith="Kept the out-of-date signature"
    ).exists()
    record = change_reason(case, record, "Something else again.")
    kept.refresh_from_db()
    assert kept.is_out_of_date(sections.signed_sha256(record))


def test_the_signatures_task_status(case, complete_record):
    assert selectors.signatures_task(complete_record)["status"] == "Not started"
    sign_child(case, complete_record)
    task = selectors.signatures_task(complete_record)
    assert task["status"] == "In progress"
    assert task["missing"] == [case.mother.full_name, case.father.full_name]
    for person in (case.mother, case.father):
        services.signature_add(
            actor=case.worker,
            record=complete_record,
            signer=str(person.pk),
            method="not_signed",
            signed_on=days_ago(1),
            not_signed_reason="declined",
        )
    assert selectors.signatures_task(complete_record)["status"] == "Completed"


def test_an_authorised_record_is_compared_with_what_was_frozen(case, complete_record):
    sign_child(case, complete_record)
    record = closures.closure_submit(actor=case.worker, record=complete_record)
    record = closures.closure_authorise(actor=case.manager, record=record)
    assert selectors.signatures_task(record)["status"] != "Out of date"
    assert sections.signed_sha256(record) == Signature.objects.get(record=record).content_sha256


def test_the_comment_is_printed_with_the_signature(case, complete_record):
    signature = sign_child(case, complete_record, comment="I do not agree about school.")
    assert "Their comment: “I do not agree about school.”" in pdf.signature_data(signature)["statement"]


# --- Pages ------------------------------------------------------------------------------------------


def test_the_signing_page_says_what_they_are_signing(case, complete_record):
    html = (
        client(case.worker).get(reverse("documents:signatures", args=[complete_record.pk])).content.decode()
    )
    assert "What they are signing" in html
    assert "have read the record, or had it read to you" in html
    assert "Signing does not mean you agree with everything in it" in html
    assert "in your own words" in html
    assert 'name="comment"' in html


def test_the_signing_form_keeps_the_comment(case, complete_record):
    response = client(case.worker).post(
        reverse("documents:signatures", args=[complete_record.pk]),
        {
            "signer": str(case.mother.pk),
            "method": "not_signed",
            "not_signed_reason": "declined",
            **date_parts("signed_on", days_ago(1)),
            "comment": "I want Ruby's school named.",
        },
    )
    assert response.status_code == 302
    assert Signature.objects.get(person=case.mother).comment == "I want Ruby's school named."


def test_out_of_date_shows_on_the_task_list_check_answers_and_signatures_page(case, complete_record):
    signature = sign_child(case, complete_record)
    record = change_reason(case, complete_record)
    worker = client(case.worker)
    task_list = worker.get(reverse("closures:record", args=[record.pk])).content.decode()
    assert "Ruby Hale's signature is out of date" in task_list
    assert 'id="task-signatures-status"' in task_list and "Out of date" in task_list
    check = worker.get(reverse("closures:check", args=[record.pk])).content.decode()
    assert 'id="section-signatures"' in check and "Out of date" in check
    page = worker.get(reverse("documents:signatures", args=[record.pk])).content.decode()
    assert "Out of date" in page
    assert reverse("documents:signature_keep", args=[record.pk, signature.pk]) in page
    refused = worker.post(reverse("closures:check", args=[record.pk]))
    assert "Signatures: Ruby Hale&#x27;s signature is out of date" in refused.content.decode()
    assert reverse("documents:signatures", args=[record.pk]) in refused.content.decode()


def test_check_answers_shows_who_signed_how_when_or_why_not(case, complete_record):
    sign_child(case, complete_record, comment="Thank you.")
    services.signature_add(
        actor=case.worker,
        record=complete_record,
        signer=str(case.father.pk),
        method="not_signed",
        signed_on=days_ago(2),
        not_signed_reason="not_contacted",
        not_signed_detail="In custody.",
    )
    html = client(case.worker).get(reverse("closures:check", args=[complete_record.pk])).content.decode()
    assert "Signed on screen on" in html and "Their comment:" in html and "Thank you." in html
    assert "Could not be contacted: In custody." in html
    assert "Not yet recorded" in html and case.mother.full_name in html


def test_the_keep_page_records_the_reason(case, complete_record):
    signature = sign_child(case, complete_record)
    change_reason(case, complete_record)
    url = reverse("documents:signature_keep", args=[complete_record.pk, signature.pk])
    worker = client(case.worker)
    assert worker.get(url).status_code == 200
    empty = worker.post(url, {"reason": ""})
    assert "Say why their signature still stands" in empty.content.decode()
    assert worker.post(url, {"reason": "A typo put right."}).status_code == 302
    signature.refresh_from_db()
    assert signature.kept_reason == "A typo put right."
    assert client(case.other_worker).get(url).status_code == 404


# --- API --------------------------------------------------------------------------------------------


def test_the_api_shows_the_digest_and_the_out_of_date_state(case, complete_record):
    signature = sign_child(case, complete_record)
    api = APIClient()
    _, key = token_create(actor=None, user=case.worker)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/closure-records/{complete_record.pk}/"
    body = api.get(url).json()
    assert body["content_sha256"] == signature.content_sha256
    assert body["signatures"][0]["signed_sha256"] == signature.content_sha256
    assert body["signatures"][0]["out_of_date"] is False
    change_reason(case, complete_record)
    body = api.get(url).json()
    assert body["signatures"][0]["out_of_date"] is True
    assert body["content_sha256"] != signature.content_sha256
    assert any(p["section"] == "signatures" for p in body["problems"])


def test_signed_on_today_still_binds(case, complete_record):
    signature = services.signature_add(
        actor=case.worker,
        record=complete_record,
        signer="child",
        method="paper",
        signed_on=dt.date.today(),
        scan=b"%PDF-1.4\n%%EOF\n",
    )
    assert signature.is_bound
