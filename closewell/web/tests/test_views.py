"""The pages through the test client, for every role: who sees what, and what each form does."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closewell.audit.models import Action, AuditEvent
from closewell.cases.models import (
    Child,
    ChildPerson,
    Contact,
    Episode,
    Person,
    Plan,
    PlannedAction,
)
from closewell.cases.services import STALE_MESSAGE

from .conftest import PASSWORD

ROLES = ["worker", "other_worker", "manager", "other_manager", "data_officer", "admin", "anonymous"]


def error_summary(response) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def contact_data(**overrides) -> dict:
    data = {
        "occurred_at_day": "20",
        "occurred_at_month": "3",
        "occurred_at_year": "2026",
        "occurred_at_time": "14:30",
        "kind": "home_visit",
        "work": "direct",
        "child_seen": "on",
        "note": "Saw Amelia after school.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Signing in and out ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/cases/",
        "/team/",
        "/search/?q=a",
        "/children/1/",
        "/children/1/contacts/add/",
        "/children/1/actions/add/",
        "/children/1/people/add/",
    ],
)
def test_anonymous_is_sent_to_sign_in(client, web, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_login_page_and_accessibility_statement_need_no_sign_in(client, web):
    login = client.get("/login/")
    assert login.status_code == 200
    assert b"Sign in to Closewell" in login.content
    statement = client.get("/accessibility/")
    assert statement.status_code == 200
    assert b"WCAG" in statement.content and b"2.2" in statement.content
    assert b"axe-core" in statement.content


def test_wrong_password_shows_one_generic_message(client, web):
    response = client.post("/login/", {"username": "worker_north", "password": "wrong"})
    assert response.status_code == 200
    assert '<a href="#id_username">Enter a correct username and password</a>' in error_summary(response)
    assert b"Please enter a correct" not in response.content


def test_empty_sign_in_names_each_field(client, web):
    summary = error_summary(client.post("/login/", {"username": "", "password": ""}))
    assert 'href="#id_username">Enter your username' in summary
    assert 'href="#id_password">Enter your password' in summary


def test_sign_in_and_sign_out(client, web):
    response = client.post("/login/", {"username": "worker_north", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get("/logout/").status_code == 405  # signing out is a POST (a form button)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 302


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("worker", "/cases/"),
        ("other_worker", "/cases/"),
        ("manager", "/team/"),
        ("data_officer", "/overview/"),
        ("admin", "/admin/"),
    ],
)
def test_home_sends_each_role_to_its_page(as_user, role, target):
    response = as_user(role).get("/")
    assert response.status_code == 302 and response["Location"] == target


def test_base_page_has_no_inline_script_and_no_crown(as_user):
    html = as_user("worker").get("/cases/").content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all('type="module"' in s and "src=" in s for s in scripts)
    assert "govuk-crest" not in html and "govuk-logo" not in html
    assert "Northmoor Borough Council" in html
    assert 'id="main-content"' in html and 'href="#main-content"' in html
    assert 'action="/logout/"' in html
    assert 'href="/accessibility/"' in html


# --- Case lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "sees_child", "sees_other"),
    [
        ("worker", 200, True, False),
        ("other_worker", 200, False, True),
        ("manager", 200, True, False),
        ("other_manager", 200, False, True),
        ("data_officer", 403, False, False),
        ("admin", 403, False, False),
    ],
)
def test_my_cases(as_user, web, role, status, sees_child, sees_other):
    response = as_user(role).get("/cases/")
    assert response.status_code == status
    html = response.content.decode()
    assert ("Amelia Hartley" in html) is sees_child
    assert ("Oscar Pemberton" in html) is sees_other
    if sees_child:
        assert f'href="/children/{web.child.pk}/"' in html
        assert "NB100234" in html and "14 March 2015" in html and "2 February 2026" in html
        assert "14 March 2026" in html  # last contact
        assert "Zara Finch" not in html  # closed cases are filtered out by default


@pytest.mark.parametrize(
    ("role", "status", "sees_child", "sees_other"),
    [
        ("worker", 403, False, False),
        ("other_worker", 403, False, False),
        ("manager", 200, True, False),
        ("other_manager", 200, False, True),
        ("data_officer", 200, True, True),
        ("admin", 403, False, False),
    ],
)
def test_team_cases(as_user, role, status, sees_child, sees_other):
    response = as_user(role).get("/team/")
    assert response.status_code == status
    html = response.content.decode()
    assert ("Amelia Hartley" in html) is sees_child
    assert ("Oscar Pemberton" in html) is sees_other


def test_case_list_filters_by_status_team_and_text(as_user, web):
    client = as_user("data_officer")
    closed = client.get("/team/?status=closed").content.decode()
    assert "Zara Finch" in closed and "Amelia Hartley" not in closed
    south = client.get(f"/team/?team={web.other_team.pk}").content.decode()
    assert "Oscar Pemberton" in south and "Amelia Hartley" not in south
    text = client.get("/team/?q=hartley").content.decode()
    assert "Amelia Hartley" in text and "Oscar Pemberton" not in text
    nothing = client.get("/team/?q=nobody-at-all").content.decode()
    assert "No cases match these filters." in nothing


def test_case_list_sorts_by_column_with_aria_sort(as_user, web):
    client = as_user("data_officer")
    default = client.get("/team/").content.decode()
    assert re.search(r'aria-sort="ascending"><a [^>]*href="\?order=-referral_date"', default)
    assert default.index("Oscar Pemberton") < default.index("Amelia Hartley")  # 5 Jan before 2 Feb
    by_name = client.get("/team/?order=-name").content.decode()
    assert re.search(r'aria-sort="descending"><a [^>]*href="\?order=name"', by_name)
    assert by_name.index("Oscar Pemberton") < by_name.index("Amelia Hartley")
    by_name_up = client.get("/team/?order=name").content.decode()
    assert by_name_up.index("Amelia Hartley") < by_name_up.index("Oscar Pemberton")


def test_case_list_is_paginated_by_25(as_user, web):
    for n in range(25):
        child = Child.objects.create(
            la_child_id=f"PG{n:04d}",
            first_name="Page",
            last_name=f"Kid{n:02d}",
            date_of_birth=dt.date(2016, 1, 1),
            sex="M",
            upn_unknown="UN5",
        )
        Episode.objects.create(
            child=child,
            referral_date=dt.date(2026, 4, 1),
            referral_source="6",
            team=web.team,
            worker=web.worker,
        )
    client = as_user("worker")
    first = client.get("/cases/").content.decode()
    assert "26 cases" in first
    assert first.count('<tr class="govuk-table__row">') == 25 + 1  # the header row and 25 cases
    assert 'class="govuk-pagination"' in first and 'href="?page=2"' in first
    second = client.get("/cases/?page=2").content.decode()
    assert second.count('<tr class="govuk-table__row">') == 1 + 1
    assert 'aria-current="page">2<' in second


# --- Search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "finds"),
    [
        ("worker", 200, True),
        ("other_worker", 200, False),
        ("manager", 200, True),
        ("other_manager", 200, False),
        ("data_officer", 200, True),
        ("admin", 403, False),
    ],
)
def test_search_by_name(as_user, role, status, finds):
    response = as_user(role).get("/search/?q=amelia hart")
    assert response.status_code == status
    assert ("Amelia Hartley" in response.content.decode()) is finds


@pytest.mark.parametrize("query", ["NB100234", "14/03/2015", "2015-03-14"])
def test_search_by_la_child_id_and_date_of_birth(as_user, query):
    html = as_user("worker").get("/search/", {"q": query}).content.decode()
    assert "Amelia Hartley" in html
    assert "1 child found" in html


def test_search_empty_state(as_user):
    html = as_user("worker").get("/search/?q=Zebedee").content.decode()
    assert "No children found for ‘Zebedee’" in html
    blank = as_user("worker").get("/search/").content.decode()
    assert "No children found" not in blank and "Search for a child" in blank


# --- The case page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "buttons"),
    [
        ("worker", 200, True),
        ("other_worker", 404, False),
        ("manager", 200, True),
        ("other_manager", 404, False),
        ("data_officer", 200, False),
        ("admin", 404, False),
    ],
)
def test_case_page_access(as_user, web, role, status, buttons):
    response = as_user(role).get(f"/children/{web.child.pk}/")
    assert response.status_code == status
    html = response.content.decode()
    assert ("Add a contact" in html) is buttons
    assert ("Add an action" in html) is buttons
    assert ("Add a person" in html) is buttons
    if status == 200:
        assert "Amelia Hartley" in html


def test_case_page_reads_are_audited(as_user, web):
    as_user("manager").get(f"/children/{web.child.pk}/")
    event = AuditEvent.objects.get(action=Action.VIEW, child_id=web.child.pk)
    assert event.actor == web.manager


def test_case_page_content(as_user, web):
    html = as_user("worker").get(f"/children/{web.child.pk}/").content.decode()
    for text in [
        "NB100234",
        "14 March 2015 (age",
        "Female",
        "Information not yet obtained",
        "Sources do not hold the UPN",  # UPN unknown reason
        "Laura Hartley",
        "Mother",
        "Polish",
        "Has parental responsibility",
        "12 Mill Lane, Northmoor",
        "Sensitive",
        "2 February 2026",
        "Schools",
        "Abuse, neglect and exploitation",
        "North Assessment Team",
        "Domestic abuse: the parent(s) or carer(s) are the subject",
        "Child in need plan: 2 March 2026",
        "Parenting capacity",
        "Ensuring safety",
        "Safety planning sessions with mother",
        "Unplanned services",
        "Family and environmental factors",
        "Emergency housing support",
        "In custody",
        "5 January 2027",
        "14 March 2026, 10:30: Home visit",
        "Amelia was seen alone",
        "Also seen: Laura Hartley",
        "Visited Amelia at home.",
    ]:
        assert text in html, text
    assert f'href="/children/{web.child.pk}/contacts/{web.contact.pk}/"' in html
    assert f'href="/children/{web.child.pk}/people/{web.mother.pk}/"' in html


def test_closed_case_has_no_edit_buttons_and_past_episode_collapsed(as_user, web):
    html = as_user("worker").get(f"/children/{web.closed_child.pk}/").content.decode()
    assert "Add a contact" not in html and "Add an action" not in html
    assert "This case is closed" in html
    assert '<details class="govuk-details">' in html
    assert "Referred 6 January 2025, closed 2 June 2025" in html
    assert "/contacts/" not in html and "/people/" not in html and "/actions/" not in html


# --- Forms: who may open them ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["contacts/add/", "actions/add/", "people/add/"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("worker", 200),
        ("other_worker", 404),
        ("manager", 200),
        ("other_manager", 404),
        ("data_officer", 403),
        ("admin", 404),
    ],
)
def test_add_forms_access(as_user, web, path, role, status):
    assert as_user(role).get(f"/children/{web.child.pk}/{path}").status_code == status


@pytest.mark.parametrize("role", ["worker", "manager"])
@pytest.mark.parametrize("path", ["contacts/add/", "actions/add/", "people/add/"])
def test_closed_case_refuses_every_form(as_user, web, role, path):
    client = as_user(role)
    before = (Contact.objects.count(), PlannedAction.objects.count(), Person.objects.count())
    assert client.get(f"/children/{web.closed_child.pk}/{path}").status_code == 403
    response = client.post(f"/children/{web.closed_child.pk}/{path}", contact_data())
    assert response.status_code == 403
    assert (Contact.objects.count(), PlannedAction.objects.count(), Person.objects.count()) == before


def test_closed_case_refuses_edits(as_user, web):
    client = as_user("worker")
    base = f"/children/{web.closed_child.pk}"
    contact = client.post(
        f"{base}/contacts/{web.closed_contact.pk}/", contact_data(note="Changed after closure", version="1")
    )
    assert contact.status_code == 403
    action = client.post(f"{base}/actions/{web.closed_action.pk}/", {"description": "x"})
    assert action.status_code == 403
    person = client.post(f"{base}/people/{web.closed_person.pk}/", {"first_name": "x"})
    assert person.status_code == 403
    web.closed_contact.refresh_from_db()
    assert web.closed_contact.note == "Called Dana."


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("worker", 200),
        ("other_worker", 404),
        ("manager", 200),
        ("other_manager", 404),
        ("data_officer", 403),
        ("admin", 404),
    ],
)
def test_edit_forms_access(as_user, web, role, status):
    client = as_user(role)
    base = f"/children/{web.child.pk}"
    assert client.get(f"{base}/contacts/{web.contact.pk}/").status_code == status
    assert client.get(f"{base}/actions/{web.action.pk}/").status_code == status
    assert client.get(f"{base}/people/{web.mother.pk}/").status_code == status


def test_an_object_of_another_child_is_not_found(as_user, web):
    client = as_user("worker")
    assert client.get(f"/children/{web.child.pk}/contacts/{web.closed_contact.pk}/").status_code == 404
    assert client.get(f"/children/{web.child.pk}/people/{web.closed_person.pk}/").status_code == 404


# --- Contacts -------------------------------------------------------------------------------------


def test_contact_form_lists_only_the_childs_people(as_user, web):
    html = as_user("worker").get(f"/children/{web.child.pk}/contacts/add/").content.decode()
    assert "Laura Hartley (mother)" in html and "Mark Hartley (father)" in html
    assert "Not Linked" not in html
    assert 'class="govuk-date-input"' in html and 'name="occurred_at_day"' in html
    assert " required" not in html  # GOV.UK forms do not use the browser's validation


def test_empty_contact_form_shows_every_error_in_the_summary(as_user, web):
    response = as_user("worker").post(f"/children/{web.child.pk}/contacts/add/", {})
    assert response.status_code == 200
    summary = error_summary(response)
    assert 'role="alert"' in summary
    assert '<a href="#id_occurred_at_day">Enter the date and time of the contact</a>' in summary
    assert '<a href="#id_kind_0">Select the type of contact</a>' in summary
    assert '<a href="#id_note">Enter a note of the contact</a>' in summary
    html = response.content.decode()
    assert "govuk-form-group--error" in html
    assert '<span class="govuk-visually-hidden">Error:</span> Enter a note of the contact' in html
    assert re.search(r'<textarea[^>]*aria-describedby="id_note_helptext id_note_error"', html)
    assert "<title>Error: " in html
    assert Contact.objects.filter(episode=web.episode).count() == 1


@pytest.mark.parametrize(
    ("day", "month", "year", "time", "message"),
    [
        ("31", "2", "2026", "10:00", "The date of the contact must be a real date"),
        ("", "2", "2026", "10:00", "The date of the contact must include a day"),
        ("3", "", "", "10:00", "The date of the contact must include a month and year"),
        ("3", "2", "26", "10:00", "The year of the date of the contact must include 4 numbers"),
        ("3", "2", "2026", "", "Enter the time of the contact"),
        ("3", "2", "2026", "25:00", "Enter the time of the contact as a real time, for example 14:30"),
        ("3", "2", "2099", "10:00", "The date and time of the contact must be in the past"),
    ],
)
def test_contact_date_errors(as_user, web, day, month, year, time, message):
    response = as_user("worker").post(
        f"/children/{web.child.pk}/contacts/add/",
        contact_data(
            occurred_at_day=day, occurred_at_month=month, occurred_at_year=year, occurred_at_time=time
        ),
    )
    assert f'<a href="#id_occurred_at_day">{message}</a>' in error_summary(response)
    html = response.content.decode()
    assert "govuk-input--error" in html
    assert f'value="{year}"' in html  # what was typed stays in the boxes


def test_contact_before_referral_is_refused_by_the_service(as_user, web):
    response = as_user("worker").post(
        f"/children/{web.child.pk}/contacts/add/",
        contact_data(occurred_at_day="1", occurred_at_month="1", occurred_at_year="2026"),
    )
    assert (
        '<a href="#id_occurred_at_day">The date and time of the contact must be on or after the referral '
        "date, 2 February 2026</a>" in error_summary(response)
    )


def test_seen_alone_needs_seen(as_user, web):
    response = as_user("worker").post(
        f"/children/{web.child.pk}/contacts/add/", contact_data(child_seen=None, child_seen_alone="on")
    )
    assert "Tick &#x27;The child was seen&#x27; as well" in error_summary(response)


def test_people_seen_must_be_linked_to_the_child(as_user, web):
    response = as_user("worker").post(
        f"/children/{web.child.pk}/contacts/add/", contact_data(people_seen=[str(web.stranger.pk)])
    )
    assert "Choose only people linked to this child" in error_summary(response)


@pytest.mark.parametrize("role", ["worker", "manager"])
def test_add_a_contact(as_user, web, role):
    client = as_user(role)
    response = client.post(
        f"/children/{web.child.pk}/contacts/add/",
        contact_data(people_seen=[str(web.mother.pk), str(web.father.pk)]),
    )
    assert response.status_code == 302 and response["Location"] == f"/children/{web.child.pk}/"
    contact = Contact.objects.filter(episode=web.episode).exclude(pk=web.contact.pk).get()
    assert contact.note == "Saw Amelia after school."
    assert contact.worker == web.users[role]
    assert contact.occurred_at.hour == 14 and contact.occurred_at.minute == 30
    assert set(contact.people_seen.all()) == {web.mother, web.father}
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="cases.Contact")
    assert event.object_id == str(contact.pk) and event.actor == web.users[role]
    page = client.get(response["Location"]).content.decode()
    assert "Contact added" in page and "govuk-notification-banner--success" in page


def test_change_a_contact(as_user, web):
    client = as_user("worker")
    url = f"/children/{web.child.pk}/contacts/{web.contact.pk}/"
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form and 'value="14"' in form and 'value="10:30"' in form
    assert "Visited Amelia at home." in form
    response = client.post(url, contact_data(note="Visited; Amelia was well.", version="1"))
    assert response.status_code == 302
    web.contact.refresh_from_db()
    assert web.contact.note == "Visited; Amelia was well." and web.contact.version == 2
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="cases.Contact").count() == 1


def test_stale_contact_edit_keeps_what_was_typed(as_user, web):
    Contact.objects.filter(pk=web.contact.pk).update(version=2, note="Someone else's note.")
    client = as_user("worker")
    url = f"/children/{web.child.pk}/contacts/{web.contact.pk}/"
    response = client.post(url, contact_data(note="My careful note.", version="1"))
    assert response.status_code == 200
    assert f'<a href="#saved-now">{STALE_MESSAGE}</a>' in error_summary(response)
    html = response.content.decode()
    assert 'id="saved-now"' in html
    assert "What is saved now" in html and "Someone else&#x27;s note." in html
    assert "My careful note.</textarea>" in html
    assert 'name="version" value="2"' in html  # saving again replaces the newer version
    web.contact.refresh_from_db()
    assert web.contact.note == "Someone else's note."
    again = client.post(url, contact_data(note="My careful note.", version="2"))
    assert again.status_code == 302
    web.contact.refresh_from_db()
    assert web.contact.note == "My careful note."


# --- Planned actions ------------------------------------------------------------------------------


def action_data(**overrides) -> dict:
    data = {
        "plan": "",
        "dimension": "health",
        "parent": "birth_family",
        "description": "Dental check-up",
        "responsible": "parent",
    }
    data.update(overrides)
    return data


def test_action_form_offers_only_the_episodes_plans(as_user, web):
    html = as_user("worker").get(f"/children/{web.child.pk}/actions/add/").content.decode()
    assert "Child in need plan from 2 March 2026" in html
    assert "Not in a plan (an unplanned service)" in html
    assert '<optgroup label="Parenting capacity">' in html


def test_empty_action_form_errors(as_user, web):
    response = as_user("worker").post(f"/children/{web.child.pk}/actions/add/", {})
    summary = error_summary(response)
    assert '<a href="#id_plan_0">Select the plan this action is part of' in summary
    assert '<a href="#id_dimension">Select the area of the child&#x27;s needs' in summary
    assert '<a href="#id_description">Enter the action or service</a>' in summary
    assert '<a href="#id_responsible_0">Select who was responsible for the action</a>' in summary


def test_action_end_date_before_start(as_user, web):
    response = as_user("worker").post(
        f"/children/{web.child.pk}/actions/add/",
        action_data(
            plan=str(web.plan.pk),
            start_date_day="10",
            start_date_month="4",
            start_date_year="2026",
            end_date_day="1",
            end_date_month="4",
            end_date_year="2026",
        ),
    )
    assert (
        '<a href="#id_end_date_day">The end date must be the same as or after the start date'
        in error_summary(response)
    )


def test_action_with_another_episodes_plan_is_refused(as_user, web):
    other_plan = Plan.objects.create(
        episode=web.other_episode, kind="cin", start_date=web.other_episode.referral_date
    )
    response = as_user("worker").post(
        f"/children/{web.child.pk}/actions/add/", action_data(plan=str(other_plan.pk))
    )
    assert "Select one of the plans listed" in error_summary(response)
    assert not PlannedAction.objects.filter(plan=other_plan).exists()


@pytest.mark.parametrize(("plan", "unplanned"), [("plan", False), ("unplanned", True)])
def test_add_an_action(as_user, web, plan, unplanned):
    choice = str(web.plan.pk) if plan == "plan" else "unplanned"
    response = as_user("worker").post(
        f"/children/{web.child.pk}/actions/add/",
        action_data(plan=choice, start_date_day="1", start_date_month="4", start_date_year="2026"),
    )
    assert response.status_code == 302
    action = PlannedAction.objects.get(description="Dental check-up")
    assert action.is_unplanned is unplanned
    assert action.plan == (None if unplanned else web.plan)
    assert str(action.start_date) == "2026-04-01"
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="cases.PlannedAction", object_id=str(action.pk)
    ).exists()


def test_stale_action_edit_keeps_what_was_typed(as_user, web):
    PlannedAction.objects.filter(pk=web.action.pk).update(version=3, outcome="Finished early.")
    url = f"/children/{web.child.pk}/actions/{web.action.pk}/"
    response = as_user("worker").post(
        url,
        action_data(
            plan=str(web.plan.pk),
            description="Safety planning, revised",
            outcome="My outcome text",
            version="1",
        ),
    )
    assert STALE_MESSAGE in error_summary(response)
    html = response.content.decode()
    assert "Finished early." in html  # what is saved now
    assert "My outcome text</textarea>" in html and "Safety planning, revised</textarea>" in html
    web.action.refresh_from_db()
    assert web.action.outcome == "Finished early."


# --- People ---------------------------------------------------------------------------------------


def person_data(**overrides) -> dict:
    data = {
        "first_name": "Gran",
        "last_name": "Hartley",
        "relationship": "grandparent",
        "first_language": "English",
        "reads_english": "on",
    }
    data.update(overrides)
    return data


def test_empty_person_form_errors(as_user, web):
    response = as_user("worker").post(f"/children/{web.child.pk}/people/add/", {})
    summary = error_summary(response)
    assert '<a href="#id_first_name">Enter their first name</a>' in summary
    assert '<a href="#id_last_name">Enter their last name</a>' in summary
    assert '<a href="#id_relationship">Select how they are related to the child</a>' in summary
    assert '<a href="#id_first_language">Enter their first language</a>' in summary


def test_sensitive_details_need_a_reason(as_user, web):
    response = as_user("worker").post(
        f"/children/{web.child.pk}/people/add/", person_data(contact_details_sensitive="on")
    )
    assert "Enter why the address and contact details are sensitive" in error_summary(response)
    bad_email = as_user("worker").post(
        f"/children/{web.child.pk}/people/add/", person_data(email="not-an-email")
    )
    assert "Enter an email address in the correct format" in error_summary(bad_email)


def test_add_a_person(as_user, web):
    response = as_user("manager").post(
        f"/children/{web.child.pk}/people/add/", person_data(lives_with_child="on")
    )
    assert response.status_code == 302
    person = Person.objects.get(first_name="Gran")
    link = ChildPerson.objects.get(person=person)
    assert link.child == web.child and link.relationship == "grandparent" and link.lives_with_child
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="cases.Person", actor=web.manager
    ).exists()


def test_change_a_person(as_user, web):
    url = f"/children/{web.child.pk}/people/{web.father.pk}/"
    form = as_user("worker").get(url).content.decode()
    assert 'value="Mark"' in form and '<option value="father" selected>' in form
    response = as_user("worker").post(
        url, person_data(first_name="Marcus", last_name="Hartley", relationship="step_parent", version="1")
    )
    assert response.status_code == 302
    web.father.refresh_from_db()
    assert web.father.first_name == "Marcus" and web.father.version == 2
    assert ChildPerson.objects.get(person=web.father).relationship == "step_parent"


def test_stale_person_edit_keeps_what_was_typed(as_user, web):
    Person.objects.filter(pk=web.father.pk).update(version=2, address="1 New Road")
    url = f"/children/{web.child.pk}/people/{web.father.pk}/"
    response = as_user("worker").post(
        url, person_data(first_name="Mark", address="My typed address", version="1")
    )
    assert STALE_MESSAGE in error_summary(response)
    html = response.content.decode()
    assert "1 New Road" in html and "My typed address</textarea>" in html
    web.father.refresh_from_db()
    assert web.father.address == "1 New Road"


# --- Error pages ----------------------------------------------------------------------------------


def test_404_and_403_pages(as_user, web):
    not_found = as_user("worker").get(f"/children/{web.other_child.pk}/")
    assert not_found.status_code == 404
    assert b"Page not found" in not_found.content and b"govuk-template" in not_found.content
    forbidden = as_user("data_officer").get(f"/children/{web.child.pk}/contacts/add/")
    assert forbidden.status_code == 403 and b"You cannot do this" in forbidden.content


def test_500_and_503_templates_render_without_a_request():
    assert "Sorry, there is a problem with the service" in render_to_string("500.html")
    assert "Sorry, the service is unavailable" in render_to_string("503.html")


def test_change_an_action(as_user, web):
    url = f"/children/{web.child.pk}/actions/{web.action.pk}/"
    form = as_user("worker").get(url).content.decode()
    assert 'name="version" value="1"' in form and "Safety planning sessions with mother</textarea>" in form
    assert f'value="{web.plan.pk}" checked' in form
    response = as_user("worker").post(
        url,
        action_data(
            plan="unplanned",
            dimension="ensuring_safety",
            description="Safety planning sessions",
            actual_level="6 sessions",
            outcome="Safety plan in place",
            version="1",
        ),
    )
    assert response.status_code == 302
    web.action.refresh_from_db()
    assert web.action.actual_level == "6 sessions" and web.action.is_unplanned
    assert web.action.plan is None and web.action.version == 2
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="cases.PlannedAction").exists()


def test_admin_forms_still_render(as_user):
    """The GOV.UK renderer must leave Django's own widget templates (the admin's) working."""
    response = as_user("admin").get(reverse("admin:accounts_user_add"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_csrf_failure_page(client, web):
    client.handler.enforce_csrf_checks = True
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert b"Your form could not be sent" in response.content


def test_case_page_queries_do_not_grow_with_the_case(as_user, web):
    client = as_user("worker")
    url = f"/children/{web.child.pk}/"
    client.get(url)  # the first read also creates the audit chain's head row
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        contact = Contact.objects.create(
            episode=web.episode,
            occurred_at=web.contact.occurred_at + dt.timedelta(days=n + 1),
            kind="telephone",
            note=f"Call {n}",
            worker=web.manager,
        )
        contact.people_seen.set([web.father])
        PlannedAction.objects.create(
            episode=web.episode,
            plan=web.plan,
            dimension="health",
            responsible="worker",
            description=f"Action {n}",
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert "Call 4" in response.content.decode() and "Action 4" in response.content.decode()
    assert len(after) == len(before)


def test_a_choice_not_offered_is_refused_with_a_plain_message(as_user, web):
    response = as_user("worker").post(
        f"/children/{web.child.pk}/contacts/add/", contact_data(kind="carrier_pigeon")
    )
    assert '<a href="#id_kind_0">Select the type of contact from the list</a>' in error_summary(response)
    assert b"is not one of the available choices" not in response.content


def test_a_manager_cannot_filter_to_a_team_they_do_not_manage(as_user, web):
    html = as_user("manager").get(f"/team/?team={web.other_team.pk}").content.decode()
    assert "Oscar Pemberton" not in html and "Amelia Hartley" in html


def test_templates_ask_the_permission_objects_never_the_role():
    """Which links and buttons a page shows comes from accounts.permissions, not from `user.role`."""
    import pathlib
    import re

    import closewell

    root = pathlib.Path(closewell.__file__).parent
    asks_role = re.compile(r"user\.(role|is_social_worker|is_team_manager|is_data_officer|is_administrator)")
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.html") if asks_role.search(p.read_text())]
    assert offenders == []


def test_case_forms_and_record_sections_share_one_versioned_edit():
    """One base form and one flow (web/editing.py) for every page that edits something saved."""
    import inspect

    from closewell.cases import views as case_views
    from closewell.cases.forms import ActionForm, ContactForm, PersonForm
    from closewell.closures import views as closure_views
    from closewell.closures.sections import SECTIONS
    from closewell.web.forms import VersionedForm

    for form in (ContactForm, ActionForm, PersonForm, *(spec.form for spec in SECTIONS)):
        assert issubclass(form, VersionedForm), form
    assert "versioned_edit(" in inspect.getsource(case_views._form_page)
    assert "versioned_edit(" in inspect.getsource(closure_views.section_edit)


# --- Issue 21: the page furniture every page shares -----------------------------------------------


def test_the_header_says_who_is_signed_in_and_the_banner_links_to_feedback(as_user, settings):
    settings.FEEDBACK_URL = "https://forms.example/closewell"
    text = as_user("worker").get("/cases/").content.decode()
    header = text[text.index("<header") : text.index("</header>")]
    assert "Worker Tester" in header and "Social worker" in header
    # The phase banner is inside the header landmark, and its feedback link goes where the council says.
    assert "govuk-phase-banner" in header
    assert 'href="https://forms.example/closewell"' in header


def test_the_title_is_the_h1_and_says_error_first_when_the_form_has_errors(as_user, web):
    client = as_user("worker")
    page = client.get(f"/children/{web.child.pk}/contacts/add/").content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.startswith(h1)
    sent = client.post(f"/children/{web.child.pk}/contacts/add/", {}).content.decode()
    assert re.search(r"<title>(.*?)</title>", sent, re.S).group(1).strip().startswith(f"Error: {h1}")


def test_the_403_page_gives_the_reason_it_was_given(as_user, web):
    """A closed case says it is closed; a role that may not do a thing is not told about closed cases."""
    closed = as_user("worker").get(f"/children/{web.closed_child.pk}/contacts/add/")
    assert closed.status_code == 403
    assert "This case is closed" in closed.content.decode()
    refused = as_user("data_officer").get(f"/children/{web.child.pk}/contacts/add/")
    assert refused.status_code == 403
    assert "closed" not in refused.content.decode().split("<main", 1)[1]
    assert "Your role does not allow you" in refused.content.decode()


def test_the_data_officer_starts_on_the_overview_with_the_census_counts(as_user, web):
    client = as_user("data_officer")
    assert client.get("/")["Location"] == "/overview/"
    response = client.get("/overview/")
    assert response.status_code == 200
    counts = response.context["counts"]
    # The scenario's open cases (the north team's and the south team's) are in this year's return.
    assert counts.children >= 2 and counts.episodes >= 2
    text = response.content.decode()
    assert "Children in the return" in text and "/census/quality/" in text and "/reports/" in text
    assert as_user("manager").get("/overview/").status_code == 403


def test_every_table_scrolls_in_a_region_named_by_its_caption():
    html = Template(
        '{% table_region %}<table class="govuk-table"><caption class="x">Cases</caption></table>'
        "{% endtable_region %}"
    ).render(Context())
    label = re.search(r'aria-labelledby="([^"]+)"', html).group(1)
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert f'<caption id="{label}" class="x">Cases</caption>' in html
    with pytest.raises(TemplateSyntaxError):
        Template("{% table_region %}<table></table>{% endtable_region %}").render(Context())
