"""A whole closure through the API alone: start, every section, submit, a return and a resubmission,
authorise, give a copy, list the copies and download it. Errors come back as JSON, a message per field."""

import datetime as dt

from django.utils import timezone

from closewell.audit.models import AuditEvent

from .conftest import COMPLETE_JSON


def test_close_a_case_through_the_api(case, client_for):
    worker, manager = client_for(case.worker), client_for(case.manager)

    # Read the case as another system would.
    episodes = worker.get(f"/api/v1/episodes/?child={case.child.pk}&status=open").json()
    assert [e["id"] for e in episodes["results"]] == [case.episode.pk]
    plans = worker.get(f"/api/v1/episodes/{case.episode.pk}/plans/").json()["results"]
    assert plans[0]["actions"][0]["description"] == "Play therapy"

    # A last visit, then the record.
    visit = worker.post(
        f"/api/v1/episodes/{case.episode.pk}/contacts/",
        {"occurred_at": timezone.now().isoformat(), "kind": "home_visit", "child_seen": True,
         "child_seen_alone": True, "note": "Talked with Ruby about closing."},
        format="json",
    )  # fmt: skip
    assert visit.status_code == 201, visit.content
    started = worker.post(
        "/api/v1/closure-records/",
        {"episode": case.episode.pk, "decision_date": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
         "decision_maker": case.manager.pk},
        format="json",
    )  # fmt: skip
    assert started.status_code == 201, started.content
    record = started.json()
    assert record["status"] == "draft"
    assert {p["section"] for p in record["problems"]} >= {"child_views", "domestic_abuse", "review"}
    url = f"/api/v1/closure-records/{record['id']}"

    # Submitting too early lists every problem with its section.
    early = worker.post(f"{url}/submit/")
    assert early.status_code == 400
    assert {p["section"] for p in early.json()["problems"]} >= {"child_views", "parent_views"}
    assert all(p["message"] for p in early.json()["problems"])

    version = record["version"]
    for section, data in COMPLETE_JSON.items():
        response = worker.put(f"{url}/sections/{section}/", {"version": version, "data": data}, format="json")
        assert response.status_code == 200, response.content
        version = response.json()["version"]
    actions = {a["description"]: a["id"] for a in response.json()["actions"]}
    review = {
        str(actions["Play therapy"]): {"actual_level": "10 of 12 sessions", "outcome": "Fewer nightmares."},
        str(actions["Emergency housing move"]): {"impact": "The family moved to safety."},
    }
    response = worker.put(f"{url}/sections/review/", {"version": version, "data": review}, format="json")
    version = response.json()["version"]
    views = {
        str(case.mother.pk): {
            "discussed": True,
            "discussed_date": str(dt.date.today()),
            "views": "Jess agrees.",
        },
        str(case.father.pk): {"discussed": False, "not_discussed_reason": "In custody; no contact."},
    }
    response = worker.put(f"{url}/sections/parent_views/", {"version": version, "data": views}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["problems"] == []

    # A stale version is refused, naming the field; nothing is overwritten.
    stale = worker.put(f"{url}/sections/interventions/", {"version": version, "data": {}}, format="json")
    assert stale.status_code == 400 and "version" in stale.json()["errors"]

    assert worker.post(f"{url}/submit/").json()["status"] == "submitted"
    returned = manager.post(
        f"{url}/return/", {"comments": [{"section": "reason", "text": "Say why now."}]}, format="json"
    )
    assert returned.json()["status"] == "returned"
    [comment] = returned.json()["comments"]
    assert (comment["section"], comment["text"], comment["dealt_with"]) == ("reason", "Say why now.", False)
    version = returned.json()["version"]
    response = worker.put(
        f"{url}/sections/reason/",
        {"version": version, "data": {"reason_for_closure": "Ruby is safe and settled; the plan is complete.",
                                      "reason_code": "RC7"}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200
    refused = worker.post(f"{url}/submit/")
    assert refused.status_code == 400 and refused.json()["problems"][0]["section"] == "reason"
    answered = worker.put(
        f"{url}/comments/{comment['id']}/",
        {"version": comment["version"], "answer": "Said why now.", "dealt_with": True},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["dealt_with"] is True
    assert worker.post(f"{url}/submit/").json()["status"] == "submitted"

    authorised = manager.post(f"{url}/authorise/")
    assert authorised.status_code == 200, authorised.content
    assert authorised.json()["status"] == "authorised" and authorised.json()["snapshot_sha256"]
    episode = worker.get(f"/api/v1/episodes/{case.episode.pk}/").json()
    assert episode["status"] == "closed" and episode["reason_for_closure"] == "RC7"
    assert episode["closure_date"] == timezone.localdate().isoformat()

    # After closure nothing more is recorded (CIN rule 8565).
    late = worker.post(
        f"/api/v1/episodes/{case.episode.pk}/contacts/",
        {"occurred_at": timezone.now().isoformat(), "kind": "telephone", "note": "Late call."},
        format="json",
    )
    assert late.status_code == 400 and late.json()["errors"]["detail"]

    # The family's copies.
    given = worker.post(
        f"{url}/copies/",
        {"recipient_kind": "person", "person": case.mother.pk, "given_on": timezone.localdate().isoformat(),
         "method": "in_person"},
        format="json",
    )  # fmt: skip
    assert given.status_code == 201, given.content
    assert given.json()["stamp"].startswith("Parent")
    copies = worker.get(f"{url}/copies/").json()
    assert copies["count"] == 1
    pdf = worker.get(f"{url}/copies/{given.json()['id']}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(object_type="documents.Copy", action="export").count() == 1


def test_errors_name_their_fields(case, client_for):
    worker = client_for(case.worker)
    response = worker.post(
        f"/api/v1/episodes/{case.episode.pk}/contacts/", {"kind": "carrier pigeon"}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"kind", "occurred_at", "note"}
    assert all(isinstance(m, list) and m for m in errors.values())
    early = worker.post(
        f"/api/v1/episodes/{case.episode.pk}/contacts/",
        {"occurred_at": "2001-01-01T10:00:00Z", "kind": "letter", "note": "Before the referral."},
        format="json",
    )
    assert early.status_code == 400
    assert list(early.json()["errors"]) == ["occurred_at"]
    record = worker.post(
        "/api/v1/closure-records/",
        {
            "episode": case.episode.pk,
            "decision_date": str(dt.date.today()),
            "decision_by": "W",
            "decision_by_role": "social worker",
        },
        format="json",
    ).json()
    bad_date = worker.put(
        f"/api/v1/closure-records/{record['id']}/sections/child_views/",
        {"version": record["version"], "data": {"child_discussed_date": "not a date"}},
        format="json",
    )
    assert bad_date.status_code == 400 and "child_discussed_date" in bad_date.json()["errors"]
    unknown = worker.put(
        f"/api/v1/closure-records/{record['id']}/sections/nonsense/",
        {"version": 1, "data": {}},
        format="json",
    )
    assert unknown.status_code == 400 and "section" in unknown.json()["errors"]


def test_lists_are_paginated_with_a_maximum(case, client_for):
    worker = client_for(case.worker)
    page = worker.get(f"/api/v1/episodes/{case.episode.pk}/contacts/?page_size=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    big = worker.get(f"/api/v1/episodes/{case.episode.pk}/contacts/?page_size=100000").json()
    assert len(big["results"]) == 2
    assert worker.get(f"/api/v1/episodes/{case.episode.pk}/contacts/?page=99").status_code == 404
