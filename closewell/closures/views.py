"""The Closure Record pages: start, task list, sections, check and submit, review, queue, history.

Views are thin: a record is read only through selectors.record_get_for_user (404 alike for
'missing' and 'not yours'), changed only through one service per page; a service's refusal
(DomainError) is shown on the form, and a record's problems (RecordIncomplete) in the error summary,
each linking to the section that needs putting right.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from closewell.accounts.permissions import case_permissions, record_permissions, user_permissions
from closewell.advice.selectors import advice_for_record, advice_for_section
from closewell.cases import selectors as case_selectors
from closewell.core.dates import working_days_between
from closewell.core.errors import DomainError, NotPermitted
from closewell.web.editing import versioned_edit

from . import actions, sections, selectors, services
from .checks import SIGNATURES
from .forms import AddendumReasonForm, CommentAnswerForm, ReturnForm, StartForm, WithdrawForm, return_counts
from .models import COMMENTABLE, LIVE, ClosureRecord, ReturnComment, Status

TASK_TAGS = {
    selectors.TaskStatus.OPTIONAL: "govuk-tag--grey",
    selectors.TaskStatus.CHECK: "govuk-tag--yellow",
    selectors.TaskStatus.NOT_STARTED: "govuk-tag--blue",
    selectors.TaskStatus.IN_PROGRESS: "govuk-tag--light-blue",
    selectors.TaskStatus.NEEDS_ATTENTION: "govuk-tag--red",
    selectors.TaskStatus.COMPLETED: "",
    selectors.SignatureStatus.OUT_OF_DATE: "govuk-tag--red",
}
STATUS_TAGS = {
    Status.DRAFT: "govuk-tag--grey",
    Status.SUBMITTED: "govuk-tag--blue",
    Status.RETURNED: "govuk-tag--orange",
    Status.AUTHORISED: "govuk-tag--green",
    Status.WITHDRAWN: "govuk-tag--grey",
}


# --- Helpers ----------------------------------------------------------------------------------------


def _record(request, pk: int) -> ClosureRecord:
    """The record, 404 unless the user may read its case. A page view is audited, a form post not
    (the service audits the change)."""
    return selectors.record_get_for_user(request.user, pk, audit_read=request.method == "GET")


def _section_url(record: ClosureRecord, section: str) -> str:
    if section == SIGNATURES:
        return reverse("documents:signatures", args=[record.pk])
    return reverse("closures:section", args=[record.pk, section])


def _signatures_task(record: ClosureRecord) -> dict:
    task = selectors.signatures_task(record)
    task["tag"] = TASK_TAGS.get(task["status"], "govuk-tag--blue")
    task["url"] = _section_url(record, SIGNATURES)
    return task


def problem_links(record: ClosureRecord, problems) -> list[tuple[str, str]]:
    """(message, link) for each problem: 'Section: what to do', linking to the field on the section's
    page (its form's own anchor: the first radio, a date's day box)."""
    links, section_forms = [], {}
    for problem in problems:
        url = _section_url(record, problem.section)
        if problem.field and problem.section != SIGNATURES:
            spec = sections.get(problem.section)
            if spec.key not in section_forms:
                section_forms[spec.key] = spec.form(record=record)
            form = section_forms[spec.key]
            anchor = form[problem.field].anchor if problem.field in form.fields else f"id_{problem.field}"
            url += f"#{anchor}"
        links.append((str(problem), url))
    return links


def _page_context(request, record: ClosureRecord) -> dict:
    """What every page of a record shows; `record_access` answers which buttons it has."""
    return {
        "record": record,
        "child": record.episode.child,
        "status_tag": STATUS_TAGS.get(record.status, ""),
        "overdue": selectors.is_overdue(record),
        "submit_due": selectors.submit_due(record),
        "authorise_due": selectors.authorise_due(record),
        "record_access": record_permissions(request.user, record),
    }


def _not_open_for_writing(request, record: ClosureRecord, *, posted: bool = False):
    """Where someone who works on the case lands when they open a page for writing a record that is
    no longer being written (Back after submitting, a bookmarked section, a manager's link): the
    record's own page (for its worker, "Waiting for authorisation" while it is submitted), with a
    message saying why, never a 403. A form posted there saved nothing, and says so."""
    state = {
        Status.SUBMITTED: f"submitted on {_when(record.submitted_at)} and is waiting for authorisation",
        Status.AUTHORISED: f"authorised on {_when(record.authorised_at)}",
        Status.WITHDRAWN: "withdrawn",
    }.get(record.status, record.get_status_display().lower())
    kind = "addendum" if record.addendum_to_id else "Closure Record"
    if posted:
        messages.error(
            request, f"Your change was not saved: this {kind} was {state}, so it cannot be changed."
        )
    else:
        messages.info(request, f"This {kind} was {state}: it cannot be changed now.")
    return redirect(record)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M") if moment else "an earlier date"


# --- Start ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request, episode_pk: int):
    """Start the record as soon as the decision to close is made; one live record per episode."""
    episode = case_selectors.episode_get_for_user(request.user, episode_pk, audit=request.method == "GET")
    live = episode.closure_records.filter(status__in=LIVE, addendum_to__isnull=True).first()
    if live is not None:
        return redirect(live)
    if not case_permissions(request.user, episode).can_start_closure:
        raise PermissionDenied
    form = StartForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.closure_start(actor=request.user, episode=episode, **form.service_fields())
        except (DomainError, ValidationError) as error:
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
    # The task list runs the record's rules; the record page and "Waiting" show what it says.
    selectors.record_checked(record, rules=context["record_access"].can_edit)
    if context["record_access"].can_edit:
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
                "signatures_task": _signatures_task(record),
                "comments": comments,
                "completed": sum(
                    t["status"] == selectors.TaskStatus.COMPLETED for t in tasks if not t["optional"]
                ),
                "required": sum(not t["optional"] for t in tasks),
            },
        )
    said = selectors.record_content(record)
    if record.status == Status.SUBMITTED and selectors.waits_for_others(request.user, record):
        return render(
            request,
            "closures/waiting.html",
            {
                **context,
                "content": said,
                "submission": selectors.submission(record),
                "authorisers": selectors.who_can_authorise(record),
            },
        )
    return render(
        request,
        "closures/record.html",
        {
            **context,
            "content": said,
            # An authorised record is shown as it was authorised, the child's name included.
            "heading_name": said["child"]["name"] if "child" in said else "",
            "addenda": selectors.addenda_for_page(record),
        },
    )


# --- Sections ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, section: str):
    """One section's form, through the pages' one versioned-edit flow (web/editing.py): a refused
    save keeps everything typed; a stale one also shows what is saved now, and moves the form to the
    current version so saving again replaces it."""
    record = _record(request, pk)
    spec = sections.get(section)
    if spec is None or not spec.is_due(record):
        raise Http404("No such section on this record.")
    access = record_permissions(request.user, record)
    if not access.can_edit:
        if access.works_on_case:
            return _not_open_for_writing(request, record, posted=request.method == "POST")
        raise PermissionDenied("Only the case's social worker and team managers write its Closure Record.")
    form_class = spec.form

    def saved_now() -> dict:
        nonlocal record
        record = selectors.record_get_for_user(request.user, pk, audit_read=False)
        return form_class.initial_for(record)

    edit = versioned_edit(
        request,
        make_form=lambda **kw: form_class(record=record, **kw),
        initial=form_class.initial_for(record),
        save=lambda form: services.closure_update(
            actor=request.user,
            record=record,
            section=section,
            version=form.cleaned_data["version"],
            data=form.service_data(),
        ),
        current=saved_now,
        versions=lambda: form_class.versions_for(record),
    )
    if edit.done:
        messages.success(request, f"“{spec.title}” saved")
        return redirect(record)
    form, saved = edit.form, edit.saved
    return render(
        request,
        spec.template,
        {
            **_page_context(request, record),
            **spec.context(record),
            "answers": [
                CommentAnswerForm(comment=comment)
                for comment in selectors.latest_comments(record)
                if comment.section == section
            ],
            "form": form,
            "section": section,
            "section_label": spec.title,
            "title": spec.title,
            "saved": saved,
            "unread": spec.unread(record),
            "advice": advice_for_section(record, section),
        },
    )


# --- Check your answers and submit ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    record = _record(request, pk)
    access = record_permissions(request.user, record)
    if not access.can_submit:
        if access.works_on_case:
            return _not_open_for_writing(request, record, posted=request.method == "POST")
        raise PermissionDenied("Only the case's social worker and team managers submit its Closure Record.")
    problems, error = [], None
    if request.method == "POST":
        try:
            actions.SubmitRecord(request.user, record).execute()
        except services.RecordIncomplete as incomplete:
            problems = problem_links(record, incomplete.problems)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, "Closure Record submitted for authorisation")
            return redirect(record)
    selectors.record_checked(record)
    return render(
        request,
        "closures/check.html",
        {
            **_page_context(request, record),
            "content": selectors.record_content(record),
            "problems": problems,
            "error": error,
            "sections": {t["section"]: t for t in selectors.task_list(record)},
            "signatures_task": _signatures_task(record),
            "letter_note": selectors.letter_note(record),
        },
    )


@require_http_methods(["GET", "POST"])
def comment(request, pk: int, comment_pk: int):
    """The worker's answer to one of the manager's comments (the section's page shows the same form
    beside the comment and posts here); a refused answer is shown again here with what was typed."""
    record = _record(request, pk)
    comment = ReturnComment.objects.filter(record=record, pk=comment_pk).select_related("author").first()
    if comment is None:
        raise Http404("No such comment.")
    if not record_permissions(request.user, record).can_answer_comments:
        raise PermissionDenied
    form = CommentAnswerForm(request.POST or None, comment=comment)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_answer(
                actor=request.user,
                comment=comment,
                version=form.cleaned_data["version"],
                answer=form.cleaned_data["answer"],
                dealt_with=form.cleaned_data["dealt_with"],
            )
        except DomainError as error:
            form.add_domain_error(error)
            comment.refresh_from_db()
        else:
            messages.success(
                request,
                f"Comment on “{comment.get_section_display()}” "
                + ("marked dealt with" if form.cleaned_data["dealt_with"] else "answered"),
            )
            return redirect(_section_url(record, comment.section) + f"#comment-{comment.pk}")
    return render(
        request,
        "closures/comment.html",
        {
            **_page_context(request, record),
            "comment": comment,
            "form": form,
            "section_url": _section_url(record, comment.section),
        },
    )


# --- A manager's review: return with comments, or authorise -----------------------------------------


def _review_page(request, record: ClosureRecord, form: ReturnForm, problems=(), error=None, status=200):
    selectors.record_checked(record, rules=False)
    return render(
        request,
        "closures/review.html",
        {
            **_page_context(request, record),
            "content": selectors.record_content(record),
            "addenda": selectors.addenda_for_page(record),
            "form": form,
            "problems": problems,
            "error": error,
            "today": timezone.localdate(),
            "advice": advice_for_record(record),
            "letter_note": "" if record.is_authorised else selectors.letter_note(record),
            "return_loop": selectors.return_loop(record),
            "signatures_task": None if record.is_authorised else _signatures_task(record),
        },
        status=status,
    )


def _return_form(record: ClosureRecord, data=None) -> ReturnForm:
    """The comment boxes beside each section. "Add another comment" (data["add"]) gives its section
    one more box and shows the page again with everything typed, unchecked."""
    commentable = dict(COMMENTABLE)
    titles = [(spec.key, spec.title) for spec in sections.due(record) if spec.key in commentable]
    if data is None:
        return ReturnForm(sections=titles)
    counts, added = return_counts(data, titles)
    if added:
        typed = {name: value for name, value in data.items() if name.startswith("comment_")}
        form = ReturnForm(sections=titles, counts=counts, initial=typed)
        form.added = added
        return form
    return ReturnForm(data, sections=titles, counts=counts)


@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    record = _record(request, pk)
    action = actions.ReturnRecord(request.user, record)
    if not action.permissions.is_reviewer and action.permissions.works_on_case and request.method == "GET":
        return redirect(record)  # a worker following a manager's link reads the record instead
    action.check()
    form = _return_form(record, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            action.execute(comments=form.comments())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, f"Closure Record for {record.episode.child.full_name} returned for amendment"
            )
            return redirect("closures:queue")
    return _review_page(request, record, form)


@require_http_methods(["GET", "POST"])
def authorise(request, pk: int):
    """GET: what authorising will do ("The case will be closed today, … with reason RC7 …"), with
    "Authorise and close the case" and a way back. POST: authorise; the case is closed from this
    moment (services.closure_authorise). Refusals show on the review page, beside the record."""
    record = _record(request, pk)
    action = actions.AuthoriseRecord(request.user, record)
    if request.method == "GET":
        if not action.permissions.is_reviewer and action.permissions.works_on_case:
            return redirect(record)
        action.check()
        if not action.is_available:
            return redirect("closures:review", pk=record.pk)  # the review page says why not
        return render(
            request,
            "closures/authorise.html",
            {**_page_context(request, record), "consequences": selectors.authorise_consequences(record)},
        )
    try:
        action.execute()
    except services.RecordIncomplete as incomplete:
        return _review_page(
            request, record, _return_form(record), problems=problem_links(record, incomplete.problems)
        )
    except DomainError as refusal:
        code = 403 if isinstance(refusal, NotPermitted) else 200
        return _review_page(request, record, _return_form(record), error=refusal.message, status=code)
    return redirect("closures:authorised", pk=record.pk)


@require_GET
def authorised(request, pk: int):
    """The confirmation panel after authorising."""
    record = _record(request, pk)
    if not record.is_authorised:
        return redirect(record)
    return render(request, "closures/authorised.html", {"record": record, "child": record.episode.child})


# --- Addendum, withdraw -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def addendum(request, pk: int):
    """Write an addendum: first why (GET asks, creating nothing), then the draft is made (POST)."""
    record = _record(request, pk)
    action = actions.StartAddendum(request.user, record)
    action.check()
    if not action.is_available:
        live = record.addenda.filter(status__in=LIVE).first()
        if live is not None:
            messages.info(
                request, "This record already has an addendum in progress: finish or withdraw it first."
            )
            return redirect(live)
        return redirect(record)
    form = AddendumReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = action.execute(reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, "Addendum started: write the correction, then submit it for authorisation"
            )
            return redirect(new)
    return render(request, "closures/addendum_reason.html", {**_page_context(request, record), "form": form})


@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    record = _record(request, pk)
    action = actions.WithdrawRecord(request.user, record)
    if not action.is_available and action.permissions.works_on_case:
        return _not_open_for_writing(request, record, posted=request.method == "POST")
    action.check()
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action.execute(reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Closure Record withdrawn: the case stays open")
            return redirect(record.episode.child)
    return render(request, "closures/withdraw.html", {**_page_context(request, record), "form": form})


# --- Lists ------------------------------------------------------------------------------------------


@require_GET
def queue(request):
    """A manager's records to authorise; anyone writing records, theirs that are not finished:
    drafts, those waiting for authorisation and those returned, each with its status tag."""
    user = request.user
    access = user_permissions(user)
    if not access.can_write_records:
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
                "not_yours": record_permissions(user, record).four_eyes_refusal is not None,
            }
        )
    own = selectors.in_progress_for(user).annotate(
        open_comments=Count("comments", filter=Q(comments__resolved=False))
    )
    writing = [
        {
            "record": record,
            "overdue": selectors.is_overdue(record, today),
            "due": selectors.authorise_due(record)
            if record.status == Status.SUBMITTED
            else selectors.submit_due(record),
        }
        for record in own
    ]
    return render(
        request,
        "closures/queue.html",
        {
            "waiting": waiting,
            # The navigation's count of records to authorise, which are these (closure_nav).
            "to_authorise_count": len(waiting),
            "writing": writing,
            "is_manager": access.can_authorise_records,
            "status_tags": STATUS_TAGS,
        },
    )


@require_GET
def history(request, pk: int):
    """Who did what to a record, and who read it: for the team's managers."""
    record = _record(request, pk)
    if not record_permissions(request.user, record).can_see_history:
        raise PermissionDenied("Only the team's managers see who read and changed a Closure Record.")
    return render(
        request,
        "closures/history.html",
        {
            **_page_context(request, record),
            "events": selectors.record_history(record),
            "contributions": record.contributions.select_related("user"),
        },
    )
