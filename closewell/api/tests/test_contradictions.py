"""A record saved through the API says one thing: the answer a yes/no rules out is cleared by the
service (closure_update), as on the pages, whatever the client sends and whatever was saved before."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def _put(client, record, section, data):
    response = client.put(
        f"/api/v1/closure-records/{record['id']}/sections/{section}/",
        {"version": record["version"], "data": data},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def api_record(case, client_for):
    worker = client_for(case.worker)
    started = worker.post(
        "/api/v1/closure-records/",
        {
            "episode": case.episode.pk,
            "decision_date": str(dt.date.today()),
            "decision_maker": case.manager.pk,
        },
        format="json",
    )
    assert started.status_code == 201, started.content
    return worker, started.json()


def test_yes_discussed_clears_why_not_for_the_child(api_record):
    worker, record = api_record
    saved = _put(
        worker,
        record,
        "child_views",
        {
            "child_discussed": True,
            "child_discussed_date": str(dt.date.today()),
            "child_views": "Ruby said she is happy.",
            "child_not_discussed_reason": "Too young.",
        },
    )
    assert saved["child_discussed"] is True and saved["child_views"] == "Ruby said she is happy."
    assert saved["child_not_discussed_reason"] == ""


def test_no_clears_the_date_and_views_saved_before(api_record):
    worker, record = api_record
    record = _put(
        worker,
        record,
        "child_views",
        {"child_discussed": True, "child_discussed_date": str(dt.date.today()), "child_views": "Happy."},
    )
    # A later save sends only the new answer and its reason: what was saved before no longer fits.
    saved = _put(
        worker, record, "child_views", {"child_discussed": False, "child_not_discussed_reason": "Too young."}
    )
    assert saved["child_discussed"] is False and saved["child_not_discussed_reason"] == "Too young."
    assert saved["child_discussed_date"] is None and saved["child_views"] == ""


def test_a_later_yes_clears_the_reason_saved_before(api_record):
    worker, record = api_record
    record = _put(
        worker, record, "child_views", {"child_discussed": False, "child_not_discussed_reason": "Too young."}
    )
    saved = _put(worker, record, "child_views", {"child_discussed": True})
    assert saved["child_not_discussed_reason"] == ""


def test_parents_views_say_one_thing(case, api_record):
    worker, record = api_record
    saved = _put(
        worker,
        record,
        "parent_views",
        {
            str(case.mother.pk): {
                "discussed": True,
                "discussed_date": str(dt.date.today()),
                "views": "Jess agrees.",
                "not_discussed_reason": "Could not reach her.",
            },
            str(case.father.pk): {
                "discussed": False,
                "discussed_date": str(dt.date.today()),
                "views": "He agrees.",
                "not_discussed_reason": "In custody; no contact.",
            },
        },
    )
    views = {v["person"]: v for v in saved["parent_views"]}
    mother, father = views[case.mother.pk], views[case.father.pk]
    assert mother["views"] == "Jess agrees." and mother["not_discussed_reason"] == ""
    assert father["not_discussed_reason"] == "In custody; no contact."
    assert father["views"] == "" and father["discussed_date"] is None
