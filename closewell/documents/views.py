"""The pages: a record's signatures, giving a copy, the copies register and the PDF downloads.

Thin views: the record is read through closewell.documents.selectors (404 for another team's record)
and written only through closewell.documents.services, which apply the rules and audit.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closewell.closures.content import parents_and_carers
from closewell.core.errors import DomainError

from . import services
from .forms import CopyForm, SignatureForm
from .models import Signature, SignerKind
from .selectors import copies_for, copy_get, record_for_documents, signatures_for


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _signers(record, signatures) -> list[tuple[str, str]]:
    """The child and each parent or carer whose signature (or reason) is not yet recorded."""
    signed = {s.person_id for s in signatures if s.person_id}
    child_done = any(s.signer_kind == SignerKind.CHILD for s in signatures)
    episode = record.episode
    choices = [] if child_done else [("child", f"{episode.child.full_name} (the child)")]
    choices += [
        (str(link.person_id), f"{link.person.full_name} ({link.get_relationship_display()})")
        for link in parents_and_carers(episode)
        if link.person_id not in signed
    ]
    return choices


@require_http_methods(["GET", "POST"])
def signatures(request, pk: int):
    """The record's signatures and, until it is authorised, the form to add one."""
    record = record_for_documents(request.user, pk, audit_read=request.method == "GET")
    current = signatures_for(record)
    can_sign = record.status in services.SIGNABLE
    form = None
    if can_sign:
        make_form = lambda **kw: SignatureForm(signers=_signers(record, current), record=record, **kw)  # noqa: E731
        if request.method == "POST":
            form = make_form(data=request.POST, files=request.FILES)
            if form.is_valid():
                try:
                    signature = services.signature_add(
                        actor=request.user, record=record, **form.service_fields()
                    )
                except (DomainError, ValidationError) as error:
                    form.add_domain_error(error)
                else:
                    messages.success(request, f"Signature of {signature.signer_name} recorded")
                    return redirect("documents:signatures", pk=record.pk)
        else:
            form = make_form()
    elif request.method == "POST":
        messages.error(
            request, "Signatures are part of the authorised record and cannot be changed after authorisation."
        )
        return redirect("documents:signatures", pk=record.pk)
    return render(
        request,
        "documents/signatures.html",
        {
            "record": record,
            "child": record.episode.child,
            "signatures": current,
            "form": form,
            "can_sign": can_sign,
        },
    )


@require_POST
def signature_remove(request, pk: int, signature_pk: int):
    record = record_for_documents(request.user, pk, audit_read=False)
    signature = get_object_or_404(Signature, pk=signature_pk, record=record)
    try:
        services.signature_remove(actor=request.user, signature=signature)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Signature of {signature.signer_name} removed")
    return redirect("documents:signatures", pk=record.pk)


@require_GET
def signature_image(request, pk: int, signature_pk: int):
    """A drawn signature's PNG, for the signatures page."""
    record = record_for_documents(request.user, pk, audit_read=False)
    signature = get_object_or_404(Signature, pk=signature_pk, record=record)
    if not signature.image:
        raise Http404("No drawn signature.")
    response = HttpResponse(bytes(signature.image), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def copies(request, pk: int):
    """The copies register: every copy of the record, to whom, when, how, by whom, its digest."""
    record = record_for_documents(request.user, pk)
    return render(
        request,
        "documents/copies.html",
        {
            "record": record,
            "child": record.episode.child,
            "copies": list(copies_for(record)),
            "authorised": record.is_authorised,
        },
    )


@require_http_methods(["GET", "POST"])
def copy_give(request, pk: int):
    record = record_for_documents(request.user, pk, audit_read=request.method == "GET")
    if not record.is_authorised:
        messages.error(request, "Copies can be given only of an authorised Closure Record.")
        return redirect("documents:copies", pk=record.pk)
    make_form = lambda **kw: CopyForm(family=record.snapshot.get("family", []), record=record, **kw)  # noqa: E731
    form = make_form()
    if request.method == "POST":
        form = make_form(data=request.POST)
        if form.is_valid():
            try:
                copy = services.copy_give(actor=request.user, record=record, **form.service_fields())
            except (DomainError, ValidationError) as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"{copy.stamp}: recorded in the copies register")
                return redirect("documents:copies", pk=record.pk)
    return render(
        request,
        "documents/copy_form.html",
        {
            "record": record,
            "child": record.episode.child,
            "form": form,
            "interpreting": record.snapshot.get("interpreting", {}),
        },
    )


@require_GET
def copy_download(request, pk: int, copy_pk: int):
    record = record_for_documents(request.user, pk, audit_read=False)
    copy = copy_get(record, copy_pk)
    try:
        content = services.copy_download(actor=request.user, copy=copy)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("documents:copies", pk=record.pk)
    return _pdf_response(content, copy.filename)


@require_GET
def record_pdf(request, pk: int):
    """The authorised record as a PDF, for staff to read (stamped as not a copy given)."""
    record = record_for_documents(request.user, pk, audit_read=False)
    try:
        content = services.record_pdf(actor=request.user, record=record)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("documents:copies", args=[record.pk]))
    return _pdf_response(content, f"closure-record-{record.pk}.pdf")
