"""Malicious and unusual input in every free-text field of a contact and of the Closure Record's
sections: stored as typed (less the bidi override and isolate controls, which closewell.core.text
removes), escaped on the pages, printed in the PDF.

NUL (U+0000) is refused, not stripped: PostgreSQL cannot store it, and silently changing what a
worker typed is worse than asking them to remove it. Django's form fields refuse it with a message
("Null characters are not allowed."); the API's serializers do the same.
"""

import re
import unicodedata

import pytest
from django.test import Client
from django.utils import timezone

from closewell.cases.models import Contact
from closewell.closures import services as closures
from closewell.closures.models import ClosureRecord
from closewell.closures.tests.conftest import days_ago
from closewell.core.text import clean_text
from closewell.documents import services as documents
from closewell.documents.tests.conftest import pdf_pages

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" & \'single\''
LONG = " ".join(f"word{n}" for n in range(1_500))[:10_000]
# A combining acute accent, a zero-width space and joiner, Welsh, Greek, a ligature.
ODD = "café (cafe\u0301) zero\u200bwidth join\u200dhere Ŵyn Ωμέγα ½ ﬁ"
# An emoji family joined by zero-width joiners.
EMOJI = "Ruby drew 👩\u200d👩\u200d👧 and 😀"
# Arabic and Hebrew (right to left), with a right-to-left override in the middle.
RTL = "قالت: أشعر بالأمان الآن. אמרה: אני בטוחה. \u202eevil.exe\u202c end"
PAYLOADS = {"script": SCRIPT, "long": LONG, "odd_unicode": ODD, "right_to_left": RTL, "emoji": EMOJI}


def texts(payload: str, case) -> dict[str, dict]:
    """Every free-text field of every section, each a recognisable variant of the payload."""
    return {
        "involvement": {"reason_for_involvement": payload + " [involvement]"},
        "interventions": {"interventions": payload + " [interventions]"},
        "reason": {"reason_for_closure": payload + " [reason]", "reason_code": "RC7"},
        "child_views": {
            "child_discussed": True,
            "child_discussed_date": days_ago(5),
            "child_views": payload + " [child]",
        },
        "domestic_abuse": {
            "da_work_with_perpetrator": payload + " [perpetrator]",
            "da_if_released": payload + " [released]",
            "da_if_resumed": payload + " [resumed]",
        },
        "review": {
            # The actual level is a short field (200 characters): the first 150 of the payload.
            case.action.pk: {"actual_level": payload[:150] + " [level]", "outcome": payload + " [outcome]"},
            case.unplanned.pk: {"impact": payload + " [impact]"},
        },
        "parent_views": {
            case.mother.pk: {
                "discussed": True,
                "discussed_date": days_ago(6),
                "views": payload + " [mother]",
            },
            case.father.pk: {"discussed": False, "not_discussed_reason": payload + " [father]"},
        },
    }


def stored(record: ClosureRecord, case) -> dict[str, str]:
    """Each free text as the database holds it."""
    record.refresh_from_db()
    values = {
        name: getattr(record, name)
        for name in (
            "reason_for_involvement",
            "interventions",
            "reason_for_closure",
            "child_views",
            "da_work_with_perpetrator",
            "da_if_released",
            "da_if_resumed",
        )
    }
    case.action.refresh_from_db()
    case.unplanned.refresh_from_db()
    values |= {
        "actual_level": case.action.actual_level,
        "outcome": case.action.outcome,
        "impact": case.unplanned.impact,
    }
    views = {v.person_id: v for v in record.parent_views.all()}
    values |= {"mother": views[case.mother.pk].views, "father": views[case.father.pk].not_discussed_reason}
    return values


def flat(text: str) -> str:
    """Text compared as a reader sees it: without whitespace (PDF lines wrap), in one Unicode normal
    form, and without invisible format characters (zero-width space and joiner), which a PDF's
    text layer does not keep."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


@pytest.mark.parametrize("kind", PAYLOADS)
def test_record_text_is_stored_as_typed_escaped_on_pages_and_printed(kind, case):
    typed_payload = PAYLOADS[kind]
    # What is kept: all that was typed but the bidi controls (only the right-to-left payload has any).
    payload = clean_text(typed_payload)
    record = closures.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(10), decision_by="Wendy Ash"
    )
    for section, data in texts(typed_payload, case).items():
        record = closures.closure_update(
            actor=case.worker, record=record, section=section, version=record.version, data=data
        )
    # Stored as typed: no trimming or normalising; only the bidi controls are removed.
    for name, value in stored(record, case).items():
        typed = payload[:150] if name == "actual_level" else payload
        assert value.startswith(typed + " ["), f"{name} changed when stored"

    worker = Client()
    worker.force_login(case.worker)
    # The overview, the section's form, and the record as authorised.
    overview = worker.get(f"/closures/{record.pk}/").content.decode()
    section = worker.get(f"/closures/{record.pk}/section/involvement/").content.decode()
    record = closures.closure_submit(actor=case.worker, record=record)
    record = closures.closure_authorise(actor=case.manager, record=record)
    authorised = worker.get(f"/closures/{record.pk}/").content.decode()
    for page in (overview, section, authorised):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    for page in (section, authorised):
        if kind == "script":
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        elif kind != "long":
            assert payload in page
        else:
            assert payload[:5000] in page

    # Printed: the PDF's text layer holds what was typed.
    text = flat(" ".join(pdf_pages(documents.record_pdf(actor=case.worker, record=record))))
    if kind in ("right_to_left", "long"):
        # Right-to-left runs come out of the PDF's text layer in visual order (laid out right to
        # left), and long text is cut by the page header and footer at each page break: so each
        # word is looked for, not the whole text. The override is removed, so no word shows reversed.
        # In visual order a word's trailing punctuation lands beside the next word, so it is not
        # part of the word looked for.
        words = [w.strip(".:") for w in payload.split() if "\u202e" not in w and "\u202c" not in w]
        missing = [word for word in words if flat(word) not in text]
        assert not missing, f"{kind}: not printed: {missing[:10]}"
        return
    for marker in ("[involvement]", "[reason]", "[child]", "[perpetrator]", "[mother]"):
        assert flat(payload + " " + marker) in text, f"{kind} {marker} not printed as typed"


def contact_form(note: str) -> dict:
    day = days_ago(3)
    return {
        "occurred_at_day": str(day.day),
        "occurred_at_month": str(day.month),
        "occurred_at_year": str(day.year),
        "occurred_at_time": "14:30",
        "kind": "home_visit",
        "work": "direct",
        "child_seen": "on",
        "note": note,
    }


@pytest.mark.parametrize("kind", PAYLOADS)
def test_a_contact_note_through_the_form_round_trips_and_is_escaped(kind, case):
    payload = PAYLOADS[kind]
    client = Client()
    client.force_login(case.worker)
    response = client.post(f"/children/{case.child.pk}/contacts/add/", contact_form(payload))
    assert response.status_code == 302, re.findall(
        r'govuk-error-message">(.*?)</p', response.content.decode(), re.S
    )
    contact = Contact.objects.filter(episode=case.episode).latest("pk")
    payload = clean_text(payload)
    assert contact.note == payload
    for path in (f"/children/{case.child.pk}/", f"/children/{case.child.pk}/contacts/{contact.pk}/"):
        html = client.get(path).content.decode()
        assert "<script>alert" not in html
        if kind == "script":
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        elif kind != "long":
            assert payload in html


def test_nul_is_refused_with_a_message_and_nothing_is_saved(case):
    client = Client()
    client.force_login(case.worker)
    before = Contact.objects.count()
    response = client.post(f"/children/{case.child.pk}/contacts/add/", contact_form("Saw Ruby\x00 today"))
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert Contact.objects.count() == before


def test_nul_in_a_record_section_is_refused(case):
    record = closures.closure_start(
        actor=case.worker, episode=case.episode, decision_date=days_ago(10), decision_by="Wendy Ash"
    )
    client = Client()
    client.force_login(case.worker)
    response = client.post(
        f"/closures/{record.pk}/section/involvement/",
        {"version": record.version, "reason_for_involvement": "Police\x00 referral"},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    record.refresh_from_db()
    assert "\x00" not in record.reason_for_involvement
    assert timezone.now()


@pytest.mark.parametrize(
    "path", ["/search/?q=Co%00le", "/cases/?q=%00", "/api/v1/children/?la_child_id=%00x"]
)
def test_a_null_character_in_the_address_is_refused_not_a_server_error(client, path):
    """PostgreSQL cannot compare text with NUL in it: the request is refused with 400 before any query."""
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert "null character" in response.json()["errors"]["query"][0]
