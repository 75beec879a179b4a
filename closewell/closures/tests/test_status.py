"""Status that tells the truth, and deliberate steps (issue 15, items 3 and 6): "Check" for a pre-filled
section until it is saved, the "Waiting for authorisation" page instead of a 403, the worker's list and
My cases, the authorise confirmation, who made the decision, the addendum's reason, the stale message."""

import html
import importlib

import pytest
from django.test import Client
from django.utils import timezone

from closewell.advice.selectors import advice_for_section
from closewell.audit.models import AuditEvent
from closewell.cases.models import Assessment, Contact, Episode
from closewell.closures import sections, selectors, services
from closewell.closures.models import ClosureRecord, Status
from closewell.core.errors import DomainError

from .conftest import at, days_ago
from .test_views import date_parts, error_summary, to_state, version_on


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def started(case, **decision) -> ClosureRecord:
    return services.closure_start(
        actor=case.worker,
        episode=case.episode,
        decision_date=days_ago(3),
        **(decision or {"decision_maker": case.manager}),
    )


# --- Pre-filled sections show "Check" until saved ---------------------------------------------------


def test_pre_filled_sections_show_check_until_the_worker_saves_them(case):
    record = started(case)
    tasks = {t["section"]: t["status"] for t in selectors.task_list(record)}
    assert tasks["involvement"] == tasks["interventions"] == "Check"
    assert tasks["child_views"] == "Not started"  # nothing pre-filled: no "Check"
    assert "Completed" not in tasks.values()
    record = services.closure_update(
        actor=case.worker,
        record=record,
        section="involvement",
        version=record.version,
        data={"reason_for_involvement": record.reason_for_involvement},  # read, and saved as it was
    )
    assert record.confirmed_sections == ["involvement"]
    tasks = {t["section"]: t["status"] for t in selectors.task_list(record)}
    assert tasks["involvement"] == "Completed" and tasks["interventions"] == "Check"
    worker = page(case.worker)
    assert 'id="pre-filled"' in worker.get(f"/closures/{record.pk}/section/interventions/").content.decode()
    assert 'id="pre-filled"' not in worker.get(f"/closures/{record.pk}/section/involvement/").content.decode()


def test_a_planned_action_recorded_on_the_case_makes_the_review_a_check(case):
    case.action.actual_level, case.action.outcome = "10 of 12 sessions", "Fewer nightmares."
    case.action.save()
    case.unplanned.impact = "The family moved to safety."
    case.unplanned.save()
    record = started(case)
    assert {t["section"]: t["status"] for t in selectors.task_list(record)}["review"] == "Check"


def test_a_pre_filled_section_never_saved_cannot_be_submitted(case, complete_record):
    record = complete_record
    record.confirmed_sections = [k for k in record.confirmed_sections if k != "interventions"]
    record.save(update_fields=["confirmed_sections"])
    with pytest.raises(services.RecordIncomplete) as refused:
        services.closure_submit(actor=case.worker, record=record)
    assert [str(p) for p in refused.value.problems] == [
        "Check Details of interventions since assessment, admission or last review: read it and save it"
    ]


def test_the_check_answers_page_links_the_unread_section(case, complete_record):
    record = complete_record
    record.confirmed_sections = [k for k in record.confirmed_sections if k != "involvement"]
    record.save(update_fields=["confirmed_sections"])
    response = page(case.worker).post(f"/closures/{record.pk}/check/")
    summary = text_of(response)
    assert (
        f'<a href="/closures/{record.pk}/section/involvement/">Check Reason for involvement: read it '
        "and save it</a>" in summary
    )
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.DRAFT
    tasks = text_of(page(case.worker).get(f"/closures/{record.pk}/"))
    assert '<strong class="govuk-tag govuk-tag--yellow">Check</strong>' in tasks


def _demo_like_case(case):
    """The scenario's case with the kind of notes that fail the advice ("the child", jargon) written
    by the worker on the case: none of it may reach the pre-filled text."""
    Assessment.objects.filter(episode=case.episode).update(
        summary="The child failed to engage and Mum was non-compliant with the CIN plan."
    )
    Contact.objects.create(
        episode=case.episode,
        occurred_at=at(days_ago(20)),
        kind="home_visit",
        child_seen=True,
        note="Mum hostile. IDVA to follow up re the child. Lacks insight.",
        worker=case.worker,
    )


def test_the_pre_filled_text_passes_the_writing_advice(case):
    _demo_like_case(case)
    record = started(case)
    for section in ("involvement", "interventions"):
        spec = sections.get(section)
        assert spec.started(record), "the section is pre-filled"
        advice = advice_for_section(record, section)
        assert advice.items == [], [(a.kind, a.message) for a in advice.items]
    assert "the child" not in record.reason_for_involvement.lower()
    assert "non-compliant" not in record.reason_for_involvement and "IDVA" not in record.interventions


# --- Waiting for authorisation, never a 403 ---------------------------------------------------------


def test_the_worker_sees_a_waiting_page_for_a_submitted_record(case, complete_record):
    record = to_state(complete_record, case, "submitted")
    worker = page(case.worker)
    text = text_of(worker.get(f"/closures/{record.pk}/"))
    assert '<h1 class="govuk-heading-l">Waiting for authorisation</h1>' in text
    submitted = timezone.localtime(record.submitted_at)
    assert f"{submitted.day} {submitted:%B %Y} at {submitted:%H:%M} by Wendy Ash" in text
    assert "<li>Mo Birch (team manager)</li>" in text  # who can authorise it
    assert "What was submitted" in text and "Fewer nightmares." in text
    # The manager who may review sees the record as a reviewer, not the waiting page.
    assert "Waiting for authorisation</h1>" not in text_of(page(case.manager).get(f"/closures/{record.pk}/"))


@pytest.mark.parametrize(
    "path", ["section/involvement/", "section/reason/", "check/", "review/", "authorise/", "withdraw/"]
)
def test_every_writing_page_of_a_submitted_record_lands_on_the_waiting_page(case, complete_record, path):
    record = to_state(complete_record, case, "submitted")
    response = page(case.worker).get(f"/closures/{record.pk}/{path}", follow=True)
    assert response.status_code == 200
    text = text_of(response)
    assert "Waiting for authorisation</h1>" in text
    assert "You cannot do this" not in text


def test_a_section_posted_after_submitting_saves_nothing_and_says_so(case, complete_record):
    record = to_state(complete_record, case, "submitted")
    response = page(case.worker).post(
        f"/closures/{record.pk}/section/involvement/",
        {"version": record.version, "reason_for_involvement": "Late words."},
        follow=True,
    )
    assert "Your change was not saved: this Closure Record was submitted" in text_of(response)
    assert ClosureRecord.objects.get(pk=record.pk).reason_for_involvement != "Late words."


def test_an_authorised_record_opened_for_writing_lands_on_the_authorised_record(case, complete_record):
    record = to_state(complete_record, case, "authorised")
    response = page(case.worker).get(f"/closures/{record.pk}/section/involvement/", follow=True)
    text = text_of(response)
    assert response.redirect_chain[-1][0] == f"/closures/{record.pk}/"
    assert "This is the record exactly as it was authorised" in text and "You cannot do this" not in text


def test_the_403_page_says_a_closed_case_cannot_be_changed_only_when_that_is_why(case, complete_record):
    data = page(case.data).get(f"/closures/{complete_record.pk}/section/involvement/")
    assert data.status_code == 403
    assert "This case is closed" not in text_of(data)
    assert "Only the case's social worker and team managers write its Closure Record." in text_of(data)
    to_state(complete_record, case, "authorised")
    closed = page(case.worker).get(f"{case.child.get_absolute_url()}contacts/add/")
    assert closed.status_code == 403
    assert "This case is closed" in text_of(closed)


# --- The worker's list and My cases -----------------------------------------------------------------


def test_the_worker_lists_drafts_submitted_and_returned_records_with_tags(case, complete_record):
    worker = page(case.worker)
    assert '<strong class="govuk-tag govuk-tag--grey">Draft</strong>' in text_of(worker.get("/closures/"))
    to_state(complete_record, case, "submitted")
    text = text_of(worker.get("/closures/"))
    assert "no Closure Records" not in text
    assert '<strong class="govuk-tag govuk-tag--blue">Waiting for authorisation</strong>' in text
    services.closure_return(
        actor=case.manager, record=complete_record, comments=[("reason", "Say what Ruby was told.")]
    )
    assert '<strong class="govuk-tag govuk-tag--orange">Returned</strong>' in text_of(
        worker.get("/closures/")
    )


def test_a_returned_record_is_flagged_on_my_cases(case, complete_record):
    worker = page(case.worker)
    assert "Record returned" not in text_of(worker.get("/cases/"))
    record = to_state(complete_record, case, "returned")
    text = text_of(worker.get("/cases/"))
    assert "Record returned</strong>" in text
    assert f'href="/closures/{record.pk}/">Amend the Closure Record' in text


# --- Authorise: a confirmation page -----------------------------------------------------------------


def test_authorise_asks_first_saying_what_will_happen(case, complete_record):
    record = to_state(complete_record, case, "submitted")
    manager = page(case.manager)
    response = manager.get(f"/closures/{record.pk}/authorise/")
    text = text_of(response)
    today = timezone.localdate()
    assert (
        f"The case will be closed today, {today.day} {today:%B %Y}, with reason RC7 (services ceased "
        "for any other reason, including child no longer in need)." in text
    )
    assert ">Authorise and close the case</button>" in text
    assert f'<a class="govuk-link" href="/closures/{record.pk}/review/">Cancel</a>' in text
    # GET changed nothing: the record still waits.
    assert ClosureRecord.objects.get(pk=record.pk).status == Status.SUBMITTED
    assert (
        manager.post(f"/closures/{record.pk}/authorise/")["Location"] == f"/closures/{record.pk}/authorised/"
    )
    assert Episode.objects.get(pk=case.episode.pk).closure_date == today


# --- Who made the decision --------------------------------------------------------------------------


def test_the_decision_maker_is_a_manager_of_the_team_or_someone_else_with_a_role(case):
    with pytest.raises(DomainError, match="Choose a team manager of this team") as refused:
        started(case, decision_maker=case.other_manager)
    assert refused.value.field == "decision_maker"
    with pytest.raises(DomainError, match="Choose the team manager who made the decision"):
        started(case, decision_by="  ")
    record = started(case, decision_by="Ada Lane", decision_by_role="independent reviewing officer")
    assert record.decision_maker_name == "Ada Lane (independent reviewing officer)"
    record = services.closure_update(
        actor=case.worker,
        record=record,
        section="reason",
        version=record.version,
        data={"decision_maker": case.manager.pk},
    )
    assert record.decision_maker == case.manager and record.decision_by == record.decision_by_role == ""
    assert record.decision_maker_name == "Mo Birch (team manager)"


def test_the_start_page_offers_the_teams_managers_or_someone_else(case):
    worker = page(case.worker)
    url = f"/closures/start/{case.episode.pk}/"
    text = text_of(worker.get(url))
    assert f'value="{case.manager.pk}"' in text and "Mo Birch (team manager)" in text
    assert f'value="{case.other_manager.pk}"' not in text  # another team's manager
    assert 'id="conditional-decision-other"' in text
    response = worker.post(url, {**date_parts("decision_date", days_ago(2)), "decision_maker": "other"})
    summary = error_summary(response)
    assert "Enter the name of the person who made the decision" in summary
    assert "Enter the role of the person who made the decision" in summary
    response = worker.post(
        url,
        {
            **date_parts("decision_date", days_ago(2)),
            "decision_maker": "other",
            "decision_by": "Ada Lane",
            "decision_by_role": "Independent reviewing officer",
        },
    )
    record = ClosureRecord.objects.get(episode=case.episode)
    assert response["Location"] == f"/closures/{record.pk}/"
    assert "Ada Lane (Independent reviewing officer)" in text_of(worker.get(f"/closures/{record.pk}/"))


def test_the_authorised_record_prints_the_manager_chosen(case, complete_record):
    record = services.closure_update(
        actor=case.worker,
        record=complete_record,
        section="reason",
        version=complete_record.version,
        data={"decision_maker": case.manager.pk},
    )
    record = to_state(record, case, "authorised")
    assert record.snapshot["decision"]["by"] == "Mo Birch (team manager)"
    assert "by Mo Birch (team manager)" in text_of(page(case.worker).get(f"/closures/{record.pk}/"))


def test_the_migration_keeps_free_text_and_matches_a_manager_exactly(case):
    migration = importlib.import_module(
        "closewell.closures.migrations.0005_decision_maker_and_checked_sections"
    )
    from django.apps import apps

    exact = started(case, decision_by="Mo Birch")
    ClosureRecord.objects.filter(pk=exact.pk).update(decision_maker=None, decision_by=" mo  birch ")
    migration.forward(apps, None)
    exact.refresh_from_db()
    assert exact.decision_maker == case.manager and exact.decision_by == ""
    ClosureRecord.objects.filter(pk=exact.pk).update(decision_maker=None, decision_by="Wendy with Mo")
    migration.forward(apps, None)
    exact.refresh_from_db()
    assert exact.decision_maker is None and exact.decision_by == "Wendy with Mo"
    assert exact.confirmed_sections == []  # a draft: nothing its audit trail shows saved


# --- The addendum asks why first --------------------------------------------------------------------


def test_write_an_addendum_asks_why_first_and_get_creates_nothing(case, complete_record):
    record = to_state(complete_record, case, "authorised")
    worker = page(case.worker)
    form = worker.get(f"/closures/{record.pk}/addendum/")
    assert "Why does the authorised record need an addendum?" in text_of(form)
    assert not ClosureRecord.objects.filter(addendum_to=record).exists()
    refused = worker.post(f"/closures/{record.pk}/addendum/", {"reason": "  "})
    assert "Enter why the authorised record needs an addendum" in error_summary(refused)
    assert not ClosureRecord.objects.filter(addendum_to=record).exists()
    worker.post(f"/closures/{record.pk}/addendum/", {"reason": "Ruby's school is named wrongly."})
    addendum = ClosureRecord.objects.get(addendum_to=record)
    assert addendum.addendum_reason == "Ruby's school is named wrongly."
    event = AuditEvent.objects.get(object_id=str(addendum.pk), action="create")
    assert event.summary.endswith("Ruby's school is named wrongly.")
    assert event.after == {"addendum_reason": "Ruby's school is named wrongly."}


def test_an_addendum_needs_a_reason(case, complete_record):
    record = to_state(complete_record, case, "authorised")
    with pytest.raises(DomainError, match="Say why") as refused:
        services.addendum_start(actor=case.worker, record=record, reason=" ")
    assert refused.value.field == "reason"


# --- The stale-save message -------------------------------------------------------------------------


def test_a_stale_save_says_the_section_changed_without_guessing_who(case, complete_record):
    worker = page(case.worker)
    url = f"/closures/{complete_record.pk}/section/involvement/"
    opened = version_on(worker.get(url))  # first tab
    worker.post(url, {"version": version_on(worker.get(url)), "reason_for_involvement": "From tab two."})
    response = worker.post(url, {"version": opened, "reason_for_involvement": "From tab one, kept."})
    text = text_of(response)
    assert "This section was changed after you opened it." in text
    assert "Someone else" not in text
    assert "From tab one, kept.</textarea>" in text
    assert ClosureRecord.objects.get(pk=complete_record.pk).reason_for_involvement == "From tab two."


def test_the_case_pages_stale_message_does_not_guess_who_either():
    from closewell.cases.services import STALE_MESSAGE as CASE_STALE

    assert "Someone" not in CASE_STALE and "changed after you opened it" in CASE_STALE
    assert "Someone" not in services.STALE_MESSAGE and "Someone" not in services.STALE_ACTION_MESSAGE


def test_the_pre_filled_text_of_every_demo_case_passes_the_writing_advice(transactional_db):
    """The demo's cases (a fair sample of what councils record): every open case's pre-filled
    reason for involvement and interventions get no writing advice at all."""
    from django.core.management import call_command

    from closewell.cases.models import EpisodeStatus

    call_command("load_demo", verbosity=0)
    open_episodes = Episode.objects.exclude(status=EpisodeStatus.CLOSED).select_related("child")
    assert open_episodes.count() >= 5
    for episode in open_episodes:
        record = ClosureRecord(
            episode=episode,
            author=episode.worker,
            decision_date=episode.referral_date,
            decision_by="Invented",
            reason_for_involvement=services._prefill_involvement(episode),
            interventions=services._prefill_interventions(episode),
        )
        for section in ("involvement", "interventions"):
            advice = advice_for_section(record, section)
            assert advice.items == [], (episode.child, section, [a.message for a in advice.items])
