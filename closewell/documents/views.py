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

from closewell.accounts.permissions import copy_permissions, record_permissions
from closewell.closures.content import family as family_of
from closewell.closures.content import parents_and_carers
from closewell.closures.selectors import signatures_task
from closewell.core.errors import DomainError

from . import services
from .forms import CopyForm, SignatureForm, SignatureKeepForm, WithholdingForm
from .models import KIND_LABELS, Signature, SignerKind, Withholding, WithholdReason
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
        (str(link.person_id), f"{link.person.full_name} ({link.get_relationship_display().lower()})")
        for link in parents_and_carers(episode)
        if link.person_id not in signed
    ]
    return choices


@require_http_methods(["GET", "POST"])
def signatures(request, pk: int):
    """The record's signatures and, until it is authorised, the form to add one."""
    record = record_for_documents(request.user, pk, audit_read=request.method == "GET")
    task = signatures_task(record)
    current = task["signatures"]
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
            "task": task,
            "form": form,
            "can_sign": can_sign,
        },
    )


@require_http_methods(["GET", "POST"])
def signature_keep(request, pk: int, signature_pk: int):
    """Keep an out-of-date signature for the record as changed, saying why (or go back and take a
    new one); once the record is authorised there is nothing to change."""
    record = record_for_documents(request.user, pk, audit_read=request.method == "GET")
    signature = get_object_or_404(Signature, pk=signature_pk, record=record)
    if record.status not in services.SIGNABLE:
        return redirect("documents:signatures", pk=record.pk)
    form = SignatureKeepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_keep(
                actor=request.user, signature=signature, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Signature of {signature.signer_name} kept for the record as changed")
            return redirect("documents:signatures", pk=record.pk)
    return render(
        request,
        "documents/signature_keep.html",
        {"record": record, "child": record.episode.child, "signature": signature, "form": form},
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
    record_access = record_permissions(request.user, record)
    copies = list(copies_for(record))
    for copy in copies:
        copy.access = copy_permissions(request.user, copy, record_access)
    return render(
        request,
        "documents/copies.html",
        {
            "record": record,
            "child": record.episode.child,
            "copies": copies,
            "authorised": record.is_authorised,
        },
    )


STEP_ONE = ("recipient", "name", "role", "given_on", "method")
NOT_CARRIED = frozenset({"csrfmiddlewaretoken", "action", "overrides", "override_reason", "confirm_risk"})


def _grouped(passages) -> list[tuple[str, list]]:
    """Passages by section, in the record's order, for the preview."""
    groups: list[tuple[str, list]] = []
    for passage in passages:
        if not groups or groups[-1][0] != passage.section:
            groups.append((passage.section, []))
        groups[-1][1].append(passage)
    return groups


def _withheld_findings(result) -> list[dict]:
    """Each different thing withheld (or overridden), once, for the worker to check or override."""
    seen, out = set(), []
    for finding in result.findings:
        if finding["key"] in seen or finding["kind"] == "marked":
            continue
        seen.add(finding["key"])
        out.append({**finding, "label": KIND_LABELS.get(finding["kind"], finding["kind"])})
    return out


@require_http_methods(["GET", "POST"])
def copy_give(request, pk: int):
    """Give a copy in two steps: who it is for, then exactly what they will get (the preview), with
    what is withheld highlighted; a restricted copy goes to a team manager for release."""
    record = record_for_documents(request.user, pk, audit_read=request.method == "GET")
    if not record.is_authorised:
        messages.error(request, "Copies can be given only of an authorised Closure Record.")
        return redirect("documents:copies", pk=record.pk)
    family = record.snapshot.get("family", [])
    context = {
        "record": record,
        "child": record.episode.child,
        "interpreting": record.snapshot.get("interpreting", {}),
        "perpetrators": [p for p in family if p.get("perpetrator")],
    }
    if request.method == "GET":
        form = CopyForm(family=family, record=record)
        return render(request, "documents/copy_form.html", {**context, "form": form, "fields": STEP_ONE})
    form = CopyForm(family=family, record=record, data=request.POST)
    if not form.is_valid() or request.POST.get("action") == "change":
        if request.POST.get("action") == "change":
            form = CopyForm(family=family, record=record, initial=request.POST)
        return render(request, "documents/copy_form.html", {**context, "form": form, "fields": STEP_ONE})
    fields = form.service_fields()
    preview_fields = {k: v for k, v in fields.items() if k not in ("given_on", "method")}
    try:
        preview = services.copy_preview(
            actor=request.user, record=record, overrides=form.cleaned_data["overrides"], **preview_fields
        )
    except (DomainError, ValidationError) as error:
        form.add_domain_error(error)
        return render(request, "documents/copy_form.html", {**context, "form": form, "fields": STEP_ONE})
    if request.POST.get("action") == "give":
        if preview.is_perpetrator and not form.cleaned_data.get("confirm_risk"):
            form.add_error(
                "confirm_risk",
                "Confirm that you have checked the preview: this person has harmed a member of the family",
            )
        else:
            try:
                copy = services.copy_give(
                    actor=request.user, record=record, **fields, **form.override_fields()
                )
            except (DomainError, ValidationError) as error:
                form.add_domain_error(error)
            else:
                if copy.is_released:
                    messages.success(request, f"{copy.stamp}: recorded in the copies register")
                else:
                    messages.success(
                        request,
                        f"{copy.stamp}: waiting for a team manager's release. It cannot be printed, "
                        "downloaded or sent until another team manager releases it.",
                    )
                return redirect("documents:copies", pk=record.pk)
    carried = [
        (key, value) for key in request.POST for value in request.POST.getlist(key) if key not in NOT_CARRIED
    ]
    return render(
        request,
        "documents/copy_preview.html",
        {
            **context,
            "form": form,
            "preview": preview,
            "sections": _grouped(preview.disclosure.passages),
            "findings": _withheld_findings(preview.disclosure),
            "chosen": set(form.cleaned_data.get("overrides") or []) if form.is_bound else set(),
            "carried": carried,
        },
    )


@require_http_methods(["GET", "POST"])
def copy_release(request, pk: int, copy_pk: int):
    """A team manager (not the one who asked) reads what a restricted copy holds and releases it."""
    record = record_for_documents(request.user, pk, audit_read=request.method == "GET")
    copy = copy_get(record, copy_pk)
    if request.method == "POST":
        try:
            services.copy_release(actor=request.user, copy=copy)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("documents:copy_release", pk=record.pk, copy_pk=copy.pk)
        messages.success(request, f"{copy.stamp}: released. It can now be printed, downloaded or sent.")
        return redirect("documents:copies", pk=record.pk)
    result = services.copy_disclosure(record, copy, signatures_for(record))
    return render(
        request,
        "documents/copy_release.html",
        {
            "record": record,
            "child": record.episode.child,
            "copy": copy,
            "result": result,
            "sections": _grouped(result.passages),
            "findings": _withheld_findings(result),
            "copy_access": copy_permissions(request.user, copy),
            "asked_yourself": copy.given_by_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def withholdings(request, pk: int):
    """Passages the worker withholds from named recipients' copies, and the form to add one."""
    record = record_for_documents(request.user, pk, audit_read=request.method == "GET")
    family = record.snapshot.get("family") if record.snapshot else family_of(record.episode)
    choices = services.withholding_recipients(family)
    form = WithholdingForm(recipients=choices, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withholding_add(actor=request.user, record=record, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The passage will be withheld from the copies you chose")
            return redirect("documents:withholdings", pk=record.pk)
    labels = dict(choices)
    rows = [
        (w, [labels.get(r, r) for r in w.recipients], WithholdReason(w.reason).label)
        for w in record.withholdings.select_related("created_by")
    ]
    return render(
        request,
        "documents/withholdings.html",
        {"record": record, "child": record.episode.child, "form": form, "rows": rows},
    )


@require_POST
def withholding_remove(request, pk: int, withholding_pk: int):
    record = record_for_documents(request.user, pk, audit_read=False)
    withholding = get_object_or_404(Withholding, pk=withholding_pk, record=record)
    services.withholding_remove(actor=request.user, withholding=withholding)
    messages.success(request, "The passage is no longer withheld from copies still to be given")
    return redirect("documents:withholdings", pk=record.pk)


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
