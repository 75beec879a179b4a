"""Writes for signatures and copies: sign (or record why not), give a copy, download a PDF.

Signatures are part of the authorised record: taken while the record is a draft, submitted or
returned, and frozen once it is authorised. Copies are given only of an authorised record, rendered
from its frozen snapshot; every copy given and every download is audited.
"""

import hashlib
import struct
import zlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from closewell.accounts.permissions import copy_permissions, record_permissions
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.closures import sections
from closewell.closures.content import family as family_of
from closewell.closures.content import parents_and_carers
from closewell.closures.contributors import contribution_note
from closewell.closures.models import ClosureRecord, ContributionKind, Status
from closewell.core import date_rules
from closewell.core.dates import long_date
from closewell.core.errors import DomainError

from . import disclosure, pdf
from .models import (
    Copy,
    CopyMethod,
    NotSignedReason,
    Profile,
    RecipientKind,
    ReleaseStatus,
    Signature,
    SignatureMethod,
    SignerKind,
    Withholding,
    WithholdReason,
)
from .selectors import signatures_for

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_DRAWN_BYTES = 512 * 1024
MAX_DRAWN_SIDE = 4000
MIN_DRAWN_SIDE = 20
MAX_SCAN_BYTES = 10 * 1024 * 1024
SIGNABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED})
PARENT_LABELS = frozenset({"Mother", "Father", "Step-parent"})
CARER_LABELS = frozenset({"Carer", "Foster carer"})


# --- Checking what was uploaded -------------------------------------------------------------------


def png_size(data: bytes, *, max_bytes: int, field: str, decode: bool = False) -> tuple[int, int]:
    """Width and height of a well-formed PNG, or a DomainError: the file must start with the PNG
    signature, every chunk's CRC must match, and it must hold image data and end with IEND. So what
    is stored and later printed is a real PNG, whatever the browser or a person sent.

    decode: also inflate the image data (at most MAX_DRAWN_PIXELS, never interlaced) and check it is
    exactly the rows the header promises, each with a valid filter: a drawn signature is printed in
    every copy, so one that could not be drawn would stop copies of an authorised record."""
    if not data:
        raise DomainError("The signature is empty: ask the person to sign in the box.", field=field)
    if len(data) > max_bytes:
        raise DomainError(f"The image must be smaller than {max_bytes // 1024} KB.", field=field)
    if not data.startswith(PNG_MAGIC):
        raise DomainError("The signature must be a PNG image.", field=field)
    offset, chunks, header, idat = len(PNG_MAGIC), [], None, []
    while offset + 12 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        crc_bytes = data[offset + 8 + length : offset + 12 + length]
        if len(body) != length or len(crc_bytes) != 4:
            break
        if zlib.crc32(kind + body) != struct.unpack(">I", crc_bytes)[0]:
            raise DomainError("The signature image is damaged: ask the person to sign again.", field=field)
        if not chunks and kind == b"IHDR" and length == 13:
            header = struct.unpack(">IIBBBBB", body)
        if kind == b"IDAT":
            idat.append(body)
        chunks.append(kind)
        offset += 12 + length
        if kind == b"IEND":
            break
    if header is None or not idat or chunks[-1:] != [b"IEND"] or offset != len(data):
        raise DomainError("The signature must be a PNG image.", field=field)
    width, height = header[:2]
    if decode:
        _check_pixels(header, b"".join(idat), field)
    return width, height


PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type: samples per pixel
MAX_DRAWN_PIXELS = 4_000_000


def _check_pixels(header: tuple, compressed: bytes, field: str) -> None:
    width, height, depth, colour, _, _, interlace = header
    damaged = DomainError("The signature image is damaged: ask the person to sign again.", field=field)
    if colour not in PNG_CHANNELS or depth not in (1, 2, 4, 8, 16) or interlace not in (0,):
        raise damaged
    if not width or not height or width * height > MAX_DRAWN_PIXELS:
        raise DomainError("The signature image is not a sensible size.", field=field)
    stride = 1 + (width * PNG_CHANNELS[colour] * depth + 7) // 8
    expected = stride * height
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, expected + 1)
    except zlib.error:
        raise damaged from None
    if len(raw) != expected or not inflater.eof or any(raw[row] > 4 for row in range(0, expected, stride)):
        raise damaged


def scan_type(data: bytes) -> str:
    """The content type of an uploaded scan, from its content (not its name): PDF, PNG or JPEG."""
    if not data:
        raise DomainError("Choose the scan of the signed page.", field="scan")
    if len(data) > MAX_SCAN_BYTES:
        raise DomainError("The scan must be smaller than 10 MB.", field="scan")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-1024:]:
            raise DomainError("The scan is not a complete PDF.", field="scan")
        return "application/pdf"
    if data.startswith(PNG_MAGIC):
        png_size(data, max_bytes=MAX_SCAN_BYTES, field="scan")
        return "image/png"
    if data.startswith(b"\xff\xd8\xff") and data.rstrip(b"\0").endswith(b"\xff\xd9"):
        return "image/jpeg"
    raise DomainError("The scan must be a PDF, JPG or PNG file.", field="scan")


# --- Signatures -----------------------------------------------------------------------------------


def _lock_for_signing(actor, record: ClosureRecord) -> ClosureRecord:
    """Lock the record's row (authorisation locks it too), so a signature is never added or removed
    while the record is being authorised, and refuse once it is authorised."""
    record = ClosureRecord.objects.select_for_update().select_related("episode__child").get(pk=record.pk)
    if not record_permissions(actor, record).can_handle_documents:
        raise PermissionDenied
    if record.status == Status.AUTHORISED:
        raise DomainError(
            "Signatures are part of the authorised record and cannot be changed after authorisation."
        )
    if record.status not in SIGNABLE:
        raise DomainError(f"This record is {record.get_status_display().lower()}: it cannot be signed.")
    return record


@transaction.atomic
def signature_add(
    *,
    actor,
    record: ClosureRecord,
    signer: str,
    method: str,
    signed_on,
    not_signed_reason: str = "",
    not_signed_detail: str = "",
    image: bytes = b"",
    scan: bytes = b"",
    scan_name: str = "",
    comment: str = "",
) -> Signature:
    """Record that the child or a parent or carer signed (on screen or on paper), or why they did not.

    signer: "child" or a parent's or carer's Person id. The worker recording it is the witness.
    The signature is bound to the SHA-256 of the record as it says now (sections.signed_sha256):
    what the person was shown and signed. When the record changes afterwards the signature is out
    of date (Signature.is_out_of_date). `comment`: the signer's own words, printed beside it.
    Drawn signatures must be real PNG images; a scan must be a PDF, JPG or PNG of at most 10 MB,
    checked by its content.
    """
    record = _lock_for_signing(actor, record)
    episode = record.episode
    if signer == SignerKind.CHILD:
        kind, person, name, relationship = SignerKind.CHILD, None, episode.child.full_name, "Child"
    else:
        links = {str(link.person_id): link for link in parents_and_carers(episode)}
        link = links.get(str(signer))
        if link is None:
            raise DomainError("Choose the child or one of their parents or carers.", field="signer")
        kind, person = SignerKind.PERSON, link.person
        name, relationship = link.person.full_name, link.get_relationship_display()
    if signed_on is None:
        raise DomainError("Enter the date.", field="signed_on")
    date_rules.refuse(
        date_rules.context_for(record=record), [("signed_on", "signature.signed_on", signed_on)]
    )
    signature = Signature(
        record=record,
        signer_kind=kind,
        person=person,
        signer_name=name,
        relationship=relationship,
        method=method,
        signed_on=signed_on,
        witness=actor,
        comment=(comment or "").strip(),
        content_sha256=sections.signed_sha256(record),
    )
    if method == SignatureMethod.DRAWN:
        width, height = png_size(image, max_bytes=MAX_DRAWN_BYTES, field="image", decode=True)
        if not (MIN_DRAWN_SIDE <= width <= MAX_DRAWN_SIDE and MIN_DRAWN_SIDE <= height <= MAX_DRAWN_SIDE):
            raise DomainError("The signature image is not a sensible size.", field="image")
        signature.image = bytes(image)
    elif method == SignatureMethod.PAPER:
        signature.scan_content_type = scan_type(scan)
        signature.scan = bytes(scan)
        signature.scan_name = (scan_name or "scan")[:200]
    elif method == SignatureMethod.NOT_SIGNED:
        if not_signed_reason not in NotSignedReason.values:
            raise DomainError("Select why they did not sign.", field="not_signed_reason")
        if not_signed_reason == NotSignedReason.OTHER and not not_signed_detail.strip():
            raise DomainError("Say why they did not sign.", field="not_signed_detail")
        signature.not_signed_reason = not_signed_reason
        signature.not_signed_detail = not_signed_detail.strip()
    else:
        raise DomainError("Select how they signed.", field="method")
    signature.full_clean(exclude=["image", "scan"], validate_constraints=False)
    duplicate = (
        record.signatures.filter(signer_kind=SignerKind.CHILD)
        if kind == SignerKind.CHILD
        else record.signatures.filter(person=person)
    )
    if duplicate.exists():
        raise DomainError(
            f"{name}'s signature is already recorded. Remove it first to record it again.", field="signer"
        )
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError as error:
        raise DomainError(f"{name}'s signature is already recorded.", field="signer") from error
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=signature,
        child_id=episode.child_id,
        summary=f"Recorded the signature of {name}: {signature.get_method_display().lower()}",
        after=_signature_summary(signature),
    )
    # Signatures are part of the authorised record: whoever records one may not authorise it.
    contribution_note(record=record, user=actor, kind=ContributionKind.SIGNATURES)
    return signature


def _signature_summary(signature: Signature) -> dict:
    """What the audit keeps of a signature: who, how, when, and a digest of the image or scan."""
    content = bytes(signature.image) or bytes(signature.scan)
    return {
        "record": signature.record_id,
        "signer": signature.signer_name,
        "relationship": signature.relationship,
        "method": signature.method,
        "signed_on": signature.signed_on,
        "not_signed_reason": signature.not_signed_reason,
        "not_signed_detail": signature.not_signed_detail,
        "file_sha256": hashlib.sha256(content).hexdigest() if content else "",
        "witness": signature.witness_id,
        "comment": signature.comment,
        "signed_sha256": signature.content_sha256,
        "kept_sha256": signature.kept_sha256,
        "kept_reason": signature.kept_reason,
    }


@transaction.atomic
def signature_keep(*, actor, signature: Signature, reason: str) -> Signature:
    """Keep an out-of-date signature for the record as it says now, with the reason it still stands
    (a spelling put right, say, that changes nothing the person agreed to). The reason covers exactly
    what the record says now: a later change puts the signature out of date again."""
    record = _lock_for_signing(actor, signature.record)
    signature = Signature.objects.select_for_update().get(pk=signature.pk, record=record)
    digest = sections.signed_sha256(record)
    if not signature.is_out_of_date(digest):
        raise DomainError(f"{signature.signer_name}'s signature is not out of date.", field="reason")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            f"Say why {signature.signer_name}'s signature still stands for the record as changed.",
            field="reason",
        )
    before = _signature_summary(signature)
    signature.kept_sha256, signature.kept_reason = digest, reason
    signature.kept_by, signature.kept_at = actor, timezone.now()
    signature.full_clean(exclude=["image", "scan"], validate_constraints=False)
    signature.save(update_fields=["kept_sha256", "kept_reason", "kept_by", "kept_at", "updated_at"])
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=signature,
        child_id=record.episode.child_id,
        summary=f"Kept the out-of-date signature of {signature.signer_name}: {reason[:150]}",
        before=before,
        after=_signature_summary(signature),
    )
    contribution_note(record=record, user=actor, kind=ContributionKind.SIGNATURES)
    return signature


@transaction.atomic
def signature_remove(*, actor, signature: Signature) -> None:
    """Remove a signature recorded by mistake, before the record is authorised (never after)."""
    record = _lock_for_signing(actor, signature.record)
    before = _signature_summary(signature)
    log_event(
        actor=actor,
        action=Action.DELETE,
        obj=signature,
        child_id=record.episode.child_id,
        summary=f"Removed the signature of {signature.signer_name}",
        before=before,
    )
    contribution_note(record=record, user=actor, kind=ContributionKind.SIGNATURES)
    signature.delete()


# --- Copies ---------------------------------------------------------------------------------------


def interpreting_missing(snapshot: dict) -> list[str]:
    """What is missing of the interpreter session, when a parent does not read English."""
    interpreting = snapshot.get("interpreting") or {}
    if not interpreting.get("required"):
        return []
    labels = {
        "language": "the language",
        "interpreter": "the interpreter",
        "date": "the date",
        "explained_to": "to whom it was explained",
    }
    return [label for key, label in labels.items() if not str(interpreting.get(key) or "").strip()]


def _recipient(snapshot: dict, *, kind: str, person_id, name: str, role: str) -> tuple:
    """(person id, name, role or relationship, the stamp's opening words, the family member's
    snapshot entry) of a copy's recipient."""
    if kind == RecipientKind.CHILD:
        return None, snapshot["child"]["name"], "Child", "Child's copy", None
    if kind == RecipientKind.SUBJECT_ACCESS:
        return (
            None,
            snapshot["child"]["name"],
            "The young person (subject access request)",
            "Subject access copy",
            None,
        )
    if kind == RecipientKind.PERSON:
        family = {str(p["person_id"]): p for p in snapshot["family"]}
        person = family.get(str(person_id)) if person_id not in (None, "") else None
        if person is None:
            raise DomainError("Choose the person the copy is for.", field="person")
        relationship = person["relationship"]
        if relationship in PARENT_LABELS:
            head = "Parent's copy"
        elif relationship in CARER_LABELS:
            head = "Carer's copy"
        else:
            head = "Personal copy"
        return person["person_id"], person["name"], relationship, head, person
    if kind == RecipientKind.PROFESSIONAL:
        if not name.strip():
            raise DomainError("Enter the professional's name.", field="name")
        if not role.strip():
            raise DomainError("Enter the professional's role and organisation.", field="role")
        return None, name.strip(), role.strip(), "Professional's copy", None
    if kind == RecipientKind.FILE:
        return None, "The child's file", "", "File copy", None
    raise DomainError("Select who the copy is for.", field="recipient_kind")


def stamp_text(head: str, name: str, role: str, kind: str, given_on) -> str:
    """What every page of a copy says about whose copy it is: 'Parent's copy (Leanne Cole) — given
    22 November 2026'."""
    if kind == RecipientKind.FILE:
        return f"File copy (the child's record) — made {long_date(given_on)}"
    who = f"{name}, {role}" if kind == RecipientKind.PROFESSIONAL or head == "Personal copy" else name
    return f"{head} ({who}) — given {long_date(given_on)}"


def record_marks(record: ClosureRecord) -> list[dict]:
    """The worker's marked passages of a record, as the disclosure engine reads them."""
    return [
        {"text": w.text, "reason": WithholdReason(w.reason).label, "recipients": list(w.recipients)}
        for w in record.withholdings.order_by("pk")
    ]


SIGNATURES = "9. Signatures"


def signature_statements(signatures: list[Signature]) -> list[str]:
    """What the copy prints of each signature (why someone did not sign is the worker's free text)."""
    return [pdf.signature_data(signature)["statement"] for signature in signatures]


def copy_disclosure(record: ClosureRecord, copy: Copy, signatures: list[Signature]) -> disclosure.Disclosure:
    """What this copy's recipient may read, from what the copy was made with: the same every time."""
    made_with = copy.disclosure or {}
    return disclosure.disclose(
        record.snapshot,
        disclosure.Recipient(copy.profile, copy.person_id),
        marks=made_with.get("marks", []),
        overrides=frozenset(item["key"] for item in made_with.get("overrides", [])),
        extra={SIGNATURES: signature_statements(signatures)},
    )


def copy_document(record: ClosureRecord, copy: Copy, signatures: list[Signature]) -> bytes:
    """Render one copy: the frozen snapshot as this recipient may read it (documents/disclosure.py),
    stamped with whose copy it is. The same record, signatures and copy always give the same bytes."""
    return _render_copy(record, copy, signatures)[0]


def _render_copy(record: ClosureRecord, copy: Copy, signatures: list[Signature]) -> tuple:
    result = copy_disclosure(record, copy, signatures)
    content = result.content
    giver = copy.given_by.get_full_name() or copy.given_by.username
    method = CopyMethod(copy.method).label.lower()
    if copy.recipient_kind == RecipientKind.FILE:
        statement = f"This is the file copy, made on {long_date(copy.given_on)} by {giver}."
    else:
        statement = (
            f"This is the {copy.stamp.split(' — ')[0]}. It was given on "
            f"{long_date(copy.given_on)}, {method}, by {giver}."
        )
    notes = []
    if result.withheld:
        notes.append(
            "Some information is left out of this copy to keep people safe. Where it was, the copy "
            "says [Withheld: …] and why."
        )
    if copy.recipient_kind == RecipientKind.SUBJECT_ACCESS:
        notes.append(
            "This copy answers a subject access request (UK GDPR article 15, Data Protection Act "
            "2018). Information about other people is withheld, and each place where something is "
            "withheld gives the reason. You can ask us to explain any of it."
        )
    if copy.released_by_id:
        releaser = copy.released_by.get_full_name() or copy.released_by.username
        notes.append(f"Released by {releaser}, team manager, before it was given.")
    document = pdf.document_data(
        content,
        signatures=signatures,
        stamp=copy.stamp,
        statement=statement,
        notes=notes,
        file_copy=copy.recipient_kind == RecipientKind.FILE,
        # The letter is addressed to the child: the child's copy (and the young person's own, as an
        # adult, answering a subject access request) opens with it; nobody else's copy carries it.
        letter=pdf.letter_data(content, copy.given_on)
        if copy.recipient_kind in (RecipientKind.CHILD, RecipientKind.SUBJECT_ACCESS)
        else None,
    )
    for item, printed in zip(document["signatures"], result.extra[SIGNATURES], strict=True):
        item["statement"] = printed
    return pdf.render(document, timestamp=record.authorised_at), result


def _authorised_for_copies(actor, record: ClosureRecord) -> ClosureRecord:
    record = ClosureRecord.objects.select_related("episode__child", "authorised_by").get(pk=record.pk)
    if not record_permissions(actor, record).can_handle_documents:
        raise PermissionDenied
    if record.status != Status.AUTHORISED or not record.snapshot:
        raise DomainError("Copies can be given only of an authorised Closure Record.")
    return record


@dataclass
class CopyPreview:
    """Exactly what a recipient would get, before the copy is given."""

    recipient_kind: str
    person_id: int | None
    name: str
    role: str
    head: str
    disclosure: disclosure.Disclosure
    unknown_names: list

    @property
    def profile(self):
        return self.disclosure.profile

    @property
    def is_perpetrator(self) -> bool:
        return self.disclosure.profile.name == Profile.PERPETRATOR


def copy_preview(
    *,
    actor,
    record: ClosureRecord,
    recipient_kind: str,
    person_id=None,
    name: str = "",
    role: str = "",
    overrides=(),
) -> CopyPreview:
    """What the copy for this recipient would hold: every passage with what is withheld and why,
    the names and places it still holds, and whether a manager must release it. Changes nothing."""
    record = _authorised_for_copies(actor, record)
    return _preview(record, recipient_kind, person_id, name, role, overrides)


def _preview(record, recipient_kind, person_id, name, role, overrides) -> CopyPreview:
    pid, recipient_name, recipient_role, head, person = _recipient(
        record.snapshot, kind=recipient_kind, person_id=person_id, name=name, role=role
    )
    profile = disclosure.profile_for(recipient_kind, person)
    result = disclosure.disclose(
        record.snapshot,
        disclosure.Recipient(profile.name, pid),
        marks=record_marks(record),
        overrides=frozenset(overrides or ()),
        extra={SIGNATURES: signature_statements(signatures_for(record))},
    )
    known = {text.lower() for _, text in result.remaining}
    free_text = "\n".join(
        segment.text for p in result.passages for segment in p.segments if not segment.reason
    )
    unknown = [n for n in disclosure.other_names(free_text) if n.lower() not in known]
    return CopyPreview(recipient_kind, pid, recipient_name, recipient_role, head, result, unknown)


@transaction.atomic
def copy_give(
    *,
    actor,
    record: ClosureRecord,
    recipient_kind: str,
    given_on,
    method: str,
    person_id=None,
    name: str = "",
    role: str = "",
    overrides=(),
    override_reason: str = "",
) -> Copy:
    """Give a copy of an authorised record, stamped on every page with whose copy it is and the
    date, holding only what the recipient's disclosure profile allows (documents/disclosure.py).

    A copy for someone who has harmed a member of the family, or one where the worker overrode a
    withholding, waits for a team manager's release (not the one who asked) before it can be
    printed, downloaded or sent. Where a parent does not read English the copy is refused until
    the interpreter session is on the record. The PDF is stored with its SHA-256 so the copy can be
    downloaded again identical.
    """
    record = _authorised_for_copies(actor, record)
    missing = interpreting_missing(record.snapshot)
    if missing:
        raise DomainError(
            "A parent does not read English: the record must be explained through an interpreter "
            "before a copy is given. Record the interpreter session (" + ", ".join(missing) + ") "
            "on the record first."
        )
    if method not in CopyMethod.values:
        raise DomainError("Select how the copy was given.", field="method")
    if given_on is None:
        raise DomainError("Enter the date the copy was given.", field="given_on")
    date_rules.refuse(date_rules.context_for(record=record), [("given_on", "copy.given_on", given_on)])
    preview = _preview(record, recipient_kind, person_id, name, role, overrides)
    result = preview.disclosure
    unknown_overrides = set(overrides or ()) - set(result.overridden)
    if unknown_overrides:
        raise DomainError(
            "Something you chose to show is no longer withheld in this copy: look at the preview again.",
            field="overrides",
        )
    if result.overridden and not override_reason.strip():
        raise DomainError(
            "Say why the withheld information you chose to show may be given to this person.",
            field="override_reason",
        )
    by_key = {f["key"]: f for f in result.findings if f["overridden"]}
    made_with = {
        "marks": record_marks(record),
        "overrides": [
            {"key": key, "kind": by_key[key]["kind"], "section": by_key[key]["section"]}
            for key in result.overridden
        ],
        "override_reason": override_reason.strip() if result.overridden else "",
    }
    copy = Copy(
        record=record,
        recipient_kind=recipient_kind,
        person_id=preview.person_id,
        recipient_name=preview.name,
        recipient_role=preview.role,
        given_on=given_on,
        method=method,
        given_by=actor,
        stamp=stamp_text(preview.head, preview.name, preview.role, recipient_kind, given_on),
        profile=result.profile.name,
        withheld=result.withheld,
        disclosure=made_with,
        release_status=ReleaseStatus.AWAITING if result.needs_release else ReleaseStatus.NOT_NEEDED,
        release_reasons=result.release_reasons,
        renderer=pdf.RENDERER,
    )
    content, rendered = _render_copy(record, copy, signatures_for(record))
    copy.withheld = rendered.withheld
    copy.pdf, copy.size = content, len(content)
    copy.sha256 = hashlib.sha256(content).hexdigest()
    copy.full_clean(exclude=["pdf"])
    copy.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=copy,
        child_id=record.episode.child_id,
        summary=f"Gave a copy of the Closure Record: {copy.stamp}"
        + (" (awaiting a team manager's release)" if result.needs_release else ""),
        after={
            "record": record.pk,
            "recipient_kind": recipient_kind,
            "recipient": copy.recipient_name,
            "profile": copy.profile,
            "given_on": given_on,
            "method": method,
            "sha256": copy.sha256,
            "withheld": copy.withheld,
            "overrides": made_with["overrides"],
            "override_reason": made_with["override_reason"],
            "release_status": copy.release_status,
        },
    )
    return copy


@transaction.atomic
def copy_release(*, actor, copy: Copy) -> Copy:
    """A team manager releases a copy that needed it (for someone who has harmed a member of the
    family, or with a withholding overridden): only then can it be printed, downloaded or sent.
    Separation of duties: the manager is not the one who asked for the copy
    (copy_permissions(...).can_release)."""
    copy = Copy.objects.select_for_update().select_related("record__episode", "given_by").get(pk=copy.pk)
    if not record_permissions(actor, copy.record).can_handle_documents:
        raise PermissionDenied
    if copy.release_status != ReleaseStatus.AWAITING:
        raise DomainError("This copy is not waiting for a release.")
    if not copy_permissions(actor, copy).can_release:
        if copy.given_by_id == actor.pk:
            raise DomainError("Another team manager must release this copy: you asked for it.")
        raise DomainError("Only a team manager of the child's team can release this copy.")
    copy.release_status = ReleaseStatus.RELEASED
    copy.released_by, copy.released_at = actor, timezone.now()
    content = copy_document(copy.record, copy, signatures_for(copy.record))
    copy.pdf, copy.size = content, len(content)
    copy.sha256 = hashlib.sha256(content).hexdigest()
    copy.full_clean(exclude=["pdf"])
    copy.save(
        update_fields=["release_status", "released_by", "released_at", "pdf", "size", "sha256", "updated_at"]
    )
    log_event(
        actor=actor,
        action=Action.TRANSITION,
        obj=copy,
        child_id=copy.record.episode.child_id,
        summary=f"Released a copy of the Closure Record: {copy.stamp}",
        before={"release_status": ReleaseStatus.AWAITING},
        after={
            "release_status": copy.release_status,
            "released_by": actor.pk,
            "asked_by": copy.given_by_id,
            "reasons": copy.release_reasons,
            "sha256": copy.sha256,
        },
    )
    return copy


class CopyNotReleased(DomainError):
    """A copy waiting for a manager's release was asked for."""


@transaction.atomic
def copy_download(*, actor, copy: Copy) -> bytes:
    """The copy's PDF exactly as it was given; refuses one still waiting for a manager's release,
    and one whose stored bytes no longer match their digest."""
    record = copy.record
    if not record_permissions(actor, record).can_handle_documents:
        raise PermissionDenied
    copy = Copy.objects.defer("pdf").get(pk=copy.pk)
    if not copy.is_released:
        raise CopyNotReleased(
            "This copy is waiting for a team manager's release: it cannot be printed, downloaded or "
            "sent until then."
        )
    content = bytes(Copy.objects.values_list("pdf", flat=True).get(pk=copy.pk))
    if hashlib.sha256(content).hexdigest() != copy.sha256:
        raise DomainError("This copy's file does not match its digest. Tell the system administrator.")
    log_event(
        actor=actor,
        action=Action.EXPORT,
        obj=copy,
        child_id=record.episode.child_id,
        summary=f"Downloaded a copy of the Closure Record: {copy.stamp}",
        after={"sha256": copy.sha256},
    )
    return content


# --- Passages the worker withholds ---------------------------------------------------------------


def withholding_recipients(snapshot_family: list[dict]) -> list[tuple[str, str]]:
    """(value, label) of whom a passage can be withheld from: each profile and each family member."""
    choices = [
        ("child", "The child"),
        ("parent", "Every parent, carer and family member"),
        ("perpetrator", "Anyone who has harmed a member of the family"),
        ("professional", "Other professionals"),
        ("subject_access", "The young person as an adult (subject access)"),
    ]
    choices += [(f"person:{p['person_id']}", f"{p['name']} ({p['relationship']})") for p in snapshot_family]
    return choices


@transaction.atomic
def withholding_add(
    *, actor, record: ClosureRecord, text: str, recipients: list[str], reason: str
) -> Withholding:
    """Mark a passage of the record as withheld from named recipients' copies, with a reason printed
    in its place. On an authorised record the passage must be in it (whatever its spacing or case)."""
    record = ClosureRecord.objects.select_related("episode__child").get(pk=record.pk)
    if not record_permissions(actor, record).can_handle_documents:
        raise PermissionDenied
    text = (text or "").strip()
    if len(text) < 3:
        raise DomainError("Enter the words to withhold, as they are written in the record.", field="text")
    if len(text) > 2000:
        raise DomainError("The passage must be 2,000 characters or fewer.", field="text")
    family = record.snapshot.get("family") if record.snapshot else family_of(record.episode)
    allowed = {value for value, _ in withholding_recipients(family)}
    recipients = [r for r in dict.fromkeys(recipients or []) if r]
    if not recipients or any(r not in allowed for r in recipients):
        raise DomainError("Select whom to withhold it from.", field="recipients")
    if reason not in WithholdReason.values:
        raise DomainError("Select why it is withheld.", field="reason")
    if record.snapshot and not disclosure.appears_in(record.snapshot, text):
        raise DomainError(
            "These words are not in the authorised record: copy them exactly from it.", field="text"
        )
    withholding = Withholding(
        record=record, text=text, recipients=recipients, reason=reason, created_by=actor
    )
    withholding.full_clean()
    withholding.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=withholding,
        child_id=record.episode.child_id,
        summary="Withheld a passage of the Closure Record from some copies",
        after={"record": record.pk, "recipients": recipients, "reason": reason, "characters": len(text)},
    )
    return withholding


@transaction.atomic
def withholding_remove(*, actor, withholding: Withholding) -> None:
    """Stop withholding a passage from copies still to be given (copies already given keep it)."""
    if not record_permissions(actor, withholding.record).can_handle_documents:
        raise PermissionDenied
    log_event(
        actor=actor,
        action=Action.DELETE,
        obj=withholding,
        child_id=withholding.record.episode.child_id,
        summary="Stopped withholding a passage of the Closure Record",
        before={"record": withholding.record_id, "recipients": withholding.recipients},
    )
    withholding.delete()


RECORD_STAMP = "The authorised record — for reading, not a copy given to anyone"


@transaction.atomic
def record_pdf(*, actor, record: ClosureRecord) -> bytes:
    """The authorised record as a PDF for the worker and managers to read (nothing withheld, stamped
    as not being a copy given). Rendered from the snapshot, so it is the same every time."""
    if not record_permissions(actor, record).can_handle_documents:
        raise PermissionDenied
    if record.status != Status.AUTHORISED or not record.snapshot:
        raise DomainError("Only an authorised Closure Record can be printed.")
    content = pdf.render(
        pdf.document_data(
            record.snapshot,
            signatures=signatures_for(record),
            stamp=RECORD_STAMP,
            statement="This is the record as authorised. Copies given to people are listed in the "
            "copies register.",
            notes=[],
            file_copy=True,
        ),
        timestamp=record.authorised_at,
    )
    log_event(
        actor=actor,
        action=Action.EXPORT,
        obj=record,
        child_id=record.episode.child_id,
        summary="Downloaded the authorised Closure Record (PDF)",
        after={"sha256": hashlib.sha256(content).hexdigest(), "snapshot_sha256": record.snapshot_sha256},
    )
    return content
