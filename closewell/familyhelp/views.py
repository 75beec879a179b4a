"""Family Help pages: the lead practitioner's handovers and their answer, the managers' list (the
overdue first), and adding a handover to a record being written."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closewell.accounts.permissions import handover_permissions, user_permissions
from closewell.closures.selectors import record_get_for_user
from closewell.core.errors import DomainError

from . import selectors, services
from .content import handover_content, handover_rows
from .forms import AcknowledgeForm
from .models import Acknowledgement


@require_GET
def mine(request):
    """The lead practitioner's handovers: the children handed to them, waiting ones first."""
    if not user_permissions(request.user).can_list_handed_over:
        raise PermissionDenied
    rows = [
        {"handover": h, "due": selectors.answer_due(h), "overdue": selectors.is_overdue(h)}
        for h in selectors.handovers_for_user(request.user)
    ]
    rows.sort(key=lambda r: not r["handover"].is_waiting)
    return render(request, "familyhelp/mine.html", {"rows": rows})


@require_GET
def team(request):
    """A team manager's handovers: unanswered past HANDOVER_ACKNOWLEDGE_WORKING_DAYS are overdue."""
    if not user_permissions(request.user).can_list_team_handovers:
        raise PermissionDenied
    rows = selectors.team_handovers(request.user)
    return render(
        request,
        "familyhelp/team.html",
        {
            "rows": rows,
            "overdue": sum(r["overdue"] for r in rows),
            "settings_days": settings.HANDOVER_ACKNOWLEDGE_WORKING_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def handover_detail(request, pk: int):
    """The handover as authorised, and (for its lead practitioner, once) the form to answer it."""
    handover = selectors.handover_get_for_user(request.user, pk, audit_read=request.method == "GET")
    access = handover_permissions(request.user, handover)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST":
        if not access.can_acknowledge:
            raise PermissionDenied
        if form.is_valid():
            accepted = form.cleaned_data["answer"] == Acknowledgement.ACCEPTED
            try:
                services.handover_acknowledge(
                    actor=request.user,
                    handover=handover,
                    accepted=accepted,
                    reason=form.cleaned_data["declined_reason"],
                )
            except (DomainError, ValidationError) as error:
                form.add_domain_error(error)
            else:
                messages.success(
                    request, "Handover accepted" if accepted else "Your answer has been sent to the team"
                )
                return redirect(handover)
    record = handover.record
    part = (record.snapshot or {}).get("handover") if record.is_authorised else None
    part = part or handover_content(record)
    rows = handover_rows(part)
    if not access.sees_what_was_shared:
        # Without the family's agreement the lead practitioner sees who and what support, no more.
        shown = {"Family Help lead practitioner", "The family agreed to share information",
                 "Support that continues, and who provides it"}  # fmt: skip
        rows = [(label, value) for label, value in rows if label in shown]
    return render(
        request,
        "familyhelp/handover.html",
        {
            "handover": handover,
            "child": handover.record.episode.child,
            "rows": rows,
            "handover_access": access,
            "form": form,
            "due": selectors.answer_due(handover),
            "overdue": selectors.is_overdue(handover),
            "team": handover.record.episode.team,
        },
    )


@require_POST
def handover_add(request, pk: int):
    """Add a handover to a record being written (any reason for closure)."""
    record = record_get_for_user(request.user, pk, audit_read=False)
    try:
        services.handover_add(actor=request.user, record=record)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(record)
    messages.success(request, "Handover to Family Help added")
    return redirect("closures:section", record.pk, "handover")
