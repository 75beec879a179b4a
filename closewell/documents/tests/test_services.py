"""The services: signatures (methods, uploads checked by content, frozen after authorisation), copies
(authorised records only, the interpreting gate, the register, downloads) and their audit trail."""

import datetime as dt
import hashlib
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from closewell.audit.models import AuditEvent
from closewell.closures import services as closures
from closewell.closures.models import ClosureRecord
from closewell.core.errors import DomainError
from closewell.documents import services
from closewell.documents.models import Copy, Signature
from closewell.documents.services import PNG_MAGIC

from .conftest import SIGNATURE_PNG, days_ago, make_png, pdf_pages

pytestmark = pytest.mark.django_db


def _sign(case, record, **kwargs):
    values = {"signer": "child", "method": "drawn", "signed_on": days_ago(1), "image": SIGNATURE_PNG}
    values.update(kwargs)
    return services.signature_add(actor=case.worker, record=record, **values)


def _events(obj_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj_type).order_by("pk"))


# --- Signatures -------------------------------------------------------------------------------------


def test_drawn_signature_is_kept_with_its_witness_and_audited(case, complete_record):
    signature = _sign(case, complete_record)
    assert signature.signer_name == "Ruby Hale" and signature.relationship == "Child"
    assert bytes(signature.image) == SIGNATURE_PNG
    assert signature.witness == case.worker
    event = _events("documents.Signature")[-1]
    assert event.summary == "Recorded the signature of Ruby Hale: signed on screen"
    assert event.after["file_sha256"] == hashlib.sha256(SIGNATURE_PNG).hexdigest()


def test_parent_signs_on_paper_with_a_scan_checked_by_content(case, complete_record):
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 100 + b"\xff\xd9"
    signature = _sign(
        case,
        complete_record,
        signer=str(case.mother.pk),
        method="paper",
        image=b"",
        scan=jpeg,
        scan_name="page.jpg",
    )
    assert signature.scan_content_type == "image/jpeg"
    assert signature.relationship == "Mother"


@pytest.mark.parametrize(
    "scan, message",
    [
        (b"MZ\x90\x00 not a pdf", "must be a PDF, JPG or PNG"),
        (b"<html><script>alert(1)</script></html>", "must be a PDF, JPG or PNG"),
        (b"%PDF-1.7 but cut short", "not a complete PDF"),
        (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"%%EOF", "smaller than 10 MB"),
        (b"", "Choose the scan"),
    ],
)
def test_scan_is_refused_unless_a_real_pdf_or_image(case, complete_record, scan, message):
    with pytest.raises(DomainError, match=message):
        _sign(case, complete_record, method="paper", image=b"", scan=scan, scan_name="scan.pdf")
    assert not Signature.objects.exists()


def _broken_crc(png: bytes) -> bytes:
    data = bytearray(png)
    data[30] ^= 0xFF  # a byte inside IHDR: its CRC no longer matches
    return bytes(data)


def _png_with_pixels(compressed: bytes, interlace: int = 0) -> bytes:
    """A 300×100 greyscale PNG whose chunks are well formed around the given image data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 300, 100, 8, 0, 0, 0, interlace)
    return PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"IDAT", compressed) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "image, message",
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 50, "must be a PNG"),
        (SIGNATURE_PNG[:-12], "must be a PNG"),
        (SIGNATURE_PNG + b"trailing", "must be a PNG"),
        (_broken_crc(SIGNATURE_PNG), "damaged"),
        (make_png(10, 10), "sensible size"),
        (_png_with_pixels(b"not zlib data"), "damaged"),
        (_png_with_pixels(zlib.compress(b"\0" * 100)), "damaged"),  # too few rows
        (_png_with_pixels(zlib.compress(bytes([9] + [255] * 300) * 100)), "damaged"),  # bad filter
        (_png_with_pixels(zlib.compress(b"\0" * 301 * 100), interlace=1), "damaged"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024), "smaller than 512 KB"),
    ],
)
def test_drawn_signature_must_be_a_real_png_of_sane_size(case, complete_record, image, message):
    with pytest.raises(DomainError, match=message):
        _sign(case, complete_record, image=image)


def test_not_signed_needs_a_reason(case, complete_record):
    with pytest.raises(DomainError, match="Select why"):
        _sign(case, complete_record, method="not_signed", image=b"")
    with pytest.raises(DomainError, match="Say why"):
        _sign(case, complete_record, method="not_signed", image=b"", not_signed_reason="other")
    signature = _sign(case, complete_record, method="not_signed", image=b"", not_signed_reason="not_of_age")
    assert signature.reason_text == "Not of age or understanding to sign"
    assert not signature.image


def test_only_the_child_and_parents_or_carers_sign_once_each(case, complete_record):
    _sign(case, complete_record)
    with pytest.raises(DomainError, match="already recorded"):
        _sign(case, complete_record)
    with pytest.raises(DomainError, match="parents or carers"):
        _sign(case, complete_record, signer="999999")
    with pytest.raises(DomainError, match="must be today or in the past"):
        _sign(case, complete_record, signer=str(case.mother.pk), signed_on=days_ago(-1))


def test_only_the_team_takes_signatures(case, complete_record):
    for user in (case.other_worker, case.other_manager, case.data):
        with pytest.raises(PermissionDenied):
            services.signature_add(
                actor=user,
                record=complete_record,
                signer="child",
                method="drawn",
                signed_on=days_ago(1),
                image=SIGNATURE_PNG,
            )
    assert _sign(case, complete_record).witness == case.worker


def test_signatures_can_be_taken_while_submitted_and_removed_before_authorisation(case, complete_record):
    record = closures.closure_submit(actor=case.worker, record=complete_record)
    signature = _sign(case, record)
    services.signature_remove(actor=case.worker, signature=signature)
    assert not Signature.objects.exists()
    assert _events("documents.Signature")[-1].summary == "Removed the signature of Ruby Hale"


def test_signatures_are_frozen_after_authorisation(case, authorised):
    with pytest.raises(DomainError, match="cannot be changed after authorisation"):
        _sign(case, authorised, signer=str(case.mother.pk))
    signature = authorised.signatures.first()
    with pytest.raises(DomainError, match="cannot be changed after authorisation"):
        services.signature_remove(actor=case.worker, signature=signature)
    assert authorised.signatures.count() == 3


def test_withdrawn_record_cannot_be_signed(case, complete_record):
    record = closures.closure_withdraw(actor=case.worker, record=complete_record, reason="Not closing")
    with pytest.raises(DomainError, match="withdrawn"):
        _sign(case, record)


# --- Copies ----------------------------------------------------------------------------------------


def _give(case, record, **kwargs) -> Copy:
    values = {"recipient_kind": "child", "given_on": timezone.localdate(), "method": "in_person"}
    values.update(kwargs)
    return services.copy_give(actor=case.worker, record=record, **values)


def test_copies_only_of_an_authorised_record(case, complete_record):
    with pytest.raises(DomainError, match="only of an authorised"):
        _give(case, complete_record)


def test_copy_is_registered_stamped_and_audited(case, authorised):
    copy = _give(case, authorised, recipient_kind="person", person_id=case.mother.pk, method="post")
    assert copy.recipient_name == "Jess Hale" and copy.recipient_role == "Mother"
    assert copy.given_by == case.worker and copy.method == "post"
    assert copy.sha256 == hashlib.sha256(bytes(copy.pdf)).hexdigest()
    assert copy.size == len(bytes(copy.pdf)) and copy.renderer.startswith("typst ")
    event = _events("documents.Copy")[-1]
    assert event.summary == f"Gave a copy of the Closure Record: {copy.stamp}"
    assert event.after["sha256"] == copy.sha256


def test_file_copy_and_professional_copy(case, authorised):
    file_copy = _give(case, authorised, recipient_kind="file")
    assert file_copy.stamp.startswith("File copy (the child's record) — made ")
    with pytest.raises(DomainError, match="professional's name"):
        _give(case, authorised, recipient_kind="professional", role="Teacher")
    with pytest.raises(DomainError, match="role"):
        _give(case, authorised, recipient_kind="professional", name="Amy Fox")
    with pytest.raises(DomainError, match="Choose the person"):
        _give(case, authorised, recipient_kind="person", person_id=123456)


def test_copy_dates(case, authorised):
    with pytest.raises(DomainError, match="must be today or in the past"):
        _give(case, authorised, given_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="must be on or after the date the record was authorised"):
        _give(case, authorised, given_on=timezone.localdate() - dt.timedelta(days=1))


def test_interpreting_gate(case, authorised):
    """Where a parent does not read English, no copy until the interpreter session is recorded."""
    snapshot = dict(authorised.snapshot)
    snapshot["interpreting"] = {
        "required": True,
        "language": "Polish",
        "interpreter": "",
        "date": None,
        "explained_to": "",
    }
    ClosureRecord.objects.filter(pk=authorised.pk).update(snapshot=snapshot)
    authorised.refresh_from_db()
    with pytest.raises(DomainError, match="interpreter session") as refused:
        _give(case, authorised)
    assert "the interpreter, the date, to whom it was explained" in refused.value.message
    assert not Copy.objects.exists()
    snapshot["interpreting"].update(
        interpreter="Anna Nowak", date="2026-11-20", explained_to="Jess Hale and Ruby"
    )
    ClosureRecord.objects.filter(pk=authorised.pk).update(snapshot=snapshot)
    authorised.refresh_from_db()
    copy = _give(case, authorised)
    text = bytes(copy.pdf)
    assert text.startswith(b"%PDF")


def test_interpreting_section_is_printed_when_required(case, authorised):
    snapshot = dict(authorised.snapshot)
    snapshot["interpreting"] = {
        "required": True,
        "language": "Polish",
        "interpreter": "Anna Nowak",
        "date": "2026-11-20",
        "explained_to": "Jess Hale and Ruby",
    }
    ClosureRecord.objects.filter(pk=authorised.pk).update(snapshot=snapshot)
    authorised.refresh_from_db()
    text = " ".join(pdf_pages(bytes(_give(case, authorised).pdf)))
    assert "8. Interpreting" in text and "Anna Nowak" in text and "20 November 2026" in text


def test_only_the_team_gives_and_downloads_copies(case, authorised):
    for user in (case.other_worker, case.other_manager, case.data):
        with pytest.raises(PermissionDenied):
            services.copy_give(
                actor=user,
                record=authorised,
                recipient_kind="child",
                given_on=timezone.localdate(),
                method="post",
            )
    copy = _give(case, authorised)
    with pytest.raises(PermissionDenied):
        services.copy_download(actor=case.other_manager, copy=copy)
    assert services.copy_download(actor=case.manager, copy=copy) == bytes(copy.pdf)


def test_download_is_identical_audited_and_checked_against_its_digest(case, authorised):
    copy = _give(case, authorised)
    assert services.copy_download(actor=case.worker, copy=copy) == bytes(copy.pdf)
    event = _events("documents.Copy")[-1]
    assert event.action == "export" and event.after == {"sha256": copy.sha256}
    Copy.objects.filter(pk=copy.pk).update(pdf=bytes(copy.pdf) + b"tampered")
    with pytest.raises(DomainError, match="does not match its digest"):
        services.copy_download(actor=case.worker, copy=copy)


def test_record_pdf_is_audited(case, authorised):
    content = services.record_pdf(actor=case.worker, record=authorised)
    assert content.startswith(b"%PDF")
    event = _events("closures.ClosureRecord")[-1]
    assert event.summary == "Downloaded the authorised Closure Record (PDF)"
    assert event.after["snapshot_sha256"] == authorised.snapshot_sha256
