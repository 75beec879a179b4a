"""The letter to the child: optional in the task list, noted (never required) when missing for a
child of 5 or over, advised on for the child's age, frozen and shown with the record, in the API."""

import pytest
from django.test import Client

from closewell.advice import engine
from closewell.advice.selectors import advice_for_section
from closewell.closures import selectors, services

from .conftest import days_ago

pytestmark = pytest.mark.django_db

LETTER = "Dear Ruby, you told me you feel safe at home now. We are stopping because things are better."


def _write(case, record, text=LETTER):
    return services.closure_update(
        actor=case.worker,
        record=record,
        section="letter",
        version=record.version,
        data={"letter_to_child": text},
    )


def _born(record, date_of_birth):
    child = record.episode.child
    child.date_of_birth = date_of_birth
    child.save()


def _task(record):
    return next(t for t in selectors.task_list(record) if t["section"] == "letter")


def test_the_task_list_shows_the_letter_as_optional_then_completed(case, complete_record):
    task = _task(complete_record)
    assert task["label"] == "A letter to the child"
    assert task["status"] == selectors.TaskStatus.OPTIONAL
    assert task["problems"] == []
    record = _write(case, complete_record)
    assert _task(record)["status"] == selectors.TaskStatus.COMPLETED
    client = Client()
    client.force_login(case.worker)
    page = client.get(f"/closures/{record.pk}/").content.decode()
    assert "A letter to the child" in page
    assert f'href="/closures/{record.pk}/section/letter/"' in page
    # The optional letter does not count among the sections to complete.
    assert "You have completed 7 of 7 sections." in page


def test_a_missing_letter_is_noted_for_a_child_of_5_or_over_and_never_blocks(case, complete_record):
    _born(complete_record, days_ago(9 * 365 + 10))
    assert selectors.letter_note(complete_record) == "Ruby is 9: there is no letter to Ruby."
    worker, manager = Client(), Client()
    worker.force_login(case.worker)
    manager.force_login(case.manager)
    check = worker.get(f"/closures/{complete_record.pk}/check/").content.decode()
    assert "Ruby is 9: there is no letter to Ruby." in check and "govuk-warning-text" in check
    record = services.closure_submit(actor=case.worker, record=complete_record)  # not blocked
    review = manager.get(f"/closures/{record.pk}/review/").content.decode()
    assert "Ruby is 9: there is no letter to Ruby." in review
    record = services.closure_authorise(actor=case.manager, record=record)
    assert record.is_authorised
    assert record.snapshot["letter_to_child"] == ""


def test_no_note_under_5_or_with_a_letter(case, complete_record):
    _born(complete_record, days_ago(4 * 365))
    assert selectors.letter_note(complete_record) == ""
    _born(complete_record, days_ago(9 * 365 + 10))
    assert selectors.letter_note(_write(case, complete_record)) == ""


def test_the_letter_is_frozen_and_shown_on_the_record(case, complete_record):
    record = _write(case, complete_record)
    client = Client()
    client.force_login(case.worker)
    check = client.get(f"/closures/{record.pk}/check/").content.decode()
    assert 'id="section-letter"' in check and "you told me you feel safe" in check
    assert "there is no letter" not in check
    record = services.closure_authorise(
        actor=case.manager, record=services.closure_submit(actor=case.worker, record=record)
    )
    assert record.snapshot["letter_to_child"] == LETTER
    page = client.get(f"/closures/{record.pk}/").content.decode()
    assert "A letter to the child" in page and "you told me you feel safe" in page


def test_the_letter_page_guides_the_writer(case, complete_record):
    client = Client()
    client.force_login(case.worker)
    page = client.get(f"/closures/{complete_record.pk}/section/letter/").content.decode()
    assert "Write to Ruby as “you”" in page
    assert "why we got involved" in page and "who to contact" in page
    assert "it is their whole copy" in page  # Ruby is under 12
    # Guidance only: the letter box starts empty, nothing is submitted unread.
    assert 'name="letter_to_child"' in page
    assert "Dear" not in page


def test_the_letter_gets_advice_for_a_child(case, complete_record):
    about = "The child was referred because the mother failed to engage. The child said things are better."
    record = _write(case, complete_record, about)
    kinds = {item.kind for field in advice_for_section(record, "letter").fields for item in field.items}
    assert engine.Kind.NOT_TO_CHILD in kinds  # not written to Ruby as "you"
    assert engine.Kind.ROLE in kinds  # "the child", "the mother"
    assert engine.Kind.LABEL in kinds  # "failed to engage"
    record = _write(case, record, LETTER)
    kinds = {item.kind for field in advice_for_section(record, "letter").fields for item in field.items}
    assert engine.Kind.NOT_TO_CHILD not in kinds and engine.Kind.ROLE not in kinds


def test_the_reading_ease_aim_follows_the_childs_age():
    assert engine.letter_reading_ease(6, 60) == 90
    assert engine.letter_reading_ease(10, 60) == 80
    assert engine.letter_reading_ease(13, 60) == 70
    assert engine.letter_reading_ease(16, 60) == 60
    assert engine.letter_reading_ease(None, 60) == 60
    assert engine.letter_reading_ease(6, 95) == 95  # never below the council's own target
    # Plain enough for an adult (the council's target), not for a child of 7.
    formal = (
        "You told me that school has been better this term. Your teacher explained that your attendance "
        "has improved considerably, and that you are concentrating in lessons. We discussed what happens "
        "next, and you decided you wanted our involvement to finish."
    )

    def advice(age):
        found = engine.advise_text(
            formal,
            lexicon=engine.Lexicon(),
            facts=engine.Facts(),
            targets=engine.Targets(),
            child_age=age,
            to_child="Ruby",
        )
        return {a.kind for a in found}

    assert engine.Kind.READABILITY in advice(7)
    assert engine.Kind.READABILITY not in advice(16)


def test_the_api_takes_and_describes_the_letter(case, complete_record):
    from rest_framework.test import APIClient

    from closewell.api.services import token_create

    schema = Client().get("/api/v1/openapi.json").json()
    body = schema["components"]["schemas"]
    assert "LetterSectionUpdateRequest" in body or "LetterSectionUpdate" in body
    client = APIClient()
    _, key = token_create(actor=None, user=case.worker)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.put(
        f"/api/v1/closure-records/{complete_record.pk}/sections/letter/",
        {"version": complete_record.version, "data": {"letter_to_child": LETTER}},
        format="json",
    )
    assert response.status_code == 200, response.content
    complete_record.refresh_from_db()
    assert complete_record.letter_to_child == LETTER
