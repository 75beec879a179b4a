"""The Closure Record's workflow: start, edit without lost updates, submit, return, authorise."""

import hashlib
import json
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from closewell.audit.models import AuditEvent
from closewell.audit.services import verify_chain
from closewell.cases.models import Contact, EpisodeStatus
from closewell.cases.services import contact_create, episode_open
from closewell.closures import services
from closewell.closures.models import TRANSITIONS, ClosureRecord, Status
from closewell.core.errors import DomainError

from .conftest import days_ago, deal_with_comments


def submit(record, actor):
    return services.closure_submit(actor=actor, record=record)


def test_start_prefills_from_the_case_and_marks_the_episode_closing(case):
    record = services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(3), decision_by="Wendy Ash"
    )
    case.episode.refresh_from_db()
    assert case.episode.status == EpisodeStatus.CLOSING
    assert "Ruby was referred to us on" in record.reason_for_involvement
    assert "domestic abuse" in record.reason_for_involvement.lower()
    assert "home visit, Ruby seen" in record.interventions
    # Facts from the case, never the worker's notes copied in as prose.
    assert "Saw Ruby in her room." not in record.interventions
    assert "Called Jess." not in record.interventions  # indirect work is not pre-filled as a visit
    assert {v.person_id for v in record.parent_views.all()} == {case.mother.pk, case.father.pk}
    assert AuditEvent.objects.filter(object_type="closures.ClosureRecord", action="create").exists()


def test_one_live_record_per_episode(case):
    services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(3), decision_by="W"
    )
    with pytest.raises(DomainError, match="already has a Closure Record"):
        services.closure_start(
            actor=case.worker, episode=case.episode, decision_date=days_ago(3), decision_by="W"
        )


def test_another_teams_worker_cannot_start_or_edit(case, complete_record):
    with pytest.raises(PermissionDenied):
        services.closure_update(
            actor=case.other_worker,
            record=complete_record,
            section="involvement",
            version=complete_record.version,
            data={"reason_for_involvement": "x"},
        )


def test_stale_save_is_refused_and_changes_nothing(case, complete_record):
    opened_at = complete_record.version
    services.closure_update(
        actor=case.manager,
        record=complete_record,
        section="involvement",
        version=opened_at,
        data={"reason_for_involvement": "Manager's text"},
    )
    with pytest.raises(DomainError) as refused:
        services.closure_update(
            actor=case.worker,
            record=complete_record,
            section="involvement",
            version=opened_at,
            data={"reason_for_involvement": "Worker's text"},
        )
    assert refused.value.field == "version"
    complete_record.refresh_from_db()
    assert complete_record.reason_for_involvement == "Manager's text"


def test_submit_refuses_an_incomplete_record_listing_each_problem(case):
    record = services.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(3), decision_by="W"
    )
    with pytest.raises(services.RecordIncomplete) as refused:
        submit(record, case.worker)
    sections = {p.section for p in refused.value.problems}
    assert {"reason", "child_views", "parent_views", "domestic_abuse", "review"} <= sections
    record.refresh_from_db()
    assert record.status == Status.DRAFT


def test_submit_tells_the_managers(case, complete_record, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = submit(complete_record, case.worker)
    assert record.status == Status.SUBMITTED and record.submitted_at
    assert record.is_editable is False
    assert [m.to for m in mail.outbox] == [["m@example.invalid"]]


def test_submitted_record_cannot_be_edited(case, complete_record):
    record = submit(complete_record, case.worker)
    with pytest.raises(DomainError, match="cannot be changed"):
        services.closure_update(
            actor=case.worker,
            record=record,
            section="involvement",
            version=record.version,
            data={"reason_for_involvement": "x"},
        )


def test_return_needs_a_comment_and_a_manager_of_the_team(
    case, complete_record, django_capture_on_commit_callbacks
):
    record = submit(complete_record, case.worker)
    with pytest.raises(DomainError, match="at least one comment"):
        services.closure_return(actor=case.manager, record=record, comments=[("reason", " ")])
    with pytest.raises(PermissionDenied):
        services.closure_return(actor=case.other_manager, record=record, comments=[("reason", "More")])
    with pytest.raises(PermissionDenied):
        services.closure_return(actor=case.worker, record=record, comments=[("reason", "More")])
    with django_capture_on_commit_callbacks(execute=True):
        record = services.closure_return(
            actor=case.manager, record=record, comments=[("child_views", "Quote Ruby's own words.")]
        )
    assert record.status == Status.RETURNED
    assert record.comments.get().section == "child_views"
    assert mail.outbox[-1].to == ["w@example.invalid"]


def test_resubmission_after_return_needs_each_comment_dealt_with(case, complete_record):
    record = submit(complete_record, case.worker)
    record = services.closure_return(actor=case.manager, record=record, comments=[("reason", "Say more.")])
    record = services.closure_update(
        actor=case.worker,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_for_closure": "Ruby is safe; school attendance 98%."},
    )
    with pytest.raises(services.RecordIncomplete) as refused:
        submit(record, case.worker)
    assert [p.rule for p in refused.value.problems] == ["comment"]
    comment = record.comments.get()
    services.comment_answer(
        actor=case.worker,
        comment=comment,
        version=comment.version,
        answer="Added the figures.",
        dealt_with=True,
    )
    record = submit(record, case.worker)
    assert record.status == Status.SUBMITTED
    assert not record.comments.filter(resolved=False).exists()


def test_authorisation_closes_the_episode_at_that_moment(
    case, complete_record, django_capture_on_commit_callbacks
):
    record = submit(complete_record, case.worker)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        record = services.closure_authorise(actor=case.manager, record=record)
    episode = record.episode
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert before <= episode.closed_at == record.authorised_at
    assert episode.closure_date == timezone.localdate(record.authorised_at)
    assert episode.reason_for_closure == "RC7"
    case.plan.refresh_from_db()
    assert case.plan.end_date == episode.closure_date
    assert mail.outbox[-1].subject == "Closure Record authorised"


def test_authorisation_only_by_a_manager_of_the_team_never_the_author(case, complete_record):
    record = submit(complete_record, case.worker)
    for actor in (case.worker, case.other_manager, case.data):
        with pytest.raises(PermissionDenied):
            services.closure_authorise(actor=actor, record=record)
    ClosureRecord.objects.filter(pk=record.pk).update(author=case.manager)
    record.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.closure_authorise(actor=case.manager, record=record)


def test_rules_are_checked_again_at_authorisation(case, complete_record):
    record = submit(complete_record, case.worker)
    case.assessment.authorisation_date = None
    case.assessment.save()
    with pytest.raises(services.RecordIncomplete) as refused:
        services.closure_authorise(actor=case.manager, record=record)
    assert [p.rule for p in refused.value.problems] == ["8867"]
    case.episode.refresh_from_db()
    assert case.episode.status == EpisodeStatus.CLOSING


def test_authorised_record_is_frozen_with_its_digest(case, complete_record):
    record = services.closure_authorise(actor=case.manager, record=submit(complete_record, case.worker))
    canonical = json.dumps(record.snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode()).hexdigest() == record.snapshot_sha256
    assert record.snapshot["reason"]["code"] == "RC7"
    assert record.snapshot["authorisation"]["by"] == "Mo Birch"
    frozen = record.snapshot
    case.child.first_name = "Renamed"
    case.child.save()
    record.refresh_from_db()
    assert record.snapshot == frozen
    with pytest.raises(DomainError):
        services.closure_update(
            actor=case.worker,
            record=record,
            section="involvement",
            version=record.version,
            data={"reason_for_involvement": "x"},
        )


def test_no_activity_after_closure(case, complete_record):
    services.closure_authorise(actor=case.manager, record=submit(complete_record, case.worker))
    case.episode.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        contact_create(
            actor=case.worker,
            episode=case.episode,
            occurred_at=timezone.now(),
            kind="telephone",
            note="Late call",
        )
    assert not Contact.objects.filter(note="Late call").exists()


def test_transition_table_refuses_moves_not_in_it(case, complete_record):
    assert Status.AUTHORISED not in TRANSITIONS[Status.DRAFT]
    with pytest.raises(DomainError, match="cannot be authorised"):
        services.transition(actor=case.manager, record=complete_record, to=Status.AUTHORISED, summary="x")
    with pytest.raises(DomainError, match="Only a submitted record"):
        services.closure_authorise(actor=case.manager, record=complete_record)


def test_withdraw_reopens_the_episode(case, complete_record):
    record = services.closure_withdraw(actor=case.worker, record=complete_record, reason="Family moved back")
    case.episode.refresh_from_db()
    assert record.status == Status.WITHDRAWN and case.episode.status == EpisodeStatus.OPEN
    with pytest.raises(DomainError):
        services.closure_submit(actor=case.worker, record=record)


def test_addendum_is_written_and_authorised_the_same_way(case, complete_record):
    original = services.closure_authorise(actor=case.manager, record=submit(complete_record, case.worker))
    addendum = services.addendum_start(
        reason="A date in the record is wrong.", actor=case.worker, record=original
    )
    with pytest.raises(services.RecordIncomplete):
        submit(addendum, case.worker)
    addendum = services.closure_update(
        actor=case.worker,
        record=addendum,
        section="addendum",
        version=addendum.version,
        data={"addendum_text": "The date of the review was 3 May."},
    )
    addendum = services.closure_authorise(actor=case.manager, record=submit(addendum, case.worker))
    original.refresh_from_db()
    assert addendum.is_authorised and addendum.addendum_to == original
    assert original.snapshot_sha256 and original.status == Status.AUTHORISED


def test_one_addendum_at_a_time(case, complete_record):
    """A second addendum is refused while one is in progress; once it is authorised (or withdrawn)
    the next correction can start."""
    original = services.closure_authorise(actor=case.manager, record=submit(complete_record, case.worker))
    first = services.addendum_start(
        reason="A date in the record is wrong.", actor=case.worker, record=original
    )
    with pytest.raises(DomainError, match="already has an addendum in progress"):
        services.addendum_start(reason="A date in the record is wrong.", actor=case.manager, record=original)
    services.closure_withdraw(actor=case.worker, record=first, reason="Started by mistake.")
    second = services.addendum_start(
        reason="A date in the record is wrong.", actor=case.manager, record=original
    )
    assert ClosureRecord.objects.filter(addendum_to=original, status=Status.DRAFT).get() == second


def test_only_the_team_starts_an_addendum(case, complete_record):
    original = services.closure_authorise(actor=case.manager, record=submit(complete_record, case.worker))
    for outsider in (case.data, case.other_worker, case.other_manager):
        with pytest.raises(PermissionDenied):
            services.addendum_start(reason="A date in the record is wrong.", actor=outsider, record=original)
    with pytest.raises(DomainError, match="only be added to an authorised"):
        services.addendum_start(
            reason="Another correction.",
            actor=case.worker,
            record=services.addendum_start(
                reason="A date in the record is wrong.", actor=case.worker, record=original
            ),
        )
    assert not ClosureRecord.objects.filter(addendum_to__addendum_to=original).exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_starting_an_addendum_at_once_make_one(case, complete_record):
    """Two connections press "Write an addendum" at the same moment: the original's row lock makes
    the second wait, then refuse, so the record has one draft addendum, not two."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks: select_for_update is a no-op there (PostgreSQL runs this)")
    original = services.closure_authorise(actor=case.manager, record=submit(complete_record, case.worker))
    barrier = threading.Barrier(2)
    outcomes = []

    def start(actor):
        try:
            mine = ClosureRecord.objects.select_related("episode__child").get(pk=original.pk)
            barrier.wait(timeout=10)
            services.addendum_start(reason="A date in the record is wrong.", actor=actor, record=mine)
            outcomes.append("started")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(who,)) for who in (case.worker, case.manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("started") == 1, outcomes
    assert ClosureRecord.objects.filter(addendum_to=original, status=Status.DRAFT).count() == 1


def test_re_referral_within_12_months_links_to_the_last_closure(case, complete_record):
    services.closure_authorise(actor=case.manager, record=submit(complete_record, case.worker))
    case.episode.refresh_from_db()
    again = episode_open(
        actor=case.worker,
        child=case.child,
        referral_date=timezone.localdate(),
        referral_source="2A",
        team=case.east,
        worker=case.worker,
    )
    assert again.is_re_referral and again.previous_episode == case.episode


def test_every_step_is_audited_and_the_chain_holds(case, complete_record):
    record = submit(complete_record, case.worker)
    record = services.closure_return(actor=case.manager, record=record, comments=[("reason", "More.")])
    deal_with_comments(record, case.worker)
    record = submit(record, case.worker)
    services.closure_authorise(actor=case.manager, record=record)
    summaries = list(
        AuditEvent.objects.filter(object_type="closures.ClosureRecord").values_list("action", flat=True)
    )
    assert summaries.count("transition") == 4
    assert summaries.count("update") >= 6
    assert sum(verify_chain()) > 0


@pytest.mark.django_db(transaction=True)
def test_two_managers_authorising_at_once_exactly_one_succeeds(case, complete_record):
    second = type(case.manager).objects.create_user("m3", role="team_manager")
    second.managed_teams.add(case.east)
    record = submit(complete_record, case.worker)
    barrier = threading.Barrier(2)
    outcomes = []

    def authorise(manager):
        try:
            barrier.wait(timeout=10)
            services.closure_authorise(actor=manager, record=ClosureRecord.objects.get(pk=record.pk))
            outcomes.append("authorised")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=authorise, args=(m,)) for m in (case.manager, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2
    assert outcomes.count("authorised") == 1
    assert (
        AuditEvent.objects.filter(
            object_type="closures.ClosureRecord", action="transition", after__status="authorised"
        ).count()
        == 1
    )


def test_stale_section_save_after_submit_by_another_is_refused(case, complete_record):
    opened_at = complete_record.version
    submit(complete_record, case.worker)
    with pytest.raises(DomainError):
        services.closure_update(
            actor=case.manager,
            record=complete_record,
            section="reason",
            version=opened_at,
            data={"reason_for_closure": "x"},
        )


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Saw Ruby. She was happy.", "Saw Ruby."),
        ("One long sentence without a stop " * 12, ("One long sentence without a stop " * 12).strip()),
        ("First line\nSecond line", "First line"),
        ("", ""),
    ],
)
def test_prefilled_interventions_keep_whole_sentences(note, expected):
    assert services.first_sentence(note) == expected
