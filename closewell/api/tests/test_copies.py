"""Copies through the API: people and who harmed whom, the disclosure profiles, the preview, giving a
restricted copy, its release by a second person, and the PDF with Accept: application/pdf."""

import pytest
from django.utils import timezone

from closewell.closures import services as closures

pytestmark = pytest.mark.django_db


@pytest.fixture
def authorised(case, complete_record):
    record = closures.closure_submit(actor=case.worker, record=complete_record)
    return closures.closure_authorise(actor=case.manager, record=record)


def test_people_and_who_harmed_whom(case, as_role):
    people = as_role("worker").get(f"/api/v1/children/{case.child.pk}/people/")
    assert people.status_code == 200
    by_name = {p["first_name"]: p for p in people.json()}
    assert by_name["Dean"]["id"] == case.father.pk and by_name["Dean"]["relationship"] == "father"
    assert by_name["Dean"]["has_harmed_a_family_member"] is True
    assert by_name["Dean"]["harmed"] == [{"id": case.mother.pk, "name": "Jess Hale"}]
    assert by_name["Jess"]["harmed_by"] == [{"id": case.father.pk, "name": "Dean Hale"}]
    abuse = as_role("worker").get(f"/api/v1/children/{case.child.pk}/domestic-abuse/").json()
    assert abuse[0]["perpetrator"]["id"] == case.father.pk and abuse[0]["victim"]["id"] == case.mother.pk
    assert as_role("other_worker").get(f"/api/v1/children/{case.child.pk}/people/").status_code == 404
    profiles = as_role("worker").get("/api/v1/disclosure-profiles/").json()
    assert {p["name"] for p in profiles} >= {
        "child",
        "parent",
        "perpetrator",
        "professional",
        "subject_access",
    }
    assert next(p for p in profiles if p["name"] == "perpetrator")["needs_release"] is True


def test_restricted_copy_preview_release_and_pdf(case, authorised, as_role):
    url = f"/api/v1/closure-records/{authorised.pk}/copies"
    worker, manager = as_role("worker"), as_role("manager")
    body = {"recipient_kind": "person", "person": case.father.pk}
    preview = worker.post(f"{url}/preview/", body, format="json")
    assert preview.status_code == 200, preview.content
    data = preview.json()
    assert data["profile"]["name"] == "perpetrator" and data["needs_release"] is True
    assert any(s["withheld"] for p in data["passages"] for s in p["segments"])
    assert "1 Safe Street" not in str(data["passages"])

    given = worker.post(
        f"{url}/", {**body, "given_on": timezone.localdate().isoformat(), "method": "post"}, format="json"
    )
    assert given.status_code == 201, given.content
    copy = given.json()
    assert copy["release_status"] == "awaiting" and copy["profile"] == "perpetrator"
    assert {"kind", "section", "reason", "count"} <= set(copy["withheld"][0])
    pdf_url = f"{url}/{copy['id']}/pdf/"
    for client in (worker, manager):
        refused = client.get(pdf_url, HTTP_ACCEPT="application/pdf")
        assert refused.status_code == 409 and refused["Content-Type"].startswith("application/json")
        assert "release" in refused.json()["errors"]["detail"][0]
    # The one who asked cannot release it; another team's manager cannot see it.
    assert worker.post(f"{url}/{copy['id']}/release/").status_code == 400
    assert as_role("other_manager").post(f"{url}/{copy['id']}/release/").status_code == 404
    released = manager.post(f"{url}/{copy['id']}/release/")
    assert released.status_code == 200 and released.json()["released_by"]["id"] == case.manager.pk
    pdf = worker.get(pdf_url, HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert worker.get(pdf_url, HTTP_ACCEPT="application/pdf").content == pdf.content
    assert worker.get(pdf_url).status_code == 200


def test_the_manager_who_gave_it_cannot_release_it(case, authorised, as_role):
    url = f"/api/v1/closure-records/{authorised.pk}/copies"
    manager = as_role("manager")
    given = manager.post(
        f"{url}/",
        {"recipient_kind": "person", "person": case.father.pk, "given_on": timezone.localdate().isoformat(),
         "method": "post"},
        format="json",
    ).json()  # fmt: skip
    refused = manager.post(f"{url}/{given['id']}/release/")
    assert refused.status_code == 400 and "you asked for it" in refused.json()["errors"]["detail"][0]


def test_schema_describes_copies(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/children/{id}/people/",
        "/api/v1/children/{id}/domestic-abuse/",
        "/api/v1/disclosure-profiles/",
        "/api/v1/closure-records/{id}/copies/preview/",
        "/api/v1/closure-records/{id}/copies/{copy_pk}/release/",
    ):
        assert path in paths, path
    pdf = paths["/api/v1/closure-records/{id}/copies/{copy_pk}/pdf/"]["get"]["responses"]
    assert "application/pdf" in pdf["200"]["content"] and "409" in pdf
