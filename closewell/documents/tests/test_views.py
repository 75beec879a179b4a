"""The pages through the client: who sees what, the forms, the downloads, no inline script."""

import base64
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from closewell.audit.models import AuditEvent
from closewell.closures import services as closures
from closewell.documents import services
from closewell.documents.models import Copy, Signature

from .conftest import SIGNATURE_PNG

pytestmark = pytest.mark.django_db


def _date(prefix: str, date) -> dict:
    return {f"{prefix}_day": date.day, f"{prefix}_month": date.month, f"{prefix}_year": date.year}


def _url(name: str, record, *args) -> str:
    return reverse(f"documents:{name}", args=[record.pk, *args])


def test_signatures_page_and_drawn_signature(client, case, complete_record):
    client.force_login(case.worker)
    page = client.get(_url("signatures", complete_record))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Add a signature" in html and "Ruby Hale (the child)" in html
    # No inline script: every <script> has a src (a Content-Security-Policy forbids inline ones).
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "signature_pad.umd.min.js" in html and "documents/signature.js" in html
    response = client.post(
        _url("signatures", complete_record),
        {
            "signer": "child",
            "method": "drawn",
            "image": "data:image/png;base64," + base64.b64encode(SIGNATURE_PNG).decode(),
            **_date("signed_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert bytes(signature.image) == SIGNATURE_PNG
    image = client.get(_url("signature_image", complete_record, signature.pk))
    assert image["Content-Type"] == "image/png" and image.content == SIGNATURE_PNG


def test_signature_form_errors(client, case, complete_record):
    client.force_login(case.worker)
    fake = SimpleUploadedFile("signed.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = client.post(
        _url("signatures", complete_record),
        {
            "signer": str(case.mother.pk),
            "method": "paper",
            "scan": fake,
            **_date("signed_on", timezone.localdate()),
        },
    )
    assert response.status_code == 200
    assert "The scan must be a PDF, JPG or PNG file." in response.content.decode()
    response = client.post(_url("signatures", complete_record), {"method": "drawn"})
    html = response.content.decode()
    assert "There is a problem" in html and "Select who is signing" in html
    assert "Ask the person to sign in the box" in html
    assert not Signature.objects.exists()


def test_not_signed_through_the_page(client, case, complete_record):
    client.force_login(case.manager)
    response = client.post(
        _url("signatures", complete_record),
        {
            "signer": str(case.father.pk),
            "method": "not_signed",
            "not_signed_reason": "declined",
            **_date("signed_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    assert Signature.objects.get().witness == case.manager


def test_authorised_record_shows_signatures_without_a_form(client, case, authorised):
    client.force_login(case.worker)
    html = client.get(_url("signatures", authorised)).content.decode()
    assert "cannot be changed after authorisation" in html
    assert "Add a signature" not in html and "Remove" not in html
    response = client.post(_url("signatures", authorised), {"signer": "child", "method": "drawn"})
    assert response.status_code == 302 and authorised.signatures.count() == 3
    signature = authorised.signatures.first()
    client.post(_url("signature_remove", authorised, signature.pk))
    assert authorised.signatures.count() == 3


def test_give_a_copy_register_and_downloads(client, case, authorised):
    client.force_login(case.worker)
    form = client.get(_url("copy_give", authorised)).content.decode()
    assert "Jess Hale (mother)" in form and "Another professional" in form
    # The perpetrator is not offered as an ordinary recipient: the choice and the page warn.
    assert "Dean Hale (father) — has harmed a member of the family" in form
    assert "govuk-warning-text" in form
    fields = {
        "recipient": f"person:{case.father.pk}",
        "method": "post",
        **_date("given_on", timezone.localdate()),
    }
    preview = client.post(_url("copy_give", authorised), {**fields, "action": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Check the copy for Dean Hale" in html
    assert "closewell-withheld" in html and "[Withheld: information about where someone lives]" in html
    assert "1 Safe Street" in html  # the worker sees what is withheld, to check it
    assert "Names and places still in the copy" in html
    assert not Copy.objects.exists()
    # Giving it without confirming the check is refused, with the error named.
    refused = client.post(_url("copy_give", authorised), {**fields, "action": "give"})
    assert (
        refused.status_code == 200 and "Confirm that you have checked the preview" in refused.content.decode()
    )
    assert not Copy.objects.exists()
    response = client.post(_url("copy_give", authorised), {**fields, "action": "give", "confirm_risk": "on"})
    assert response.status_code == 302
    copy = Copy.objects.get()
    assert copy.release_status == "awaiting"
    register = client.get(_url("copies", authorised)).content.decode()
    assert "Dean Hale" in register and "By post" in register and "Awaiting release" in register
    assert "Someone who has harmed a member of the family" in register and "Address" in register
    assert _url("copy_download", authorised, copy.pk) not in register
    # Not printable before release; the worker who asked cannot release it.
    assert client.get(_url("copy_download", authorised, copy.pk)).status_code == 302
    page = client.get(_url("copy_release", authorised, copy.pk)).content.decode()
    assert "You asked for this copy" in page and "Release the copy</button>" not in page
    client.post(_url("copy_release", authorised, copy.pk))
    copy.refresh_from_db()
    assert copy.release_status == "awaiting"
    client.force_login(case.manager)
    page = client.get(_url("copy_release", authorised, copy.pk)).content.decode()
    assert "Release the copy</button>" in page and "[Withheld: " in page
    assert client.post(_url("copy_release", authorised, copy.pk)).status_code == 302
    copy.refresh_from_db()
    assert copy.release_status == "released" and copy.released_by == case.manager
    register = client.get(_url("copies", authorised)).content.decode()
    assert copy.sha256 in register and "Released by Mo Birch" in register
    download = client.get(_url("copy_download", authorised, copy.pk))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{copy.filename}"'
    assert download.content == bytes(copy.pdf)
    record_pdf = client.get(_url("record_pdf", authorised))
    assert record_pdf["Content-Type"] == "application/pdf"
    assert record_pdf["Content-Disposition"] == f'attachment; filename="closure-record-{authorised.pk}.pdf"'
    assert AuditEvent.objects.filter(action="export").count() == 2
    assert AuditEvent.objects.filter(object_type="documents.Copy", action="transition").count() == 1


def test_an_ordinary_copy_is_given_after_its_preview(client, case, authorised):
    client.force_login(case.worker)
    fields = {"recipient": "child", "method": "in_person", **_date("given_on", timezone.localdate())}
    assert client.post(_url("copy_give", authorised), {**fields, "action": "give"}).status_code == 302
    copy = Copy.objects.get()
    assert copy.release_status == "not_needed" and copy.profile == "child"
    assert client.get(_url("copy_download", authorised, copy.pk)).status_code == 200


def test_withhold_a_passage_page(client, case, authorised):
    client.force_login(case.worker)
    url = _url("withholdings", authorised)
    empty = client.post(url, {"text": "", "reason": "age"}).content.decode()
    assert "Enter the words to withhold" in empty and "Select whom to withhold the words from" in empty
    response = client.post(url, {"text": "Weekly direct work", "recipients": ["child"], "reason": "age"})
    assert response.status_code == 302
    assert "Weekly direct work" in client.get(url).content.decode()
    missing = client.post(
        url, {"text": "Not in it", "recipients": ["child"], "reason": "age"}
    ).content.decode()
    assert "These words are not in the authorised record" in missing
    client.force_login(case.other_worker)
    assert client.get(url).status_code == 404


def test_give_a_copy_form_errors(client, case, authorised):
    client.force_login(case.worker)
    response = client.post(_url("copy_give", authorised), {"recipient": "professional", "method": "post"})
    html = response.content.decode()
    assert "Enter the professional&#x27;s name" in html or "Enter the professional's name" in html
    assert "Enter the date the copy was given" in html
    assert not Copy.objects.exists()


def test_the_professionals_name_and_role_show_only_for_another_professional(client, case, authorised):
    """GOV.UK conditional reveal: the name and role are inside the part "Another professional" reveals
    (closewell.js shows it while that radio is chosen), and no other radio reveals anything."""
    client.force_login(case.worker)
    html = client.get(_url("copy_give", authorised)).content.decode()
    assert html.count("data-reveal=") == 1
    assert 'value="professional" data-reveal="conditional-professional"' in html
    part = html[html.index('id="conditional-professional"') :]
    part = part[: part.index('<div class="govuk-radios__item">')]
    assert 'name="name"' in part and 'name="role"' in part


def test_copies_wait_for_authorisation(client, case, complete_record):
    client.force_login(case.worker)
    html = client.get(_url("copies", complete_record)).content.decode()
    assert "Copies can be given once the record is authorised" in html
    assert client.get(_url("copy_give", complete_record)).status_code == 302
    assert client.get(_url("record_pdf", complete_record)).status_code == 302


@pytest.mark.parametrize("who", ["other_worker", "other_manager", "data"])
def test_other_teams_and_read_only_roles_get_404(client, case, authorised, who):
    copy = services.copy_give(
        actor=case.worker,
        record=authorised,
        recipient_kind="child",
        given_on=timezone.localdate(),
        method="in_person",
    )
    client.force_login(getattr(case, who))
    for url in (
        _url("signatures", authorised),
        _url("copies", authorised),
        _url("copy_give", authorised),
        _url("copy_download", authorised, copy.pk),
        _url("record_pdf", authorised),
        _url("signature_image", authorised, authorised.signatures.first().pk),
    ):
        assert client.get(url).status_code == 404, url


def test_signed_out_is_sent_to_sign_in(client, authorised):
    response = client.get(_url("copies", authorised))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_returned_record_can_still_be_signed(client, case, complete_record):
    record = closures.closure_submit(actor=case.worker, record=complete_record)
    record = closures.closure_return(actor=case.manager, record=record, comments=[("reason", "More")])
    client.force_login(case.worker)
    assert "Add a signature" in client.get(_url("signatures", record)).content.decode()


def test_record_page_links_to_signatures_and_copies(client, case, authorised):
    url = reverse("closures:record", args=[authorised.pk])
    client.force_login(case.worker)
    html = client.get(url).content.decode()
    assert _url("signatures", authorised) in html and _url("copies", authorised) in html
    client.force_login(case.data)
    html = client.get(url).content.decode()
    assert _url("copies", authorised) not in html
