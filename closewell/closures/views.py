"""The Closure Record pages: start, task list, sections, check and submit, review, queue, history.

Views are thin: a record is read only through selectors.record_get_for_user (404 alike for
'missing' and 'not yours'), changed only through one service per page; a service's refusal
(DomainError) is shown on the form, and a record's problems (RecordIncomplete) in the error summary,
each linking to the section that needs putting right.
"""

import datetime as dt
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closewell.accounts.permissions import can_edit_case, can_review_record, can_write_record, team_ids_for
from closewell.advice.selectors import advice_for_record, advice_for_section
from closewell.cases import selectors as case_selectors
from closewell.core.errors import DomainError

from . import content, selectors, services
from .checks import section_required
from .forms import SECTION_FORMS, ReturnForm, StartForm, WithdrawForm
from .models import LIVE, ClosureRecord, Section, Status

TASK_TAGS = {
    selectors.TaskStatus.NOT_STARTED: "govuk-tag--blue",
    selectors.TaskStatus.IN_PROGRESS: "govuk-tag--light-blue",
    selectors.TaskStatus.NEEDS_ATTENTION: "govuk-tag--red",
    selectors.TaskStatus.COMPLETED: "",
}
STATUS_TAGS = {
    Status.DRAFT: "govuk-tag--grey",
    Status.SUBMITTED: "govuk-tag--blue",
    Status.RETURNED: "govuk-tag--orange",
    Status.AUTHORISED: "govuk-tag--green",
    Status.WITHDRAWN: "govuk-tag--grey",
}
SECTION_TITLES = {
    Section.INVOLVEMENT: "Reason for involvement",
    Section.INTERVENTIONS: "Details of interventions since assessment, admission or last review",
    Section.REVIEW: "Review of planned actions",
    Section.REASON: "Reason for closure",
    Section.CHILD_VIEWS: "Views of the child or young person",
    Section.PARENT_VIEWS: "Views of parents and carers",
    Section.DOMESTIC_ABUSE: "Domestic abuse",
    Section.INTERPRETING: "Interpreting",
    Section.ADDENDUM: "Correction (addendum)",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


# --- Helpers ----------------------------------------------------------------------------------------


def _record(request, pk: int) -> ClosureRecord:
    """The record, 404 unless the user may read its case. A page view is audited, a form post not
    (the service audits the change)."""
    return selectors.record_get_for_user(request.user, pk, audit_read=request.method == "GET")


def _manages_team(user, record: ClosureRecord) -> bool:
    return user.is_team_manager and record.episode.team_id in (team_ids_for(user) or [])


def _section_url(record: ClosureRecord, section: str) -> str:
    return reverse("closures:section", args=[record.pk, section])


def field_anchor(field: str) -> str:
    """The id of the first input of a field a problem names (radios: the first; dates: the day)."""
    if field in ("reason_code", "child_discussed") or re.fullmatch(r"parent_\d+_discussed", field):
        return f"id_{field}_0"
    if field.endswith("_date") or field == "interpreted_on":
        return f"id_{field}_day"
    return f"id_{field}"


def problem_links(record: ClosureRecord, problems) -> list[tuple[str, str]]:
    """(message, link) for each problem: 'Section: what to do', linking to the section's field."""
    links = []
    for problem in problems:
        url = _section_url(record, problem.section)
        if problem.field:
            url += f"#{field_anchor(problem.field)}"
        links.append((f"{problem.section_label}: {problem.message}", url))
    return links


def revive(value):
    """The frozen snapshot's ISO dates back to dates, so the page shows them in words."""
    if isinstance(value, dict):
        return {key: revive(item) for key, item in value.items()}
    if isinstance(value, list):
        return [revive(item) for item in value]
    if isinstance(value, str):
        try:
            if ISO_DATE.match(value):
                return dt.date.fromisoformat(value)
            if ISO_DATETIME.match(value):
                return timezone.localtime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def record_content(record: ClosureRecord) -> dict:
    """What the record says: the frozen snapshot once authorised (never live case data), else live."""
    if record.is_authorised and record.snapshot:
        return revive(record.snapshot)
    return content.record_content(record)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days (Monday to Friday) after start, up to and including end."""
    days, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def _addenda(record: ClosureRecord) -> list[dict]:
    if record.addendum_to_id:
        return []
    return [
        {"record": addendum, "content": record_content(addendum)}
        for addendum in record.addenda.exclude(status=Status.WITHDRAWN)
        .select_related("author", "authorised_by")
        .order_by("pk")
    ]


def _page_context(request, record: ClosureRecord) -> dict:
    user = request.user
    return {
        "record": record,
        "child": record.episode.child,
        "status_tag": STATUS_TAGS.get(record.status, ""),
        "overdue": selectors.is_overdue(record),
        "submit_due": selectors.submit_due(record),
        "authorise_due": selectors.authorise_due(record),
        "can_write": can_write_record(user, record),
        "can_review": can_review_record(user, record) and record.status == Status.SUBMITTED,
        "can_history": _manages_team(user, record),
        "can_withdraw": record.status in LIVE
        and (can_write_record(user, record) or can_review_record(user, record)),
    }


# --- Start ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request, episode_pk: int):
    """Start the record as soon as the decision to close is made; one live record per episode."""
    episode = case_selectors.episode_get_for_user(request.user, episode_pk)
    live = episode.closure_records.filter(status__in=LIVE, addendum_to__isnull=True).first()
    if live is not None:
        return redirect(live)
    if not can_edit_case(request.user, episode):
        raise PermissionDenied
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.closure_start(actor=request.user, episode=episode, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Closure Record started")
            return redirect(record)
    return render(request, "closures/start.html", {"form": form, "episode": episode, "child": episode.child})


# --- The record: task list while it is written, the record page otherwise ---------------------------


@require_GET
def record_detail(request, pk: int):
    record = _record(request, pk)
    context = _page_context(request, record)
    if context["can_write"]:
        tasks = selectors.task_list(record)
        for task in tasks:
            task["tag"] = TASK_TAGS[task["status"]]
            task["url"] = _section_url(record, task["section"])
        comments = [comment for task in tasks for comment in task["comments"]]
        return render(
            request,
            "closures/task_list.html",
            {
                **context,
                "tasks": tasks,
                "comments": comments,
                "completed": sum(t["status"] == selectors.TaskStatus.COMPLETED for t in tasks),
            },
        )
    user = request.user
    said = record_content(record)
    return render(
        request,
        "closures/record.html",
        {
            **context,
            "content": said,
            # An authorised record is shown as it was authorised, the child's name included.
            "heading_name": said["child"]["name"] if "child" in said else "",
            "addenda": _addenda(record),
            "can_add_addendum": record.is_authorised
            and not record.addendum_to_id
            and (user.is_social_worker or user.is_team_manager)
            and record.episode.team_id in (team_ids_for(user) or []),
        },
    )


# --- Sections ---------------------------------------------------------------------------------------


def _section_context(record: ClosureRecord, section: str) -> dict:
    """What a section's page shows beside its form, read-only, from the case."""
    extra: dict = {}
    if section == Section.INTERVENTIONS:
        extra["seen"] = content.dates_seen(record.episode)
    elif section == Section.REVIEW:
        extra["review"] = content.review_groups(record.episode)
    elif section == Section.CHILD_VIEWS:
        extra["child_age"] = record.episode.child.age()
    extra["comments"] = list(record.comments.filter(resolved=False, section=section))
    return extra


@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, section: str):
    """One section's form. A refused save keeps everything typed; a stale one also shows what is
    saved now, and moves the form to the current version so saving again replaces it."""
    record = _record(request, pk)
    if section not in Section.values or not section_required(record, section):
        raise Http404("No such section on this record.")
    if not can_write_record(request.user, record):
        raise PermissionDenied
    form_class = SECTION_FORMS[section]
    saved = None
    if request.method == "GET":
        form = form_class(record=record, initial=form_class.initial_for(record))
    else:
        form = form_class(request.POST, record=record)
        if form.is_valid():
            try:
                services.closure_update(
                    actor=request.user,
                    record=record,
                    section=section,
                    version=form.cleaned_data["version"],
                    data=form.service_data(),
                )
            except DomainError as error:
                if error.field == "version":
                    record = selectors.record_get_for_user(request.user, pk, audit_read=False)
                    saved = form.saved_values(form_class.initial_for(record))
                    data = request.POST.copy()
                    for name, value in form_class.versions_for(record).items():
                        data[name] = value
                    form = form_class(data, record=record)
                    form.is_valid()
                form.add_domain_error(error)
            except ValidationError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"“{Section(section).label}” saved")
                return redirect(record)
    extra = _section_context(record, section)
    if section == Section.REVIEW:
        extra["review"] = form.attach(extra["review"])
    return render(
        request,
        f"closures/sections/{section}.html",
        {
            **_page_context(request, record),
            **extra,
            "form": form,
            "section": section,
            "section_label": Section(section).label,
            "title": SECTION_TITLES[section],
            "saved": saved,
            "advice": advice_for_section(record, section),
        },
    )


# --- Check your answers and submit ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    record = _record(request, pk)
    if not can_write_record(request.user, record):
        raise PermissionDenied
    problems, error = [], None
    if request.method == "POST":
        try:
            services.closure_submit(actor=request.user, record=record)
        except services.RecordIncomplete as incomplete:
            problems = problem_links(record, incomplete.problems)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, "Closure Record submitted for authorisation")
            return redirect(record)
    return render(
        request,
        "closures/check.html",
        {
            **_page_context(request, record),
            "content": content.record_content(record),
            "problems": problems,
            "error": error,
            "sections": {t["section"]: t for t in selectors.task_list(record)},
        },
    )


# --- A manager's review: return with comments, or authorise -----------------------------------------


def _review_page(request, record: ClosureRecord, form: ReturnForm, problems=(), error=None):
    return render(
        request,
        "closures/review.html",
        {
            **_page_context(request, record),
            "content": record_content(record),
            "addenda": _addenda(record),
            "form": form,
            "problems": problems,
            "error": error,
            "today": timezone.localdate(),
            "advice": advice_for_record(record),
        },
    )


def _return_form(record: ClosureRecord, data=None) -> ReturnForm:
    sections = [(s.value, s.label) for s in Section if section_required(record, s)]
    return ReturnForm(data, sections=sections)


@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    record = _record(request, pk)
    if not can_review_record(request.user, record):
        raise PermissionDenied
    form = _return_form(record, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_return(actor=request.user, record=record, comments=form.comments())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, f"Closure Record for {record.episode.child.full_name} returned for amendment"
            )
            return redirect("closures:queue")
    return _review_page(request, record, form)


@require_POST
def authorise(request, pk: int):
    """The case is closed from this moment (services.closure_authorise)."""
    record = _record(request, pk)
    if not can_review_record(request.user, record):
        raise PermissionDenied
    try:
        services.closure_authorise(actor=request.user, record=record)
    except services.RecordIncomplete as incomplete:
        return _review_page(
            request, record, _return_form(record), problems=problem_links(record, incomplete.problems)
        )
    except DomainError as refusal:
        return _review_page(request, record, _return_form(record), error=refusal.message)
    return redirect("closures:authorised", pk=record.pk)


@require_GET
def authorised(request, pk: int):
    """The confirmation panel after authorising."""
    record = _record(request, pk)
    if not record.is_authorised:
        return redirect(record)
    return render(request, "closures/authorised.html", {"record": record, "child": record.episode.child})


# --- Addendum, withdraw -----------------------------------------------------------------------------


@require_POST
def addendum(request, pk: int):
    record = _record(request, pk)
    try:
        new = services.addendum_start(actor=request.user, record=record)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(record)
    messages.success(request, "Addendum started: write the correction, then submit it for authorisation")
    return redirect(new)


@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    record = _record(request, pk)
    if record.status not in LIVE or not (
        can_write_record(request.user, record) or can_review_record(request.user, record)
    ):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_withdraw(actor=request.user, record=record, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Closure Record withdrawn: the case stays open")
            return redirect(record.episode.child)
    return render(request, "closures/withdraw.html", {**_page_context(request, record), "form": form})


# --- Lists ------------------------------------------------------------------------------------------


@require_GET
def queue(request):
    """A manager's records to authorise; anyone writing records, their drafts and returned ones."""
    user = request.user
    if not (user.is_social_worker or user.is_team_manager):
        raise PermissionDenied
    today = timezone.localdate()
    waiting = []
    for record in selectors.awaiting_authorisation(user):
        submitted = timezone.localdate(record.submitted_at)
        waiting.append(
            {
                "record": record,
                "submitted": submitted,
                "waited": working_days_between(submitted, today),
                "overdue": selectors.is_overdue(record, today),
            }
        )
    own = selectors.in_progress_for(user).annotate(
        open_comments=Count("comments", filter=Q(comments__resolved=False))
    )
    writing = [
        {
            "record": record,
            "overdue": selectors.is_overdue(record, today),
            "due": selectors.submit_due(record),
        }
        for record in own
    ]
    return render(
        request,
        "closures/queue.html",
        {
            "waiting": waiting,
            "writing": writing,
            "is_manager": user.is_team_manager,
            "status_tags": STATUS_TAGS,
        },
    )


@require_GET
def history(request, pk: int):
    """Who did what to a record, and who read it: for the team's managers."""
    record = _record(request, pk)
    if not _manages_team(request.user, record):
        raise PermissionDenied
    return render(
        request,
        "closures/history.html",
        {**_page_context(request, record), "events": selectors.record_history(record)},
    )
