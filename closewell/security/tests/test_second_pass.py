"""Issue 14, "Trust, second pass": findings 4, 6, 7 (the limits), 10, 12 and 13, each as the probe
found it, through the pages and the API."""

import datetime as dt
import json

import pytest
from django.core import checks
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from closewell.api.services import token_create
from closewell.cases import services as cases
from closewell.cases.models import Contact, PlannedAction
from closewell.closures import services as closures
from closewell.closures.models import ClosureRecord
from closewell.closures.tests.conftest import days_ago
from closewell.core.text import BIDI_CONTROLS, TEXT_MAX, clean_text
from closewell.documents import pdf

from .pages import main_form

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    _, key = token_create(actor=None, user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def started(case) -> ClosureRecord:
    return closures.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(10), decision_by="Wendy Ash"
    )


# --- Finding 4: lost update on planned actions --------------------------------------------------------


def change_outcome_on_the_action_page(client, case, outcome: str) -> None:
    url = f"/children/{case.child.pk}/actions/{case.action.pk}/"
    form = main_form(client.get(url).content.decode())["fields"]
    form["outcome"] = outcome
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_saving_the_review_after_an_action_changed_on_its_page_is_refused_with_the_text_kept(case):
    record = started(case)
    worker, manager = page_client(case.worker), page_client(case.manager)
    url = f"/closures/{record.pk}/section/review/"
    form = main_form(worker.get(url).content.decode())["fields"]
    assert form[f"action_version_{case.action.pk}"] == str(case.action.version)

    change_outcome_on_the_action_page(manager, case, "Nightmares stopped (manager).")

    form[f"outcome_{case.action.pk}"] = "Fewer nightmares (worker)."
    refused = worker.post(url, form)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Fewer nightmares (worker)." in html  # what the worker typed is kept
    assert "Nightmares stopped (manager)." in html  # and what is saved now is shown
    case.action.refresh_from_db()
    assert case.action.outcome == "Nightmares stopped (manager)."

    # Saving again from the refused page (now at the current versions) replaces it, knowingly.
    again = main_form(html)["fields"]
    assert again[f"outcome_{case.action.pk}"] == "Fewer nightmares (worker)."
    assert worker.post(url, again).status_code == 302
    case.action.refresh_from_db()
    assert case.action.outcome == "Fewer nightmares (worker)."


def test_each_actions_own_version_is_compared_not_only_the_records(case):
    """The record's version is current, but the action changed since the review read it."""
    record = started(case)
    read = case.action.version
    PlannedAction.objects.filter(pk=case.action.pk).update(version=read + 1, outcome="Changed elsewhere.")
    with pytest.raises(closures.DomainError) as refused:
        closures.closure_update(
            actor=case.worker,
            record=record,
            section="review",
            version=record.version,
            data={case.action.pk: {"version": read, "outcome": "Mine."}},
        )
    assert refused.value.field == "version" and "Play therapy" in refused.value.message
    case.action.refresh_from_db()
    assert case.action.outcome == "Changed elsewhere."


def test_through_the_api_a_review_over_a_changed_action_is_refused(case):
    record = started(case)
    api, page = api_client(case.worker), page_client(case.manager)
    url = f"/api/v1/closure-records/{record.pk}"
    read = api.get(f"{url}/").json()
    action = next(a for a in read["actions"] if a["id"] == case.action.pk)

    change_outcome_on_the_action_page(page, case, "Changed on the page.")

    # With the action's version, and with the record's version alone: both refused, JSON, by field.
    for values in ({"version": action["version"], "outcome": "From the API."}, {"outcome": "From the API."}):
        response = api.put(
            f"{url}/sections/review/",
            {"version": read["version"], "data": {str(case.action.pk): values}},
            format="json",
        )
        assert response.status_code == 400, response.content
        assert "version" in response.json()["errors"]
    case.action.refresh_from_db()
    assert case.action.outcome == "Changed on the page."

    # Read again, and the save goes through.
    fresh = api.get(f"{url}/").json()
    action = next(a for a in fresh["actions"] if a["id"] == case.action.pk)
    response = api.put(
        f"{url}/sections/review/",
        {
            "version": fresh["version"],
            "data": {str(case.action.pk): {"version": action["version"], "outcome": "From the API."}},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    case.action.refresh_from_db()
    assert case.action.outcome == "From the API."


# --- Finding 6: only the sections due on the record -------------------------------------------------


def test_the_api_refuses_a_section_that_is_not_due_on_the_record(case):
    record = started(case)
    api = api_client(case.worker)
    response = api.put(
        f"/api/v1/closure-records/{record.pk}/sections/addendum/",
        {"version": record.version, "data": {"addendum_text": "Not a correction."}},
        format="json",
    )
    assert response.status_code == 400
    assert "not a section of this Closure Record" in response.json()["errors"]["section"][0]
    record.refresh_from_db()
    assert record.addendum_text == ""


def test_an_addendum_never_changes_the_planned_actions_of_the_closed_case(case, authorised):
    addendum = closures.addendum_start(
        reason="A date in the record is wrong.", actor=case.worker, record=authorised
    )
    case.action.refresh_from_db()
    before = case.action.outcome
    response = api_client(case.worker).put(
        f"/api/v1/closure-records/{addendum.pk}/sections/review/",
        {"version": addendum.version, "data": {str(case.action.pk): {"outcome": "Rewritten after closure."}}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["section"]
    case.action.refresh_from_db()
    assert case.action.outcome == before
    # Its own section is still accepted.
    ok = api_client(case.worker).put(
        f"/api/v1/closure-records/{addendum.pk}/sections/addendum/",
        {"version": addendum.version, "data": {"addendum_text": "The date seen was 3 May."}},
        format="json",
    )
    assert ok.status_code == 200, ok.content


# --- Finding 7 (the limits part) ----------------------------------------------------------------------


def test_a_section_longer_than_the_limit_is_refused_on_the_page_with_the_text_kept(case):
    record = started(case)
    worker = page_client(case.worker)
    url = f"/closures/{record.pk}/section/reason/"
    form = main_form(worker.get(url).content.decode())["fields"]
    too_long = "Settled. " * (TEXT_MAX // 9) + "x" * 20
    assert len(too_long) > TEXT_MAX
    form["reason_for_closure"] = too_long
    response = worker.post(url, form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reason for closure must be 20,000 characters or fewer" in html
    assert "govuk-error-summary" in html
    assert too_long in html
    record.refresh_from_db()
    assert record.reason_for_closure == ""

    form["reason_for_closure"] = "x" * TEXT_MAX
    form.update({"decision_maker": "other", "decision_by_role": "social worker"})
    assert worker.post(url, form).status_code == 302


def test_a_section_longer_than_the_limit_is_refused_by_the_api(case):
    record = started(case)
    response = api_client(case.worker).put(
        f"/api/v1/closure-records/{record.pk}/sections/reason/",
        {"version": record.version, "data": {"reason_for_closure": "x" * (TEXT_MAX + 1)}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["reason_for_closure"] == [
        "Reason for closure must be 20,000 characters or fewer"
    ]


def test_a_contact_note_longer_than_the_limit_is_refused_by_the_api(case):
    response = api_client(case.worker).post(
        f"/api/v1/episodes/{case.episode.pk}/contacts/",
        {"occurred_at": timezone.now().isoformat(), "kind": "telephone", "note": "n" * (TEXT_MAX + 1)},
        format="json",
    )
    assert response.status_code == 400
    assert "20,000 characters or fewer" in response.json()["errors"]["note"][0]


def test_the_importer_refuses_text_longer_than_the_limit():
    from closewell.ssd.mapping import Row  # noqa: PLC0415 (the importer's reader, used alone)

    problems = []
    row = Row("ssd_person.csv", 2, {"note": "n" * (TEXT_MAX + 1)}, problems)
    row.text("note")
    assert not row.ok and "Longer than 20000 characters" in problems[0].reason


# --- Finding 10: no 500s ------------------------------------------------------------------------------


def test_a_day_of_twenty_digits_is_not_a_real_date(case):
    worker = page_client(case.worker)
    url = f"/closures/start/{case.episode.pk}/"
    response = worker.post(
        url,
        {
            "decision_date_day": "99999999999999999999",
            "decision_date_month": "3",
            "decision_date_year": "2026",
            "decision_maker": "other",
            "decision_by": "Wendy Ash",
            "decision_by_role": "social worker",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "must be a real date" in html and "99999999999999999999" in html and "Wendy Ash" in html


@pytest.mark.parametrize("year", ["9999", "0001"])
def test_a_report_filter_far_in_the_future_or_past_is_an_error_not_a_crash(case, year):
    manager = page_client(case.manager)
    response = manager.get(
        "/reports/",
        {"date_from_day": "1", "date_from_month": "1", "date_from_year": year,
         "date_to_day": "31", "date_to_month": "12", "date_to_year": year},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The year must be between 1900 and 2199" in response.content.decode()


def test_json_nested_a_hundred_thousand_deep_is_a_400(case):
    record = started(case)
    response = api_client(case.worker).generic(
        "PUT",
        f"/api/v1/closure-records/{record.pk}/sections/reason/",
        "[" * 100_000,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["errors"]["detail"][0]
    # Deep but readable JSON is refused the same way.
    deep = json.dumps({"version": record.version, "data": {"reason_for_closure": [[[[[["x"]]]]]] * 1}})
    deep = deep.replace('["x"]', "[" * 40 + '"x"' + "]" * 40)
    response = api_client(case.worker).generic(
        "PUT", f"/api/v1/closure-records/{record.pk}/sections/reason/", deep, content_type="application/json"
    )
    assert response.status_code == 400


def test_a_nul_in_api_text_is_a_400_and_nothing_is_stored(case):
    record = started(case)
    response = api_client(case.worker).put(
        f"/api/v1/closure-records/{record.pk}/sections/reason/",
        {"version": record.version, "data": {"reason_for_closure": "Safe\x00 now"}},
        format="json",
    )
    assert response.status_code == 400
    assert "null character" in response.json()["errors"]["reason_for_closure"][0].lower()
    record.refresh_from_db()
    assert record.reason_for_closure == "" and record.version == 1


def test_control_characters_are_removed_alike_from_pages_and_the_api(case):
    record = started(case)
    typed = "Ruby\x07 is\x1b safe\x0b now.\r\nTab\there."
    response = api_client(case.worker).put(
        f"/api/v1/closure-records/{record.pk}/sections/reason/",
        {"version": record.version, "data": {"reason_for_closure": typed}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["reason_for_closure"] == "Ruby is safe now.\r\nTab\there."
    note = cases.contact_create(
        actor=case.worker,
        episode=case.episode,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind="telephone",
        note=typed,
    )
    assert Contact.objects.get(pk=note.pk).note == "Ruby is safe now.\r\nTab\there."


# --- Finding 12: a worker moved to another team -------------------------------------------------------


def test_a_worker_moved_to_another_team_no_longer_sees_the_old_teams_children_in_closures(case):
    started(case)
    worker = page_client(case.worker)
    assert "Ruby Hale" in worker.get("/closures/").content.decode()
    case.worker.team = case.west
    case.worker.save()
    html = worker.get("/closures/").content.decode()
    assert "Ruby" not in html and "Hale" not in html


# --- Finding 13 ---------------------------------------------------------------------------------------


def test_a_person_id_cannot_be_confirmed_from_another_team_by_the_error(case):
    """Another family's person and a person id that does not exist get the same answer."""
    from closewell.cases.models import Person  # noqa: PLC0415

    elsewhere = Person.objects.create(first_name="Other", last_name="Family")
    missing = Person.objects.order_by("-pk").first().pk + 1000
    api = api_client(case.worker)

    def post(person_id):
        return api.post(
            f"/api/v1/episodes/{case.episode.pk}/contacts/",
            {"occurred_at": timezone.now().isoformat(), "kind": "telephone", "note": "Call.",
             "people_seen": [person_id]},
            format="json",
        )  # fmt: skip

    theirs, nobody, huge = post(elsewhere.pk), post(missing), post(10**30)
    assert theirs.status_code == nobody.status_code == huge.status_code == 400
    assert theirs.json() == nobody.json() == huge.json()


@pytest.mark.parametrize(
    "path", ["/api/v1/chil%0Adren/", "/api/v1/children/%0A", "/api/v1%0A/children/", "/api/v1/x%0Ay/1/"]
)
def test_a_newline_in_an_api_path_is_a_json_404(case, path):
    response = api_client(case.worker).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {"detail": ["Not found."]}}


def test_bidi_overrides_are_not_stored(case):
    record = started(case)
    typed = "Ruby said \u202eexe.live\u202c and \u2066isolated\u2069 \u202aembedded\u202c."
    record = closures.closure_update(
        actor=case.worker,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_for_closure": typed},
    )
    record.refresh_from_db()
    assert record.reason_for_closure == "Ruby said exe.live and isolated embedded."
    assert not set(BIDI_CONTROLS) & set(record.reason_for_closure)
    # Through the page form too.
    worker = page_client(case.worker)
    url = f"/closures/{record.pk}/section/involvement/"
    form = main_form(worker.get(url).content.decode())["fields"]
    form["reason_for_involvement"] = "Police \u202ereferral\u202c."
    assert worker.post(url, form).status_code == 302
    record.refresh_from_db()
    assert record.reason_for_involvement == "Police referral."


def test_bidi_overrides_are_never_printed_in_copies(monkeypatch):
    """Text stored before the cleaning came in is cleaned on its way into the PDF."""
    seen = {}

    def compile_(document, timestamp):
        seen["document"] = document
        return b"%PDF"

    monkeypatch.setattr(pdf, "_compile", compile_)
    pdf.render({"child": {"name": "Ruby \u202eHale"}, "sections": [["a\u2067b"]]}, timestamp=timezone.now())
    text = json.dumps(seen["document"], ensure_ascii=False)
    assert not set(BIDI_CONTROLS) & set(text)
    assert clean_text("a\u2067b") == "ab"


@pytest.mark.parametrize(("hosts", "warned"), [(["*"], True), (["closewell.example.gov.uk"], False)])
def test_check_deploy_warns_when_allowed_hosts_is_a_wildcard(hosts, warned):
    with override_settings(ALLOWED_HOSTS=hosts):
        found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert ("security.W900" in {c.id for c in found}) is warned


def test_a_long_case_can_still_start_its_record_within_the_limit(case):
    """The pre-filled direct work (a line a contact) keeps within the section's limit: the latest
    contacts that fit."""
    Contact.objects.bulk_create(
        Contact(
            episode=case.episode,
            occurred_at=timezone.now() - dt.timedelta(hours=n + 1),
            kind="home_visit",
            child_seen=True,
            note=f"Visit {n}.",
            worker=case.worker,
        )
        for n in range(700)
    )
    record = started(case)
    assert 0 < len(record.interventions) <= TEXT_MAX
    latest = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).date()
    assert record.interventions.splitlines()[-1].startswith(f"{latest.day} {latest:%B %Y}: home visit")
