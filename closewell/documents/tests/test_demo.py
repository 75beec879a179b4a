"""Done when: the demo domestic-abuse case (Jayden Cole, NM100002) goes from an authorised Closure
Record to three copies — the child's, his mother's and the perpetrator's — with the right stamps and
withholding, as the worker and manager of the demo would do it."""

import re

import pytest
from django.utils import timezone

from closewell.accounts.models import User
from closewell.cases.models import Episode
from closewell.closures import services as closures
from closewell.closures.sections import problems
from closewell.core.dates import long_date
from closewell.demo.demo import load_demo
from closewell.documents import services

from .conftest import SIGNATURE_PNG, pdf_pages

pytestmark = pytest.mark.django_db

ADDRESS = "Flat 6, Heron Court, Northmoor NM2 7LX"
PHONE = "07700 900631"


def _fill(worker, record):
    """What the worker writes for Jayden, with the mother's address and phone in the narrative too
    (the kind of slip the withholding must catch)."""
    episode = record.episode
    family = {p.first_name: p for p in (link.person for link in episode.child.relationships.all())}
    sections = {
        # Read and saved as pre-filled (a pre-filled section shows "Check" until it is saved).
        "involvement": {"reason_for_involvement": record.reason_for_involvement},
        "interventions": {"interventions": record.interventions},
        "review": {},  # the planned actions as the case has them, read and saved
        "reason": {
            "reason_for_closure": "Jayden and Ms Cole are safe and settled at Flat 6, Heron Court, "
            "Northmoor NM2 7LX. Ms Cole can be reached on 07700900631.",
            "reason_code": "RC7",
        },
        "child_views": {
            "child_discussed": True,
            "child_discussed_date": timezone.localdate(),
            "child_views": 'Jayden said: "It\'s better now. I like my room."',
        },
        "domestic_abuse": {
            "da_work_with_perpetrator": "Mr Doyle is doing the Building Better Relationships programme.",
            "da_if_released": "Probation tell children's services before release; new assessment.",
            "da_if_resumed": "A new referral and assessment straight away.",
        },
    }
    for section, data in sections.items():
        record = closures.closure_update(
            actor=worker, record=record, section=section, version=record.version, data=data
        )
    views = {}
    for link in episode.child.relationships.all():
        if link.is_parent_or_carer:
            views[link.person_id] = {
                "discussed": True,
                "discussed_date": timezone.localdate(),
                "views": f"{link.person.first_name} agrees the case can close.",
            }
    record = closures.closure_update(
        actor=worker, record=record, section="parent_views", version=record.version, data=views
    )
    assert problems(record) == [], problems(record)
    return record, family


def test_demo_case_to_three_copies():
    load_demo()
    worker = User.objects.get(username="worker.west")
    manager = User.objects.get(username="manager")
    episode = Episode.objects.get(child__la_child_id="NM100002")
    record = closures.closure_start(
        actor=worker,
        episode=episode,
        decision_date=timezone.localdate(),
        decision_by="Daniel Whitcombe with the team manager",
    )
    record, family = _fill(worker, record)
    today = timezone.localdate()
    services.signature_add(
        actor=worker, record=record, signer="child", method="drawn", signed_on=today, image=SIGNATURE_PNG
    )
    services.signature_add(
        actor=worker,
        record=record,
        signer=str(family["Leanne"].pk),
        method="drawn",
        signed_on=today,
        image=SIGNATURE_PNG,
    )
    services.signature_add(
        actor=worker,
        record=record,
        signer=str(family["Marcus"].pk),
        method="not_signed",
        signed_on=today,
        not_signed_reason="not_contacted",
        not_signed_detail="Did not answer calls or letters before closing.",
    )
    record = closures.closure_submit(actor=worker, record=record)
    record = closures.closure_authorise(actor=manager, record=record)

    child = services.copy_give(
        actor=worker, record=record, recipient_kind="child", given_on=today, method="in_person"
    )
    mother = services.copy_give(
        actor=worker,
        record=record,
        recipient_kind="person",
        person_id=family["Leanne"].pk,
        given_on=today,
        method="in_person",
    )
    doyle = services.copy_give(
        actor=worker,
        record=record,
        recipient_kind="person",
        person_id=family["Ryan"].pk,
        given_on=today,
        method="post",
    )

    given = long_date(today)
    assert child.stamp == f"Child's copy (Jayden Cole) — given {given}"
    assert mother.stamp == f"Parent's copy (Leanne Cole) — given {given}"
    assert doyle.stamp == f"Personal copy (Ryan Doyle, Parent's partner) — given {given}"
    for copy in (child, mother, doyle):
        pages = pdf_pages(bytes(copy.pdf))
        for number, text in enumerate(pages, start=1):
            assert copy.stamp in text
            assert f"Page {number} of {len(pages)}" in text
            assert "OFFICIAL-SENSITIVE" in text and "Jayden Cole" in text and "NM100002" in text

    mother_text = " ".join(pdf_pages(bytes(mother.pdf)))
    assert ADDRESS in mother_text and PHONE in mother_text
    assert doyle.release_status == "awaiting"
    doyle = services.copy_release(actor=manager, copy=doyle)
    for copy in (doyle, child):
        text = " ".join(pdf_pages(bytes(copy.pdf)))
        for secret in (ADDRESS, "Heron Court", "NM2 7LX", PHONE, "07700900631", "900631"):
            assert secret not in text
        assert "[Withheld: information about where someone lives]" in text
    doyle_text = " ".join(pdf_pages(bytes(doyle.pdf)))
    # What the new user found in the perpetrator's copy: the school, the district, the handover
    # place and the safety plan, all in free text.
    for secret in ("St Aidan", "NM2", "grandmother's home", "safety plan", "27 Quarry Lane", "900742"):
        assert secret not in re.sub(r"\[Withheld: [^\]]*\]", "", doyle_text), secret
    assert "[Withheld: a place that could show where someone is]" in doyle_text
    assert "[Withheld: the safety plan]" in doyle_text
    assert {w["kind"] for w in doyle.withheld} >= {"address", "phone", "place", "safety_plan", "outward_code"}
    # Separated parents do not get each other's details unless recorded as shareable: the child's and
    # the mother's copies leave out the father's address and mobile.
    for text in (mother_text, " ".join(pdf_pages(bytes(child.pdf)))):
        assert "27 Quarry Lane" not in text and "07700 900742" not in text
    assert "St Aidan's Primary" in mother_text
