"""Every endpoint × role: the worker and managers of the team, another team (404, as the pages), the
data officer (reads, never writes: 403), no token (401). The same services decide as for the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from closewell.closures import services
from closewell.closures.models import ClosureRecord, Status
from closewell.documents.services import copy_give

from .conftest import ROLES

ALL = (*ROLES, "anonymous")
READ = {
    "worker": 200,
    "manager": 200,
    "data": 200,
    "other_worker": 404,
    "other_manager": 404,
    "anonymous": 401,
}


def _draft(case):
    return services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=dt.date.today(), decision_by="Wendy Ash"
    )


def _submitted(case, complete_record):
    return services.closure_submit(actor=case.worker, record=complete_record)


def _authorised(case, complete_record):
    record = services.closure_authorise(actor=case.manager, record=_submitted(case, complete_record))
    copy = copy_give(
        actor=case.worker,
        record=record,
        recipient_kind="child",
        given_on=timezone.localdate(),
        method="in_person",
    )
    return record, copy


# name: (method, path from the scenario, body, {role: status})
READS = {
    "child": lambda s: f"/api/v1/children/{s.child.pk}/",
    "episode": lambda s: f"/api/v1/episodes/{s.episode.pk}/",
    "plans": lambda s: f"/api/v1/episodes/{s.episode.pk}/plans/",
    "contacts": lambda s: f"/api/v1/episodes/{s.episode.pk}/contacts/",
    "contact": lambda s: f"/api/v1/contacts/{s.visit.pk}/",
}


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("name", READS)
def test_case_reads(case, as_role, role, name):
    assert as_role(role).get(READS[name](case)).status_code == READ[role]


@pytest.mark.parametrize("role", ALL)
def test_record_reads(case, complete_record, as_role, role):
    client = as_role(role)
    assert client.get(f"/api/v1/closure-records/{complete_record.pk}/").status_code == READ[role]
    # The copies register, like its page, is for those who handle copies: not the data officer.
    copies = {**READ, "data": 404}
    assert client.get(f"/api/v1/closure-records/{complete_record.pk}/copies/").status_code == copies[role]


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("path", ["/api/v1/children/", "/api/v1/episodes/", "/api/v1/closure-records/"])
def test_lists_hold_only_the_users_cases(case, complete_record, as_role, role, path):
    response = as_role(role).get(path)
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    expected = 1 if role in ("worker", "manager", "data") else 0
    assert response.json()["count"] == expected


@pytest.mark.parametrize(
    "role,expected",
    [("worker", 201), ("manager", 201), ("data", 403), ("other_worker", 404), ("other_manager", 404),
     ("anonymous", 401)],
)  # fmt: skip
def test_create_contact(case, as_role, role, expected):
    body = {
        "occurred_at": timezone.now().isoformat(),
        "kind": "home_visit",
        "child_seen": True,
        "people_seen": [case.mother.pk],
        "note": "Saw Ruby and Jess at home.",
    }
    response = as_role(role).post(f"/api/v1/episodes/{case.episode.pk}/contacts/", body, format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["worker"]["id"] == getattr(case, role).pk


@pytest.mark.parametrize(
    "role,expected",
    [("worker", 201), ("manager", 201), ("data", 403), ("other_worker", 404), ("other_manager", 404),
     ("anonymous", 401)],
)  # fmt: skip
def test_start_record(case, as_role, role, expected):
    body = {
        "episode": case.episode.pk,
        "decision_date": dt.date.today().isoformat(),
        "decision_by": "Wendy Ash",
        "decision_by_role": "social worker",
    }
    response = as_role(role).post("/api/v1/closure-records/", body, format="json")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    "role,expected",
    [("worker", 200), ("manager", 200), ("data", 403), ("other_worker", 404), ("other_manager", 404),
     ("anonymous", 401)],
)  # fmt: skip
def test_update_section(case, as_role, role, expected):
    record = _draft(case)
    body = {"version": record.version, "data": {"interventions": "Weekly visits."}}
    response = as_role(role).put(
        f"/api/v1/closure-records/{record.pk}/sections/interventions/", body, format="json"
    )
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    "role,expected",
    [("worker", 200), ("manager", 200), ("data", 403), ("other_worker", 404), ("other_manager", 404),
     ("anonymous", 401)],
)  # fmt: skip
def test_submit(case, complete_record, as_role, role, expected):
    response = as_role(role).post(f"/api/v1/closure-records/{complete_record.pk}/submit/")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    "role,expected",
    [("manager", 200), ("worker", 403), ("data", 403), ("other_worker", 404), ("other_manager", 404),
     ("anonymous", 401)],
)  # fmt: skip
def test_return(case, complete_record, as_role, role, expected):
    record = _submitted(case, complete_record)
    body = {"comments": [{"section": "reason", "text": "Say more about why now."}]}
    response = as_role(role).post(f"/api/v1/closure-records/{record.pk}/return/", body, format="json")
    assert response.status_code == expected, response.content
    assert ClosureRecord.objects.get(pk=record.pk).status == (
        Status.RETURNED if expected == 200 else Status.SUBMITTED
    )


@pytest.mark.parametrize(
    "role,expected",
    [("manager", 200), ("worker", 403), ("data", 403), ("other_worker", 404), ("other_manager", 404),
     ("anonymous", 401)],
)  # fmt: skip
def test_authorise(case, complete_record, as_role, role, expected):
    record = _submitted(case, complete_record)
    response = as_role(role).post(f"/api/v1/closure-records/{record.pk}/authorise/")
    assert response.status_code == expected, response.content
    case.episode.refresh_from_db()
    assert case.episode.is_closed == (expected == 200)


@pytest.mark.parametrize(
    "role,expected",
    [("worker", 201), ("manager", 201), ("data", 404), ("other_worker", 404), ("other_manager", 404),
     ("anonymous", 401)],
)  # fmt: skip
def test_give_copy(case, complete_record, as_role, role, expected):
    record, _ = _authorised(case, complete_record)
    today = timezone.localdate().isoformat()
    body = {"recipient_kind": "person", "person": case.mother.pk, "given_on": today, "method": "in_person"}
    response = as_role(role).post(f"/api/v1/closure-records/{record.pk}/copies/", body, format="json")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    "role,expected",
    [("worker", 200), ("manager", 200), ("data", 404), ("other_worker", 404), ("other_manager", 404),
     ("anonymous", 401)],
)  # fmt: skip
def test_download_copy(case, complete_record, as_role, role, expected):
    record, copy = _authorised(case, complete_record)
    response = as_role(role).get(f"/api/v1/closure-records/{record.pk}/copies/{copy.pk}/pdf/")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
