"""Copies that cannot put anyone at risk: a domestic-abuse case whose free text names the victim's
address, postcode and district, phone and email, the child's school and nursery, the handover place
and the other parent's contacts, given to the child, each parent and the perpetrator."""

import io
import subprocess
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from closewell.accounts.models import Role, User
from closewell.accounts.permissions import copy_permissions
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    DomesticAbuse,
    Episode,
    Person,
    Place,
    Plan,
    PlannedAction,
)
from closewell.closures import services as closures
from closewell.closures.tests.conftest import days_ago
from closewell.core.errors import DomainError
from closewell.documents import disclosure, pdf, services
from closewell.documents.models import Copy

pytestmark = pytest.mark.django_db

VICTIM_ADDRESS = "Flat 6, Heron Court, Northmoor NM2 7LX"
VICTIM_PHONE = "07700 900631"
VICTIM_EMAIL = "leanne.cole@example.invalid"
FATHER_ADDRESS = "27 Quarry Lane, Northmoor NM7 1HD"
FATHER_PHONE = "07700 900742"
FATHER_EMAIL = "marcus.bell@example.invalid"

REASON = (
    "Leanne and Jayden now live at Flat 6, Heron Court, Northmoor NM2 7LX (nm2 7lx on some letters); "
    "Mr Doyle's licence has an exclusion zone covering NM2. Leanne's new number is 07700 900 631 "
    "and her email is leanne.cole@example.invalid. Jayden goes to St Aidan's Primary and his sister "
    "to Little Acorns Nursery. Handovers are at Nana Bell's house on Elm Road. Marcus lives at 27 "
    "Quarry Lane, NM7 1HD, phone +44 7700 900742, email marcus.bell@example.invalid."
)
INVOLVEMENT = (
    "Police were called after Mr Doyle assaulted Ms Cole. She moved with Jayden to Heron\nCourt. "
    "Jayden has his own safety plan: his safe adults are his teacher and Nana Bell."
)
# What the perpetrator's copy must never hold, however it is written.
VICTIM_SECRETS = [
    "Heron Court",
    "Heron",
    "NM2 7LX",
    "nm2 7lx",
    "NM2",
    "07700 900 631",
    "07700 900631",
    "900631",
    "leanne.cole@example.invalid",
    "St Aidan",
    "Little Acorns",
    "Nana Bell",
    "Elm Road",
    "safe adults",
    "Quarry Lane",
    "NM7",
    "900742",
    "marcus.bell",
]


@pytest.fixture
def family(people):
    child = Child.objects.create(
        la_child_id="DA1",
        upn_unknown="UN5",
        first_name="Jayden",
        last_name="Cole",
        date_of_birth=days_ago(8 * 365),
        sex="M",
        disabilities=["NONE"],
    )
    mother = Person.objects.create(
        first_name="Leanne",
        last_name="Cole",
        address=VICTIM_ADDRESS,
        phone=VICTIM_PHONE,
        email=VICTIM_EMAIL,
        contact_details_sensitive=True,
        sensitivity_reason="Moved to be safe from Mr Doyle",
    )
    father = Person.objects.create(
        first_name="Marcus", last_name="Bell", address=FATHER_ADDRESS, phone=FATHER_PHONE, email=FATHER_EMAIL
    )
    doyle = Person.objects.create(first_name="Ryan", last_name="Doyle", address="HMP Northmoor")
    ChildPerson.objects.create(child=child, person=mother, relationship="mother", lives_with_child=True)
    ChildPerson.objects.create(child=child, person=father, relationship="father")
    ChildPerson.objects.create(child=child, person=doyle, relationship="partner_of_parent")
    Place.objects.create(
        child=child, kind="school", name="St Aidan's Primary", address="Church Lane, NM2 4AB"
    )
    Place.objects.create(child=child, kind="nursery", name="Little Acorns Nursery")
    Place.objects.create(
        child=child,
        kind="handover",
        name="Nana Bell's house",
        also_known_as="his grandmother's house",
        address="5 Elm Road, Northmoor NM7 2CD",
    )
    episode = Episode.objects.create(
        child=child,
        referral_date=days_ago(200),
        referral_source="6",
        primary_need="N1",
        team=people.east,
        worker=people.worker,
    )
    Assessment.objects.create(
        episode=episode, start_date=days_ago(195), authorisation_date=days_ago(170), factors=["3A"]
    )
    plan = Plan.objects.create(episode=episode, kind="cin", start_date=days_ago(160))
    action = PlannedAction.objects.create(
        episode=episode,
        plan=plan,
        dimension="ensuring_safety",
        description="Safety planning with Ms Cole; handovers at his grandmother's house.",
        responsible="service",
        start_date=days_ago(150),
    )
    DomesticAbuse.objects.create(
        episode=episode, perpetrator=doyle, victim=mother, custody_status="in_custody"
    )
    manager2 = User.objects.create_user("m3", role=Role.TEAM_MANAGER, first_name="Nia", last_name="Oak")
    manager2.managed_teams.add(people.east)
    return SimpleNamespace(
        child=child, mother=mother, father=father, doyle=doyle, episode=episode, action=action,
        manager2=manager2, **vars(people),
    )  # fmt: skip


def _authorised(family, reason=REASON, not_signed=""):
    record = closures.closure_start(
        actor=family.worker, episode=family.episode, decision_date=days_ago(10), decision_by="Wendy Ash"
    )
    sections = {
        "involvement": {"reason_for_involvement": INVOLVEMENT},
        "interventions": {"interventions": "Weekly direct work with Jayden at St Aidan's."},
        "reason": {"reason_for_closure": reason, "reason_code": "RC7"},
        "child_views": {
            "child_discussed": True,
            "child_discussed_date": days_ago(5),
            "child_views": "Jayden said: “I feel safe at Nana Bell's house.”",
        },
        "domestic_abuse": {
            "da_work_with_perpetrator": "Mr Doyle is on a programme in prison.",
            "da_if_released": "Probation tell us first. The safety plan is reviewed at once.",
            "da_if_resumed": "A new referral and assessment straight away.",
        },
    }
    for section, data in sections.items():
        record = closures.closure_update(
            actor=family.worker, record=record, section=section, version=record.version, data=data
        )
    record = closures.closure_update(
        actor=family.worker,
        record=record,
        section="review",
        version=record.version,
        data={family.action.pk: {"actual_level": "6 sessions", "outcome": "Leanne knows the plan."}},
    )
    views = {
        family.mother.pk: {"discussed": True, "discussed_date": days_ago(6), "views": "Leanne agrees."},
        family.father.pk: {"discussed": True, "discussed_date": days_ago(6), "views": "Marcus agrees."},
    }
    record = closures.closure_update(
        actor=family.worker, record=record, section="parent_views", version=record.version, data=views
    )
    if not_signed:
        services.signature_add(
            actor=family.worker,
            record=record,
            signer=str(family.mother.pk),
            method="not_signed",
            signed_on=days_ago(3),
            not_signed_reason="other",
            not_signed_detail=not_signed,
        )
    record = closures.closure_submit(actor=family.worker, record=record)
    return closures.closure_authorise(actor=family.manager, record=record)


def _give(family, record, kind, **kwargs) -> Copy:
    return services.copy_give(
        actor=family.worker,
        record=record,
        recipient_kind=kind,
        given_on=record.authorised_at.date(),
        method="in_person",
        **kwargs,
    )


def pdftotext(content: bytes) -> str:
    """The copy's text as `pdftotext` (poppler) reads it, whitespace made single spaces."""
    command = ["pdftotext", "-layout", "-", "-"]  # poppler-utils, from Debian
    out = subprocess.run(command, input=content, capture_output=True, check=True)  # noqa: S603, S607
    return " ".join(out.stdout.decode().split())


def _text(copy: Copy) -> str:
    return pdftotext(bytes(Copy.objects.get(pk=copy.pk).pdf))


def test_copies_for_the_child_each_parent_and_the_perpetrator(family):
    record = _authorised(family)
    child = _give(family, record, "child")
    mother = _give(family, record, "person", person_id=family.mother.pk)
    father = _give(family, record, "person", person_id=family.father.pk)
    doyle = _give(family, record, "person", person_id=family.doyle.pk)
    assert (child.profile, mother.profile, father.profile, doyle.profile) == (
        "child", "parent", "parent", "perpetrator",
    )  # fmt: skip
    services.copy_release(actor=family.manager, copy=doyle)

    doyle_text = _text(doyle)
    for secret in VICTIM_SECRETS:
        assert secret.lower() not in doyle_text.lower(), secret
    assert "[Withheld: information about where someone lives]" in doyle_text
    assert "[Withheld: someone's telephone number]" in doyle_text
    assert "[Withheld: someone's email address]" in doyle_text
    assert "[Withheld: a place that could show where someone is]" in doyle_text
    assert "[Withheld: the safety plan]" in doyle_text
    assert "Ryan Doyle" in doyle_text and "HMP Northmoor" in doyle_text  # his own details

    mother_text, father_text, child_text = _text(mother), _text(father), _text(child)
    # Each parent's copy lacks the other's contacts, and keeps their own.
    for secret in ("Quarry Lane", "NM7 1HD", "900742", "marcus.bell"):
        assert secret.lower() not in mother_text.lower(), secret
        assert secret.lower() in father_text.lower(), secret
    for secret in ("Heron Court", "NM2 7LX", "900631", "leanne.cole"):
        assert secret.lower() not in father_text.lower(), secret
        assert secret.lower() in mother_text.lower(), secret
    # The child gets neither adult's contact details (none recorded as shareable); the school stays.
    for secret in ("Heron Court", "NM2 7LX", "900631", "Quarry Lane", "900742"):
        assert secret.lower() not in child_text.lower(), secret
    assert "St Aidan's Primary" in child_text

    # The register lists what was withheld from each: kind and section, never the words.
    doyle.refresh_from_db()
    kinds = {(w["kind"], w["section"]) for w in doyle.withheld}
    assert {("address", "4. Reason for closure"), ("postcode", "4. Reason for closure")} <= kinds
    assert {("phone", "4. Reason for closure"), ("email", "4. Reason for closure")} <= kinds
    assert ("place", "4. Reason for closure") in kinds and (
        "safety_plan",
        "1. Reason for involvement",
    ) in kinds
    assert ("outward_code", "4. Reason for closure") in kinds
    for copy in (doyle, mother, father, child):
        copy.refresh_from_db()
        register = repr(copy.withheld) + repr([line for line in copy.withheld_lines])
        for secret in ("Heron", "NM2", "900631", "Aidan", "Quarry"):
            assert secret not in register
    assert {w["kind"] for w in mother.withheld} >= {"address", "phone", "email"}
    assert doyle.released_by == family.manager


def test_a_perpetrators_copy_waits_for_a_second_person(family):
    record = _authorised(family)
    doyle = _give(family, record, "person", person_id=family.doyle.pk)
    assert doyle.release_status == "awaiting" and doyle.release_reasons == ["perpetrator"]
    with pytest.raises(services.CopyNotReleased):
        services.copy_download(actor=family.worker, copy=doyle)
    with pytest.raises(services.CopyNotReleased):
        services.copy_download(actor=family.manager, copy=doyle)
    # Not the worker, not a manager of another team: the copy's permission object says so too.
    assert not copy_permissions(family.worker, doyle).can_release
    assert not copy_permissions(family.other_manager, doyle).can_release
    assert copy_permissions(family.manager, doyle).can_release
    with pytest.raises(DomainError):
        services.copy_release(actor=family.worker, copy=doyle)
    with pytest.raises(PermissionDenied):
        services.copy_release(actor=family.other_manager, copy=doyle)
    released = services.copy_release(actor=family.manager, copy=doyle)
    assert released.release_status == "released"
    first = services.copy_download(actor=family.worker, copy=released)
    # A reprint is byte-identical, and so is a fresh render from what the copy was made with.
    assert services.copy_download(actor=family.worker, copy=released) == first
    assert services.copy_document(record, released, services.signatures_for(record)) == first
    with pytest.raises(DomainError):
        services.copy_release(actor=family.manager2, copy=released)  # once


def test_the_manager_who_asked_cannot_release(family):
    record = _authorised(family)
    doyle = services.copy_give(
        actor=family.manager,
        record=record,
        recipient_kind="person",
        person_id=family.doyle.pk,
        given_on=record.authorised_at.date(),
        method="post",
    )
    with pytest.raises(DomainError, match="you asked for it"):
        services.copy_release(actor=family.manager, copy=doyle)
    assert services.copy_release(actor=family.manager2, copy=doyle).released_by == family.manager2


def test_overriding_a_withholding_needs_a_release_and_a_reason(family):
    record = _authorised(family)
    preview = services.copy_preview(
        actor=family.worker, record=record, recipient_kind="person", person_id=family.mother.pk
    )
    quarry = next(f for f in preview.disclosure.findings if "Quarry" in f["text"])
    with pytest.raises(DomainError, match="Say why"):
        _give(family, record, "person", person_id=family.mother.pk, overrides=[quarry["key"]])
    copy = _give(
        family,
        record,
        "person",
        person_id=family.mother.pk,
        overrides=[quarry["key"]],
        override_reason="Marcus agreed on the phone that Leanne may have his address.",
    )
    assert copy.release_status == "awaiting" and copy.release_reasons == ["override"]
    assert copy.disclosure["overrides"][0]["kind"] == quarry["kind"]
    services.copy_release(actor=family.manager, copy=copy)
    assert "Quarry Lane" in _text(copy)
    # A key that does not apply is refused.
    with pytest.raises(DomainError):
        _give(family, record, "child", overrides=["0123456789ab"])


def test_may_share_lets_parents_who_agree_see_each_others_details(family):
    ChildPerson.objects.filter(person=family.father).update(may_share_contact_details=True)
    record = _authorised(family)
    mother = _give(family, record, "person", person_id=family.mother.pk)
    doyle = _give(family, record, "person", person_id=family.doyle.pk)
    services.copy_release(actor=family.manager, copy=doyle)
    assert "Quarry Lane" in _text(mother)
    assert "Quarry Lane" not in _text(doyle)  # never to someone who harmed the family


def test_worker_marked_passage_is_withheld_from_named_recipients(family):
    record = _authorised(family)
    services.withholding_add(
        actor=family.worker,
        record=record,
        text="Mr Doyle is on a programme   in prison",
        recipients=["child"],
        reason="age",
    )
    with pytest.raises(DomainError, match="not in the authorised record"):
        services.withholding_add(
            actor=family.worker, record=record, text="Words nobody wrote", recipients=["child"], reason="age"
        )
    with pytest.raises(DomainError):
        services.withholding_add(
            actor=family.worker, record=record, text="Mr Doyle", recipients=[], reason="age"
        )
    child_text = _text(_give(family, record, "child"))
    assert "programme in prison" not in child_text
    assert "[Withheld: something your social worker will explain in person]" in child_text
    assert "programme in prison" in _text(_give(family, record, "person", person_id=family.mother.pk))
    child = Copy.objects.filter(recipient_kind="child").get()
    assert ("marked", "7. Domestic abuse") in {(w["kind"], w["section"]) for w in child.withheld}


def test_subject_access_withholds_third_parties_and_says_why(family):
    record = _authorised(family)
    copy = _give(family, record, "subject_access")
    assert copy.profile == "subject_access" and copy.release_status == "not_needed"
    assert copy.stamp.startswith("Subject access copy (Jayden Cole)")
    text = _text(copy)
    for secret in ("Heron Court", "900631", "Quarry Lane", "900742", "Ryan Doyle", "Nana Bell's house"):
        assert secret not in text, secret
    assert "[Withheld: information about where another person lives]" in text
    assert "[Withheld: information about another person]" in text
    assert "subject access request" in text
    assert "St Aidan's Primary" in text  # his own school


def test_the_preview_is_what_the_copy_holds(family):
    record = _authorised(family)
    preview = services.copy_preview(
        actor=family.worker, record=record, recipient_kind="person", person_id=family.doyle.pk
    )
    assert preview.is_perpetrator and preview.disclosure.needs_release
    withheld = [s for p in preview.disclosure.passages for s in p.segments if s.reason]
    assert withheld and all(s.text.startswith("[Withheld: ") for s in withheld)
    shown = " ".join(s.text for p in preview.disclosure.passages for s in p.segments if not s.reason)
    for secret in VICTIM_SECRETS:
        assert secret.lower() not in shown.lower(), secret
    names = [text for _, text in preview.disclosure.remaining]
    assert "Leanne Cole" in names and "Marcus Bell" in names
    assert Copy.objects.count() == 0  # a preview gives nothing


def test_profiles_are_data():
    assert set(disclosure.PROFILES) == {
        "child",
        "parent",
        "perpetrator",
        "professional",
        "subject_access",
        "file",
    }
    perpetrator = disclosure.PROFILES["perpetrator"]
    assert perpetrator.needs_release and perpetrator.outward_codes and perpetrator.safety_plan
    assert perpetrator.places == disclosure.PLACE_KINDS
    assert not any(p.needs_release for name, p in disclosure.PROFILES.items() if name != "perpetrator")


def test_a_long_record_disclosed_to_a_perpetrator_prints_whole(family):
    """A five-page record goes through the scan of every passage and prints; how long that takes against a
    bare Typst compile is measured by make bench (bench/pdf.py), not asserted here."""
    record = _authorised(family)
    long = "\n\n".join([REASON] * 12)
    snapshot = {**record.snapshot, "reason": {**record.snapshot["reason"], "text": long}, "involvement": long}
    recipient = disclosure.Recipient("perpetrator", family.doyle.pk)
    content = disclosure.disclose(snapshot, recipient).content
    document = pdf.document_data(content, signatures=[], stamp="x", statement="x", notes=[])
    pages = PdfReader(io.BytesIO(pdf.render(document, timestamp=record.authorised_at))).pages
    assert len(pages) >= 5


def test_what_a_signature_says_is_scanned_too(family):
    record = _authorised(family, not_signed="Away at her sister's, 14 Larch Close, NM4 2QT, until Friday.")
    doyle = _give(family, record, "person", person_id=family.doyle.pk)
    services.copy_release(actor=family.manager, copy=doyle)
    text = _text(doyle)
    assert "Larch Close" not in text and "NM4" not in text and "Away at her sister" in text
    assert any(w["section"] == "9. Signatures" for w in Copy.objects.get(pk=doyle.pk).withheld)
    assert "14 Larch Close" in _text(_give(family, record, "file"))
