"""The Closure Record pages through the test client: who may do what in each state, the whole
story from starting a record to the closed case, and that nothing typed is lost."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from closewell.accounts.models import Role, User
from closewell.cases.models import Episode, EpisodeStatus
from closewell.closures import selectors, services
from closewell.closures.models import ClosureRecord, Status

from .conftest import days_ago, deal_with_comments

ROLES = ["worker", "other_worker", "manager", "other_manager", "data", "admin", "anonymous"]
STATES = ["draft", "submitted", "returned", "authorised"]


def long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def client_for(case, role: str) -> Client:
    client = Client()
    if role == "admin":
        client.force_login(User.objects.create_user("admin", role=Role.ADMINISTRATOR))
    elif role != "anonymous":
        client.force_login(getattr(case, role))
    return client


def to_state(record: ClosureRecord, case, state: str) -> ClosureRecord:
    if state != "draft":
        record = services.closure_submit(actor=case.worker, record=record)
    if state == "returned":
        record = services.closure_return(
            actor=case.manager, record=record, comments=[("reason", "Say what the family were told.")]
        )
        deal_with_comments(record, case.worker)
    if state == "authorised":
        record = services.closure_authorise(actor=case.manager, record=record)
    record.refresh_from_db()
    return record


def codes(case, method: str, url: str, data=None) -> dict:
    results = {}
    for role in ROLES:
        client = client_for(case, role)
        response = client.get(url) if method == "get" else client.post(url, data or {})
        code = response.status_code
        if code == 302 and response["Location"].startswith("/login/"):
            code = "login"
        results[role] = code
        User.objects.filter(username="admin").delete()
    return results


def expect(default, **overrides) -> dict:
    return {role: overrides.get(role, default) for role in ROLES}


def error_summary(response) -> str:
    page = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def version_on(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def date_parts(name: str, date: dt.date) -> dict:
    return {f"{name}_day": date.day, f"{name}_month": date.month, f"{name}_year": date.year}


# --- Who may do what, in every state ----------------------------------------------------------------

OUTSIDERS = {"other_worker": 404, "other_manager": 404, "admin": 404, "anonymous": "login"}
WRITABLE = {"draft", "returned"}


def _writer_codes(state: str) -> dict:
    """A page for writing the record: once it is no longer being written, those who work on the case
    are taken to the record's own page (never a 403); other roles are refused."""
    ok = 200 if state in WRITABLE else 302
    return expect(403, worker=ok, manager=ok, data=403, **OUTSIDERS)


MATRIX = {
    # The record page: anyone who may read the case, read-only unless they may write.
    "record": lambda state: expect(200, **OUTSIDERS),
    "section": _writer_codes,
    "check": _writer_codes,
    # A worker following a manager's link is taken to the record.
    "review": lambda state: expect(403, worker=302, manager=200, **OUTSIDERS),
    "history": lambda state: expect(403, manager=200, **OUTSIDERS),
    "withdraw": lambda state: expect(
        403,
        worker=200 if state in WRITABLE else 302,
        manager=200 if state != "authorised" else 302,
        **OUTSIDERS,
    ),
    # The confirmation page: the reviewer sees it while the record is submitted, else the review.
    "authorise": lambda state: expect(
        403, worker=302, manager=200 if state == "submitted" else 302, **OUTSIDERS
    ),
    # Why an addendum is needed, asked first: only of an authorised record.
    "addendum": lambda state: expect(
        403,
        worker=200 if state == "authorised" else 302,
        manager=200 if state == "authorised" else 302,
        **OUTSIDERS,
    ),
    "authorised": lambda state: expect(200 if state == "authorised" else 302, **OUTSIDERS),
}
PATHS = {
    "record": "/closures/{pk}/",
    "section": "/closures/{pk}/section/involvement/",
    "check": "/closures/{pk}/check/",
    "review": "/closures/{pk}/review/",
    "history": "/closures/{pk}/history/",
    "withdraw": "/closures/{pk}/withdraw/",
    "authorised": "/closures/{pk}/authorised/",
    "authorise": "/closures/{pk}/authorise/",
    "addendum": "/closures/{pk}/addendum/",
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("page", list(MATRIX))
def test_who_may_open_each_page_in_each_state(complete_record, case, page, state):
    record = to_state(complete_record, case, state)
    url = PATHS[page].format(pk=record.pk)
    assert codes(case, "get", url) == MATRIX[page](state)


@pytest.mark.parametrize("state", STATES)
def test_who_may_save_a_section(complete_record, case, state):
    record = to_state(complete_record, case, state)
    url = f"/closures/{record.pk}/section/involvement/"
    results = {
        role: codes_for_role(
            case,
            role,
            url,
            {"version": ClosureRecord.objects.get(pk=record.pk).version, "reason_for_involvement": role},
        )
        for role in ROLES
    }
    # Once it is no longer being written, the post saves nothing and lands on the record (not a 403).
    assert results == expect(403, worker=302, manager=302, **OUTSIDERS)
    saved = ClosureRecord.objects.get(pk=record.pk).reason_for_involvement
    if state in WRITABLE:
        assert saved == "manager"  # the last who may write
    else:
        assert saved == "Police referral after an incident at home."


def codes_for_role(case, role, url, data):
    response = client_for(case, role).post(url, data)
    User.objects.filter(username="admin").delete()
    if response.status_code == 302 and response["Location"].startswith("/login/"):
        return "login"
    return response.status_code


@pytest.mark.parametrize("state", STATES)
def test_who_may_submit_return_authorise_and_withdraw(complete_record, case, state):
    record = to_state(complete_record, case, state)
    pk = record.pk
    submit = {role: codes_for_role(case, role, f"/closures/{pk}/check/", {}) for role in ROLES}
    # A worker's submission moves a draft on, so the others are then refused: test each from fresh.
    assert submit["data"] == 403 and submit["other_worker"] == 404 and submit["anonymous"] == "login"
    if state in WRITABLE:
        assert submit["worker"] == 302
        assert ClosureRecord.objects.get(pk=pk).status == Status.SUBMITTED
    else:
        assert submit["worker"] == 302 and submit["manager"] == 302  # to the record, not a 403
    current = ClosureRecord.objects.get(pk=pk).status
    authorise = {
        role: codes_for_role(case, role, f"/closures/{pk}/authorise/", {})
        for role in ["worker", "other_worker", "other_manager", "data", "admin", "anonymous"]
    }
    assert authorise == {
        "worker": 403,
        "other_worker": 404,
        "other_manager": 404,
        "data": 403,
        "admin": 404,
        "anonymous": "login",
    }
    assert ClosureRecord.objects.get(pk=pk).status == current
    response = client_for(case, "manager").post(f"/closures/{pk}/authorise/")
    if current == Status.SUBMITTED:
        assert response.status_code == 302 and response["Location"] == f"/closures/{pk}/authorised/"
        assert ClosureRecord.objects.get(pk=pk).status == Status.AUTHORISED
    else:
        assert response.status_code == 200
        assert "Only a submitted record can be authorised" in error_summary(response)


def test_the_author_cannot_authorise_their_own_record(case):
    record = services.closure_start(
        actor=case.manager, episode=case.episode, decision_date=days_ago(3), decision_by="Mo Birch"
    )
    client = client_for(case, "manager")
    # Their own record: they are taken to it, never shown the review or the authorise page.
    assert client.get(f"/closures/{record.pk}/review/")["Location"] == f"/closures/{record.pk}/"
    assert client.get(f"/closures/{record.pk}/authorise/")["Location"] == f"/closures/{record.pk}/"
    assert client.post(f"/closures/{record.pk}/authorise/").status_code == 403


def test_who_may_write_an_addendum(complete_record, case):
    record = to_state(complete_record, case, "authorised")
    url = f"/closures/{record.pk}/addendum/"
    assert codes_for_role(case, "data", url, {}) == 403
    assert codes_for_role(case, "other_worker", url, {}) == 404
    assert codes_for_role(case, "anonymous", url, {}) == "login"
    assert ClosureRecord.objects.filter(addendum_to=record).count() == 0
    assert client_for(case, "worker").get(url).status_code == 200  # asks why; creates nothing
    assert ClosureRecord.objects.filter(addendum_to=record).count() == 0
    response = client_for(case, "worker").post(url, {"reason": "The date Ruby was seen is wrong."})
    addendum = ClosureRecord.objects.get(addendum_to=record)
    assert response["Location"] == f"/closures/{addendum.pk}/"
    assert addendum.addendum_reason == "The date Ruby was seen is wrong."


def test_the_queue_and_the_start_page_by_role(case):
    assert codes(case, "get", "/closures/") == expect(200, data=403, admin=403, anonymous="login")
    start = f"/closures/start/{case.episode.pk}/"
    assert codes(case, "get", start) == expect(
        200, other_worker=404, other_manager=404, data=403, admin=404, anonymous="login"
    )


def test_the_start_page_of_an_episode_with_a_record_goes_to_it(complete_record, case):
    response = client_for(case, "worker").get(f"/closures/start/{case.episode.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/closures/{complete_record.pk}/"


def test_every_change_needs_csrf(complete_record, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(case.worker)
    response = client.post(
        f"/closures/{complete_record.pk}/section/involvement/",
        {"version": complete_record.version, "reason_for_involvement": "Changed"},
    )
    assert response.status_code == 403
    assert ClosureRecord.objects.get(pk=complete_record.pk).reason_for_involvement.startswith("Police")


# --- The whole story ---------------------------------------------------------------------------------


def test_the_whole_story_from_start_to_a_closed_case(case):
    worker, manager = client_for(case, "worker"), client_for(case, "manager")
    today = timezone.localdate()

    page = worker.get(case.child.get_absolute_url()).content.decode()
    assert f'href="/closures/start/{case.episode.pk}/"' in page and "Close this case" in page

    response = worker.post(
        f"/closures/start/{case.episode.pk}/",
        {**date_parts("decision_date", days_ago(4)), "decision_maker": str(case.manager.pk)},
    )
    record = ClosureRecord.objects.get(episode=case.episode)
    assert response["Location"] == f"/closures/{record.pk}/"
    assert Episode.objects.get(pk=case.episode.pk).status == EpisodeStatus.CLOSING
    tasks = worker.get(f"/closures/{record.pk}/").content.decode()
    assert "govuk-task-list" in tasks and "Not started" in tasks and "Check your answers and submit" in tasks

    def save(section: str, data: dict):
        url = f"/closures/{record.pk}/section/{section}/"
        version = version_on(worker.get(url))
        response = worker.post(url, {"version": version, **data})
        assert response.status_code == 302, error_summary(response)
        assert response["Location"] == f"/closures/{record.pk}/"

    save("involvement", {"reason_for_involvement": "Police referral after an incident at home."})
    save("interventions", {"interventions": "Weekly direct work with Ruby."})
    save(
        "review",
        {
            f"actual_level_{case.action.pk}": "10 of 12 sessions",
            f"outcome_{case.action.pk}": "Fewer nightmares.",
            f"impact_{case.unplanned.pk}": "The family moved to safety.",
        },
    )
    save(
        "reason",
        {
            "reason_for_closure": "Ruby is safe and settled.",
            "reason_code": "RC7",
            "decision_maker": str(case.manager.pk),
            **date_parts("decision_date", days_ago(4)),
        },
    )
    save(
        "child_views",
        {
            "child_discussed": "yes",
            **date_parts("child_discussed_date", days_ago(3)),
            "child_views": "I feel safe now.",
        },
    )
    save(
        "parent_views",
        {
            f"parent_{case.mother.pk}_discussed": "yes",
            **date_parts(f"parent_{case.mother.pk}_discussed_date", days_ago(3)),
            f"parent_{case.mother.pk}_views": "Jess agrees.",
            f"parent_{case.father.pk}_discussed": "no",
            f"parent_{case.father.pk}_not_discussed_reason": "In custody; no contact.",
        },
    )
    save(
        "domestic_abuse",
        {
            "da_work_with_perpetrator": "Perpetrator programme in prison.",
            "da_if_released": "Probation alert us before release.",
            "da_if_resumed": "New referral straight away.",
        },
    )
    tasks = worker.get(f"/closures/{record.pk}/").content.decode()
    sections_listed = tasks[: tasks.index('id="task-signatures-status"')]
    assert "Not started" not in sections_listed and "In progress" not in sections_listed

    check = worker.get(f"/closures/{record.pk}/check/").content.decode()
    assert "Fewer nightmares." in check and "I feel safe now." in check
    assert f'href="/closures/{record.pk}/section/reason/"' in check  # a Change link
    response = worker.post(f"/closures/{record.pk}/check/")
    assert response["Location"] == f"/closures/{record.pk}/"
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED

    queue = manager.get("/closures/").content.decode()
    assert "Ruby Hale" in queue and "0 working days" in queue
    assert "To authorise" in queue
    response = manager.post(
        f"/closures/{record.pk}/review/",
        {
            "count_reason": "1",
            "comment_reason_1": "Say what the family were told about getting back in touch.",
            "comment_child_views_1": "",
        },
    )
    assert response.status_code == 302
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.RETURNED

    tasks = worker.get(f"/closures/{record.pk}/").content.decode()
    assert "Needs attention" in tasks
    assert "Manager's comment: Say what the family were told about getting back in touch." in tasks
    assert "Mo Birch returned this record with 1 comment:" in tasks
    mine = worker.get("/closures/").content.decode()
    assert "Returned</strong>" in mine and "1 comment" in mine
    save(
        "reason",
        {
            "reason_for_closure": "Ruby is safe and settled. Jess knows how to get back in touch.",
            "reason_code": "RC7",
            "decision_maker": str(case.manager.pk),
            **date_parts("decision_date", days_ago(4)),
        },
    )
    refused = worker.post(f"/closures/{record.pk}/check/")
    assert "Answer the manager&#x27;s comment and mark it dealt with" in error_summary(refused)
    comment = ClosureRecord.objects.get(pk=record.pk).comments.get()
    answered = worker.post(
        f"/closures/{record.pk}/comments/{comment.pk}/",
        {
            f"comment-{comment.pk}-version": comment.version,
            f"comment-{comment.pk}-answer": "Jess knows to call the front door team.",
            f"comment-{comment.pk}-dealt_with": "on",
        },
    )
    assert answered.status_code == 302
    assert "Completed" in worker.get(f"/closures/{record.pk}/").content.decode()
    assert worker.post(f"/closures/{record.pk}/check/").status_code == 302
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED

    review = manager.get(f"/closures/{record.pk}/review/").content.decode()
    assert f"The case will be closed from the moment you authorise, {long_date(today)}" in review
    response = manager.post(f"/closures/{record.pk}/authorise/")
    assert response["Location"] == f"/closures/{record.pk}/authorised/"
    panel = manager.get(response["Location"]).content.decode()
    assert "Closure Record authorised" in panel and long_date(today) in panel

    episode = Episode.objects.get(pk=case.episode.pk)
    assert episode.status == EpisodeStatus.CLOSED and episode.closure_date == today
    page = worker.get(case.child.get_absolute_url()).content.decode()
    assert f"closed {long_date(today)}" in page
    assert f'href="/closures/{record.pk}/"' in page
    assert "Close this case" not in page


# --- Errors: the summary names the section and links to the field -----------------------------------


def test_a_refused_submission_lists_every_problem_linking_to_its_section(case):
    record = services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(4), decision_by="Wendy Ash"
    )
    response = client_for(case, "worker").post(f"/closures/{record.pk}/check/")
    assert response.status_code == 200
    summary = html.unescape(error_summary(response))
    assert (
        f'<a href="/closures/{record.pk}/section/reason/#id_reason_for_closure">'
        "Reason for closure: Write why the case is closing now and the progress made.</a>"
    ) in summary
    assert f'href="/closures/{record.pk}/section/reason/#id_reason_code_0"' in summary
    assert f'href="/closures/{record.pk}/section/child_views/#id_child_discussed_0"' in summary
    assert f'href="/closures/{record.pk}/section/review/#id_outcome_{case.action.pk}"' in summary
    mother = f"id_parent_{case.mother.pk}_discussed_0"
    assert f'href="/closures/{record.pk}/section/parent_views/#{mother}"' in summary
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.DRAFT


def test_the_fields_the_problems_link_to_exist_on_the_section_pages(case):
    record = services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(4), decision_by="Wendy Ash"
    )
    client = client_for(case, "worker")
    summary = error_summary(client.post(f"/closures/{record.pk}/check/"))
    links = re.findall(r'href="(/closures/\d+/section/\w+/)#([\w-]+)"', summary)
    assert len(links) >= 8
    for path, anchor in links:
        assert f'id="{anchor}"' in client.get(path).content.decode(), (path, anchor)


def test_a_bad_date_keeps_what_was_typed_and_links_to_the_day(complete_record, case):
    url = f"/closures/{complete_record.pk}/section/child_views/"
    response = client_for(case, "worker").post(
        url,
        {
            "version": complete_record.version,
            "child_discussed": "yes",
            "child_discussed_date_day": "31",
            "child_discussed_date_month": "2",
            "child_discussed_date_year": "2026",
            "child_views": "Ruby drew a picture of her new bedroom.",
        },
    )
    assert response.status_code == 200
    assert (
        '<a href="#id_child_discussed_date_day">The date closure was discussed must be a real date</a>'
        in error_summary(response)
    )
    assert "Ruby drew a picture of her new bedroom." in response.content.decode()
    assert ClosureRecord.objects.get(pk=complete_record.pk).child_views == "Ruby said: “I feel safe now.”"


def test_a_rule_refusal_shows_on_its_field(complete_record, case):
    response = client_for(case, "worker").post(
        f"/closures/{complete_record.pk}/section/reason/",
        {
            "version": complete_record.version,
            "reason_for_closure": "My reasons, typed with care.",
            "reason_code": "RC7",
            "decision_maker": str(case.manager.pk),
            **date_parts("decision_date", case.episode.referral_date - dt.timedelta(days=1)),
        },
    )
    assert (
        '<a href="#id_decision_date_day">The date the decision to close was made must be on or after the '
        "referral date" in error_summary(response)
    )
    assert "My reasons, typed with care." in response.content.decode()


def test_a_stale_save_keeps_the_typed_text_and_shows_what_is_saved_now(complete_record, case):
    client = client_for(case, "worker")
    url = f"/closures/{complete_record.pk}/section/involvement/"
    opened_at = version_on(client.get(url))
    services.closure_update(
        actor=case.manager,
        record=complete_record,
        section="involvement",
        version=complete_record.version,
        data={"reason_for_involvement": "The manager's newer wording."},
    )
    response = client.post(url, {"version": opened_at, "reason_for_involvement": "My careful wording."})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert services.STALE_MESSAGE in error_summary(response)
    assert '<a href="#saved-now">' in error_summary(response)
    assert re.search(r"<textarea[^>]*>\s*My careful wording.</textarea>", page)
    saved_now = page[page.index('id="saved-now"') :]
    assert "The manager's newer wording." in saved_now[: saved_now.index("</div>")]
    # The form now carries the current version: saving again replaces what is saved.
    response = client.post(
        url, {"version": version_on(response), "reason_for_involvement": "My careful wording."}
    )
    assert response.status_code == 302
    assert ClosureRecord.objects.get(pk=complete_record.pk).reason_for_involvement == "My careful wording."


def test_a_return_without_any_comment_is_refused(complete_record, case):
    record = to_state(complete_record, case, "submitted")
    response = client_for(case, "manager").post(f"/closures/{record.pk}/review/", {"comment_reason_1": ""})
    assert "Write a comment beside each section that needs amending" in error_summary(response)
    # A box the page never offered (a section not on this record) is not a comment.
    response = client_for(case, "manager").post(
        f"/closures/{record.pk}/review/", {"comment_addendum_1": "Which section is this?"}
    )
    assert "Write a comment beside each section that needs amending" in error_summary(response)
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED


def test_withdrawing_needs_a_reason_and_reopens_the_case(complete_record, case):
    client = client_for(case, "worker")
    url = f"/closures/{complete_record.pk}/withdraw/"
    assert "Say why the record is being withdrawn" in error_summary(client.post(url, {"reason": ""}))
    response = client.post(url, {"reason": "The family asked for more help."})
    assert response["Location"] == case.child.get_absolute_url()
    assert ClosureRecord.objects.get(pk=complete_record.pk).status == Status.WITHDRAWN
    assert Episode.objects.get(pk=case.episode.pk).status == EpisodeStatus.OPEN


# --- The sections' pages -----------------------------------------------------------------------------


def test_the_interventions_page_lists_the_dates_seen_from_the_contacts(complete_record, case):
    page = client_for(case, "worker").get(f"/closures/{complete_record.pk}/section/interventions/")
    text = page.content.decode()
    assert "come from the contacts recorded on the case" in text
    child_at = text.index("Ruby Hale")
    assert long_date(days_ago(100)) in text[child_at:]
    assert "Jess Hale" in text and text.index("Jess Hale") > child_at
    assert long_date(days_ago(90)) not in text  # a call: not a date seen, Ruby is no care leaver


def test_the_child_views_page_asks_about_the_child_by_name_and_age(complete_record, case):
    text = (
        client_for(case, "worker")
        .get(f"/closures/{complete_record.pk}/section/child_views/")
        .content.decode()
    )
    assert "Was closure discussed with Ruby?" in text
    assert "Ruby is 8" in text or "Ruby is 9" in text
    assert 'data-reveal="conditional-child-yes"' in text
    assert "aria-expanded" not in text and "data-aria-controls" not in text


def test_the_review_page_shows_each_action_with_its_planned_level(complete_record, case):
    text = client_for(case, "worker").get(f"/closures/{complete_record.pk}/section/review/").content.decode()
    assert "Play therapy" in text and "Weekly for 12 weeks" in text
    assert f'name="actual_level_{case.action.pk}" value="10 of 12 sessions"' in text
    assert f'id="id_impact_{case.unplanned.pk}"' in text
    assert f'name="outcome_{case.unplanned.pk}"' not in text


# --- The authorised record -------------------------------------------------------------------------


def test_an_authorised_record_shows_its_snapshot_not_the_live_case(complete_record, case):
    record = to_state(complete_record, case, "authorised")
    case.child.first_name = "Renamed"
    case.child.save()
    case.action.outcome = "Rewritten after authorisation."
    case.action.save()
    page = client_for(case, "data").get(f"/closures/{record.pk}/").content.decode()
    # The back link leads to the case as it is now, under the child's name now; the record is as signed.
    assert "Back to Renamed Hale's case" in page
    text = page.replace("Back to Renamed Hale's case", "")
    assert "Ruby Hale" in text and "Fewer nightmares." in text
    assert "Renamed" not in text and "Rewritten after authorisation." not in text
    assert record.snapshot_sha256 in text
    assert "Mo Birch" in text  # the authorising manager


def test_an_addendum_is_shown_beneath_the_record_once_written(complete_record, case):
    record = to_state(complete_record, case, "authorised")
    client = client_for(case, "worker")
    assert "Write an addendum" in client.get(f"/closures/{record.pk}/").content.decode()
    client.post(f"/closures/{record.pk}/addendum/", {"reason": "Jess's surname is wrong."})
    addendum = ClosureRecord.objects.get(addendum_to=record)
    tasks = client.get(f"/closures/{addendum.pk}/").content.decode()
    assert "Correction (addendum)" in tasks and "Reason for closure" not in tasks
    assert "Why this addendum is needed" in tasks and "Jess&#x27;s surname is wrong." in tasks
    # The case's conditional sections belong to the record it corrects, not to the addendum.
    assert "Domestic abuse" not in tasks
    assert client.get(f"/closures/{addendum.pk}/section/domestic_abuse/").status_code == 404
    client.post(
        f"/closures/{addendum.pk}/section/addendum/",
        {"version": addendum.version, "addendum_text": "Jess's surname is Hale-Smith."},
    )
    page = client.get(f"/closures/{record.pk}/").content.decode()
    assert "Jess&#x27;s surname is Hale-Smith." in page
    assert '<strong>Why:</strong> <span class="closewell-note">Jess&#x27;s surname is wrong.</span>' in page


def test_a_re_referral_links_the_previous_closure_record(complete_record, case):
    record = to_state(complete_record, case, "authorised")
    Episode.objects.create(
        child=case.child,
        referral_date=timezone.localdate(),
        referral_source="6",
        team=case.east,
        worker=case.worker,
        previous_episode=case.episode,
        is_re_referral=True,
    )
    text = client_for(case, "worker").get(case.child.get_absolute_url()).content.decode()
    assert "This is a re-referral." in text
    link = f'<a class="govuk-link" href="/closures/{record.pk}/">'
    assert link + "Read the Closure Record of the previous episode</a>" in text


def test_the_history_lists_who_read_and_changed_the_record(complete_record, case):
    client_for(case, "data").get(f"/closures/{complete_record.pk}/")
    text = client_for(case, "manager").get(f"/closures/{complete_record.pk}/history/").content.decode()
    assert "Started the Closure Record" in text
    assert "Changed “Review of planned actions”" in text
    assert "Viewed the Closure Record for Ruby Hale" in text


def test_the_navigation_counts_records_to_authorise(complete_record, case):
    manager = client_for(case, "manager")
    assert "To authorise <strong" not in manager.get("/closures/").content.decode()
    to_state(complete_record, case, "submitted")
    text = manager.get("/closures/").content.decode()
    assert re.search(r"To authorise <strong class=\"govuk-tag govuk-tag--blue\">1<", text)
    assert "Closure Records" in client_for(case, "worker").get("/closures/").content.decode()


def test_overdue_records_are_marked_with_their_due_date(case):
    decided = days_ago(60)
    record = services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=decided, decision_by="Wendy Ash"
    )
    client = client_for(case, "worker")
    tasks = client.get(f"/closures/{record.pk}/").content.decode()
    due = selectors.submit_due(record)
    assert f"This record is overdue: it should have been submitted by {long_date(due)}." in tasks
    assert "Overdue</strong>" in client.get("/closures/").content.decode()


def test_a_record_in_time_is_not_marked_overdue(complete_record, case):
    client = client_for(case, "worker")
    assert "overdue" not in client.get(f"/closures/{complete_record.pk}/").content.decode().lower()
    assert "Overdue" not in client.get("/closures/").content.decode()


def test_the_case_page_offers_to_close_or_continue_to_those_who_may(case):
    url = case.child.get_absolute_url()
    assert "Close this case" in client_for(case, "worker").get(url).content.decode()
    assert "Close this case" not in client_for(case, "data").get(url).content.decode()
    record = services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(2), decision_by="Wendy Ash"
    )
    page = client_for(case, "worker").get(url).content.decode()
    assert "Close this case" not in page
    assert f'href="/closures/{record.pk}/" role="button"' in page and "Continue the Closure Record" in page
    page = client_for(case, "data").get(url).content.decode()
    assert "Continue the Closure Record" not in page and f'href="/closures/{record.pk}/"' in page


def test_a_second_addendum_is_refused_while_one_is_in_progress(complete_record, case):
    record = to_state(complete_record, case, "authorised")
    client_for(case, "worker").post(f"/closures/{record.pk}/addendum/", {"reason": "A date is wrong."})
    manager = client_for(case, "manager")
    assert "Write an addendum" not in manager.get(f"/closures/{record.pk}/").content.decode()
    response = manager.post(f"/closures/{record.pk}/addendum/", {"reason": "Again."}, follow=True)
    assert "already has an addendum in progress" in response.content.decode()
    assert ClosureRecord.objects.filter(addendum_to=record).count() == 1
