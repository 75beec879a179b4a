"""A return loop that closes: comments beside their sections (any number), the worker's answers and
"dealt with", the section's status following, and the manager seeing what changed since the return."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from closewell.api.services import token_create
from closewell.audit.models import AuditEvent
from closewell.closures import changes, selectors, services
from closewell.closures.forms import MAX_COMMENTS_PER_SECTION, return_counts
from closewell.closures.models import Status
from closewell.core.errors import DomainError

NEW_REASON = "Ruby is safe at home; school attendance rose to 98% since March."


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def returned(case, complete_record):
    """The complete record, submitted and returned with two comments on one section and one on another."""
    record = services.closure_submit(actor=case.worker, record=complete_record)
    return services.closure_return(
        actor=case.manager,
        record=record,
        comments=[
            ("reason", "Say what changed for Ruby, with figures."),
            ("child_views", "Quote Ruby's own words."),
            ("reason", "Give the date Ruby went back to school."),
        ],
    )


def answer(case, comment, text="Done.", dealt_with=True):
    comment.refresh_from_db()
    return services.comment_answer(
        actor=case.worker, comment=comment, version=comment.version, answer=text, dealt_with=dealt_with
    )


def save_reason(case, record, text=NEW_REASON):
    record.refresh_from_db()
    return services.closure_update(
        actor=case.worker,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_for_closure": text},
    )


def statuses(record) -> dict:
    return {task["section"]: task["status"] for task in selectors.task_list(record)}


# --- Services ----------------------------------------------------------------------------------------


def test_return_keeps_each_comment_with_its_section_as_it_stood(case, returned):
    comments = list(returned.comments.order_by("pk"))
    assert [c.section for c in comments] == ["reason", "child_views", "reason"]
    assert {c.round for c in comments} == {1}
    assert comments[0].section_before["text"] == returned.reason_for_closure
    assert comments[1].section_before["views"] == returned.child_views
    events = AuditEvent.objects.filter(object_type="closures.ReturnComment", action="create")
    assert events.count() == 3
    assert all(e.summary.startswith("Commented on") for e in events)


def test_return_refuses_a_section_not_due_on_the_record(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    with pytest.raises(DomainError, match="Choose the section"):
        services.closure_return(actor=case.manager, record=record, comments=[("addendum", "Fix it")])
    with pytest.raises(DomainError, match="at least one comment"):
        services.closure_return(actor=case.manager, record=record, comments=[("reason", "  ")])


def test_a_second_return_is_the_next_round(case, returned):
    for comment in returned.comments.all():
        answer(case, comment)
    record = services.closure_submit(actor=case.worker, record=returned)
    record = services.closure_return(actor=case.manager, record=record, comments=[("reason", "Shorter.")])
    assert list(record.comments.filter(round=2).values_list("text", flat=True)) == ["Shorter."]
    assert [c.text for c in selectors.latest_comments(record)] == ["Shorter."]


def test_the_section_needs_attention_until_each_of_its_comments_is_dealt_with(case, returned):
    first, views, second = returned.comments.order_by("pk")
    assert statuses(returned)["reason"] == "Needs attention"
    assert statuses(returned)["child_views"] == "Needs attention"
    save_reason(case, returned)
    answer(case, first)
    assert statuses(returned)["reason"] == "Needs attention"  # one of its two comments is still open
    answer(case, second)
    assert statuses(returned)["reason"] == "Completed"
    assert statuses(returned)["child_views"] == "Needs attention"
    answer(case, views)
    tasks = selectors.task_list(returned)
    required = [t for t in tasks if not t["optional"]]
    assert all(t["status"] == "Completed" for t in required)


def test_the_count_of_completed_sections_tells_the_truth(case, returned):
    page = client(case.worker).get(reverse("closures:record", args=[returned.pk]))
    required = sum(not t["optional"] for t in selectors.task_list(returned))
    assert f"You have completed {required - 2} of {required}" in page.content.decode()
    for comment in returned.comments.all():
        answer(case, comment)
    page = client(case.worker).get(reverse("closures:record", args=[returned.pk]))
    assert f"You have completed {required} of {required}" in page.content.decode()


def test_submit_is_refused_until_every_comment_is_dealt_with(case, returned):
    comments = list(returned.comments.order_by("pk"))
    for comment in comments[:2]:
        answer(case, comment)
    with pytest.raises(services.RecordIncomplete) as refused:
        services.closure_submit(actor=case.worker, record=returned)
    assert [(p.section, p.rule) for p in refused.value.problems] == [("reason", "comment")]
    answer(case, comments[2])
    assert services.closure_submit(actor=case.worker, record=returned).status == Status.SUBMITTED


def test_dealt_with_needs_an_answer(case, returned):
    comment = returned.comments.first()
    with pytest.raises(DomainError, match="Write your answer"):
        answer(case, comment, text="   ")
    answered = answer(case, comment, text="Figures added.", dealt_with=False)
    assert answered.answer == "Figures added." and not answered.resolved
    assert answered.answered_by == case.worker and answered.answered_at is not None
    done = answer(case, comment, text="Figures added.")
    assert done.resolved and done.dealt_with_at is not None
    undone = answer(case, comment, text="Figures added.", dealt_with=False)
    assert not undone.resolved and undone.dealt_with_at is None


def test_an_answer_from_a_stale_page_is_refused(case, returned):
    comment = returned.comments.first()
    read = comment.version
    answer(case, comment, text="First tab.", dealt_with=False)
    with pytest.raises(DomainError, match="changed since you opened"):
        services.comment_answer(
            actor=case.worker, comment=comment, version=read, answer="Second tab.", dealt_with=True
        )
    comment.refresh_from_db()
    assert comment.answer == "First tab."


def test_only_those_who_may_edit_the_record_answer_while_it_is_returned(case, returned):
    comment = returned.comments.first()
    for outsider in (case.other_worker, case.other_manager, case.data):
        with pytest.raises(PermissionDenied):
            services.comment_answer(
                actor=outsider, comment=comment, version=comment.version, answer="x", dealt_with=False
            )
    for each in returned.comments.all():
        answer(case, each)
    services.closure_submit(actor=case.worker, record=returned)
    with pytest.raises(DomainError, match="comments cannot be answered"):
        answer(case, comment, text="Later.")


def test_answer_and_dealt_with_are_audited(case, returned):
    comment = returned.comments.first()
    answer(case, comment, text="Figures added.", dealt_with=True)
    summaries = list(
        AuditEvent.objects.filter(object_type="closures.ReturnComment", object_id=str(comment.pk))
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries[-2:] == [
        "Answered the manager's comment on “Reason for closure”",
        "Marked the manager's comment on “Reason for closure” dealt with",
    ]


def test_the_manager_sees_each_comment_its_answer_and_what_changed(case, returned):
    old = returned.reason_for_closure
    save_reason(case, returned)
    for comment in returned.comments.all():
        answer(case, comment, text=f"Answered: {comment.text}")
    returned.refresh_from_db()
    loop = selectors.return_loop(returned)
    assert set(loop) == {"reason", "child_views"}
    assert len(loop["reason"]["comments"]) == 2
    assert loop["reason"]["changed"] and not loop["child_views"]["changed"]
    added = " ".join(p.text for p in loop["reason"]["pieces"] if p.kind == changes.ADDED)
    removed = " ".join(p.text for p in loop["reason"]["pieces"] if p.kind == changes.REMOVED)
    assert "98%" in added
    assert set(removed.split()) <= set(old.split())


# --- The word-level difference --------------------------------------------------------------------

words = st.lists(st.sampled_from(["Ruby", "school", "98%", "safe", "“home”", "Jess", "\n"]), max_size=30)


@settings(max_examples=60, deadline=None)
@given(before=words, after=words)
def test_the_difference_rebuilds_both_texts(before, after):
    """Whatever the words, the equal and removed runs are the old text and the equal and added runs
    the new one: nothing is lost or invented by the highlighting."""
    old, new = " ".join(before), " ".join(after)
    pieces = changes.word_diff({"text": old}, {"text": new})
    as_old = " ".join(p.text for p in pieces if p.kind != changes.ADDED).split()
    as_new = " ".join(p.text for p in pieces if p.kind != changes.REMOVED).split()
    assert as_old == ["Text:", *old.split()] if old.split() else as_old == []
    assert as_new == ["Text:", *new.split()] if new.split() else as_new == []
    assert changes.changed(pieces) == (old.split() != new.split())


def test_a_line_broken_elsewhere_is_not_a_change():
    """The same words with a line break moved: nothing added or removed, and the new lines shown."""
    pieces = changes.word_diff({"text": "Ruby\nRuby went to school"}, {"text": "Ruby Ruby\nwent to school"})
    assert not changes.changed(pieces)
    assert [p.text for p in pieces] == ["Text: Ruby Ruby\nwent to school\n"]
    pieces = changes.word_diff({"text": "Ruby\nJess"}, {"text": "Ruby Jess safe"})
    assert [(p.kind, p.text.strip()) for p in pieces] == [
        (changes.EQUAL, "Text: Ruby Jess"),
        (changes.ADDED, "safe"),
    ]


def test_lines_read_every_kind_of_part():
    part = {"discussed": True, "date": "2026-11-20", "required": True, "rows": [{"id": 3, "outcome": "Met"}]}
    assert changes.lines(part) == ["Discussed: Yes", "Date: 2026-11-20", "Rows: Outcome: Met"]


# --- Pages ------------------------------------------------------------------------------------------


def test_the_review_page_has_a_comment_box_beside_each_section(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    page = client(case.manager).get(reverse("closures:review", args=[record.pk])).content.decode()
    assert page.count("Add a comment") >= 7
    assert 'id="return-form"' in page
    assert 'name="comment_reason_1"' in page and 'form="return-form"' in page
    assert "comment_1_section" not in page  # no fixed slots at the bottom


def test_add_another_comment_keeps_what_was_typed_and_adds_a_box(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    url = reverse("closures:review", args=[record.pk])
    page = client(case.manager).post(
        url, {"add": "reason", "count_reason": "1", "comment_reason_1": "First point."}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" not in html
    assert 'name="comment_reason_2"' in html and "First point." in html
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED  # adding a box sends nothing


def test_returning_sends_every_comment_written_beside_its_section(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    response = client(case.manager).post(
        reverse("closures:review", args=[record.pk]),
        {
            "count_reason": "2",
            "comment_reason_1": "First point.",
            "comment_reason_2": "Second point.",
            "count_child_views": "1",
            "comment_child_views_1": "Ruby's words.",
        },
    )
    assert response.status_code == 302
    assert list(record.comments.order_by("pk").values_list("section", "text")) == [
        ("reason", "First point."),
        ("reason", "Second point."),
        ("child_views", "Ruby's words."),
    ]


def test_returning_with_no_comment_says_what_to_do(case, complete_record):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    page = client(case.manager).post(reverse("closures:review", args=[record.pk]), {"count_reason": "1"})
    html = page.content.decode()
    assert "Write a comment beside each section that needs amending" in html
    assert 'href="#id_comment_involvement_1"' in html


@settings(max_examples=25, deadline=None)
@given(count=st.one_of(st.text(max_size=6), st.integers(-5, 100).map(str)))
def test_any_box_count_sent_back_is_kept_within_bounds(count):
    counts, added = return_counts({"count_reason": count, "add": "reason"}, [("reason", "Reason")])
    assert 2 <= counts["reason"] <= MAX_COMMENTS_PER_SECTION and added == "reason"


def test_the_section_page_shows_each_comment_with_its_answer_form(case, returned):
    page = client(case.worker).get(reverse("closures:section", args=[returned.pk, "reason"]))
    html = page.content.decode()
    for comment in returned.comments.filter(section="reason"):
        assert comment.text in html
        assert reverse("closures:comment", args=[returned.pk, comment.pk]) in html
    assert "I have dealt with this comment" in html


def test_answering_on_the_page_marks_it_dealt_with(case, returned):
    comment = returned.comments.first()
    url = reverse("closures:comment", args=[returned.pk, comment.pk])
    prefix = f"comment-{comment.pk}"
    response = client(case.worker).post(
        url,
        {
            f"{prefix}-version": comment.version,
            f"{prefix}-answer": "Figures added.",
            f"{prefix}-dealt_with": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/section/reason/#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.resolved and comment.answer == "Figures added."


def test_dealt_with_without_an_answer_is_shown_again_with_the_error(case, returned):
    comment = returned.comments.first()
    prefix = f"comment-{comment.pk}"
    page = client(case.worker).post(
        reverse("closures:comment", args=[returned.pk, comment.pk]),
        {f"{prefix}-version": comment.version, f"{prefix}-answer": "", f"{prefix}-dealt_with": "on"},
    )
    assert page.status_code == 200
    assert "Write your answer before marking the comment dealt with" in page.content.decode()
    comment.refresh_from_db()
    assert not comment.resolved


def test_another_teams_worker_gets_404_for_a_comment(case, returned):
    comment = returned.comments.first()
    url = reverse("closures:comment", args=[returned.pk, comment.pk])
    assert client(case.other_worker).get(url).status_code == 404
    assert client(case.worker).get(reverse("closures:comment", args=[returned.pk, 999999])).status_code == 404


def test_the_task_list_shows_each_comment_its_answer_and_state(case, returned):
    comment = returned.comments.first()
    answer(case, comment, text="Figures added.")
    html = client(case.worker).get(reverse("closures:record", args=[returned.pk])).content.decode()
    assert "Manager's comment: Say what changed for Ruby, with figures." in html
    assert "Your answer: Figures added." in html
    assert "Dealt with" in html and "Not dealt with yet" in html


def test_the_review_of_the_record_sent_back_shows_answers_and_the_difference(case, returned):
    save_reason(case, returned)
    for comment in returned.comments.all():
        answer(case, comment, text=f"Answer to: {comment.text}")
    record = services.closure_submit(actor=case.worker, record=returned)
    html = client(case.manager).get(reverse("closures:review", args=[record.pk])).content.decode()
    assert "Answer to: Say what changed for Ruby, with figures." in html
    assert "<ins" in html and "<del" in html
    assert "added:" in html and "removed:" in html  # said in words, not by colour alone
    assert "Nothing in this section changed since it was returned." in html  # child's views


# --- API --------------------------------------------------------------------------------------------


def api_client(user):
    c = APIClient()
    _, key = token_create(actor=None, user=user)
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return c


def test_the_api_answers_a_comment_and_shows_the_loop(case, returned):
    comment = returned.comments.first()
    url = f"/api/v1/closure-records/{returned.pk}/comments/{comment.pk}/"
    api = api_client(case.worker)
    refused = api.put(url, {"version": comment.version, "answer": "", "dealt_with": True}, format="json")
    assert refused.status_code == 400 and "answer" in refused.json()["errors"]
    done = api.put(url, {"version": comment.version, "answer": "Added.", "dealt_with": True}, format="json")
    assert done.status_code == 200 and done.json()["dealt_with"] is True
    stale = api.put(url, {"version": comment.version, "answer": "Again.", "dealt_with": True}, format="json")
    assert stale.status_code == 400
    assert api_client(case.other_worker).get(url).status_code == 404
    assert (
        api_client(case.data)
        .put(url, {"version": 2, "answer": "x", "dealt_with": False}, format="json")
        .status_code
        == 403
    )
    record = api.get(f"/api/v1/closure-records/{returned.pk}/").json()
    first = record["comments"][0]
    assert first["answer"] == "Added." and first["round"] == 1 and first["section"] == "reason"
    assert {piece["kind"] for piece in first["changes"]} == {"equal"}


def test_the_schema_documents_the_comment_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    path = schema["paths"]["/api/v1/closure-records/{id}/comments/{comment_pk}/"]
    assert {"get", "put"} <= set(path)
    assert "ReturnComment" in schema["components"]["schemas"]
    assert "out_of_date" in schema["components"]["schemas"]["Signature"]["properties"]


def test_key_order_alone_is_not_a_change():
    """PostgreSQL's jsonb gives a stored part back with its keys in its own order."""
    before = {"views": "Ruby said “yes”.", "date": "2026-11-20", "discussed": True}
    after = {"discussed": True, "date": "2026-11-20", "views": "Ruby said “yes”."}
    assert not changes.changed(changes.word_diff(before, after))
