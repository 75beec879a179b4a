"""The case pages: the case lists, search, the case page and the forms that record on a case.

Views are thin: cases are read only through closewell.cases.selectors and written only through
closewell.cases.services, which decide access and apply the rules.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from closewell.accounts.models import Team
from closewell.accounts.permissions import can_edit_case, can_search_children
from closewell.core.errors import DomainError
from closewell.web.pagination import page_query, pagination

from . import services
from .codes import DIMENSION_DOMAIN, Dimension, Disability, Domain
from .forms import UNPLANNED, ActionForm, ContactForm, PersonForm, PlaceForm
from .models import ChildPerson, Contact, EpisodeStatus, Place, PlannedAction
from .selectors import (
    child_case,
    child_get_for_user,
    children_search,
    episode_contacts,
    episodes_for_user,
)

PAGE_SIZE = 25
STATUS_TAGS = {
    EpisodeStatus.OPEN: "govuk-tag--blue",
    EpisodeStatus.CLOSING: "govuk-tag--yellow",
    EpisodeStatus.CLOSED: "govuk-tag--grey",
}


# --- Case lists and search ------------------------------------------------------------------------

SORTABLE = [("name", "Child"), ("referral_date", "Referral date"), ("last_contact", "Last contact")]


def _case_list(request, *, own: bool, title: str, teams):
    status = request.GET.get("status", "")
    if status not in EpisodeStatus.values:
        status = ""
    team_choices = list(teams)
    team = request.GET.get("team", "")
    team_id = int(team) if team.isdigit() and int(team) in {t.pk for t in team_choices} else None
    text = request.GET.get("q", "").strip()[:100]
    order = request.GET.get("order", "referral_date")
    keys = {key for key, _ in SORTABLE}
    if order.lstrip("-") not in keys:
        order = "referral_date"
    episodes = episodes_for_user(
        request.user, own=own, team_id=team_id, status=status or None, query=text, order=order
    )
    page = Paginator(episodes, PAGE_SIZE).get_page(request.GET.get("page"))
    headers = []
    for key, label in SORTABLE:
        if order == key:
            aria_sort, next_order = "ascending", f"-{key}"
        elif order == f"-{key}":
            aria_sort, next_order = "descending", key
        else:
            aria_sort, next_order = "none", key
        headers.append(
            {"label": label, "aria_sort": aria_sort, "url": page_query(request, order=next_order, page=None)}
        )
    return render(
        request,
        "cases/case_list.html",
        {
            "title": title,
            "page": page,
            "pages": pagination(request, page),
            "headers": {h["label"]: h for h in headers},
            "status": status,
            "statuses": EpisodeStatus.choices,
            "teams": team_choices,
            "team_id": team_id,
            "q": text,
            "order": order,
            "status_tags": STATUS_TAGS,
            "filtered": bool(status or team_id or text),
        },
    )


@require_GET
def my_cases(request):
    user = request.user
    if not (user.is_social_worker or user.is_team_manager):
        raise PermissionDenied
    teams = user.managed_teams.all() if user.is_team_manager else Team.objects.none()
    return _case_list(request, own=True, title="My cases", teams=teams)


@require_GET
def team_cases(request):
    user = request.user
    if user.is_team_manager:
        teams = user.managed_teams.all()
    elif user.is_data_officer:
        teams = Team.objects.all()
    else:
        raise PermissionDenied
    return _case_list(request, own=False, title="Team cases", teams=teams)


@require_GET
def search(request):
    if not can_search_children(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    results = None
    page = None
    if query:
        page = Paginator(children_search(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
        results = page.object_list
    return render(
        request,
        "cases/search.html",
        {
            "q": query,
            "results": results,
            "page": page,
            "pages": pagination(request, page) if page else None,
        },
    )


# --- The case page --------------------------------------------------------------------------------


def group_by_domain(actions) -> list[dict]:
    """Actions under their Assessment Framework domain and dimension, in the Framework's order."""
    by_dimension: dict[str, list] = {}
    for action in actions:
        by_dimension.setdefault(action.dimension, []).append(action)
    groups = []
    for domain in Domain:
        dimensions = [
            {"label": dimension.label, "actions": by_dimension[dimension]}
            for dimension in Dimension
            if DIMENSION_DOMAIN[dimension] == domain and dimension in by_dimension
        ]
        if dimensions:
            groups.append({"label": domain.label, "dimensions": dimensions})
    return groups


@require_GET
def child_detail(request, pk: int):
    child = child_get_for_user(request.user, pk)
    case = child_case(child)
    for episode in case["episodes"]:
        for plan in episode.plans.all():
            plan.groups = group_by_domain(plan.actions.all())
        episode.unplanned_groups = group_by_domain(episode.unplanned)
    current = case["current"]
    today = timezone.localdate()
    return render(
        request,
        "cases/child.html",
        {
            **case,
            "past_episodes": [e for e in case["episodes"] if e is not current],
            "can_edit": current is not None and can_edit_case(request.user, current),
            "age": child.age(today),
            "disabilities": [
                Disability(code).label for code in child.disabilities if code in Disability.values
            ],
            "looked_after": any(
                p.start_date <= today and (p.end_date is None or p.end_date >= today)
                for p in case["looked_after_periods"]
            ),
            "status_tags": STATUS_TAGS,
        },
    )


@require_GET
def contacts(request, pk: int, episode_pk: int):
    """Every contact of one episode, newest first, a page at a time (the case page shows the latest)."""
    child = child_get_for_user(request.user, pk)
    episode, rows = episode_contacts(child, episode_pk)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    current = not episode.is_closed and can_edit_case(request.user, episode)
    return render(
        request,
        "cases/contacts.html",
        {
            "child": child,
            "episode": episode,
            "page": page,
            "pages": pagination(request, page),
            "editable": current,
        },
    )


# --- Recording on a case --------------------------------------------------------------------------


def _open_case(request, pk: int, *, audit: bool):
    """The child and their open episode, when this user may record on it; 403 otherwise.

    A closed case (CIN rule 8565) or another role gets 403; another team's child is 404.
    """
    child = child_get_for_user(request.user, pk, audit=audit)
    case = child_case(child)
    episode = case["current"]
    if episode is None or not can_edit_case(request.user, episode):
        raise PermissionDenied
    return child, case, episode


def _require_edit(request, episode) -> None:
    if not can_edit_case(request.user, episode):
        raise PermissionDenied


def _display(field, value) -> str:
    """A saved value as the form shows it: choice labels, dates in words, Yes or No."""
    if value in (None, "", []):
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(field.label_from_instance(p) for p in field.queryset.filter(pk__in=value))
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        return str(labels.get(str(value), value))
    return str(value)


def _saved_values(form, initial: dict) -> list[tuple[str, str]]:
    return [
        (field.label, _display(field, initial.get(name)))
        for name, field in form.fields.items()
        if name != "version"
    ]


def _form_page(request, *, make_form, initial, save, template, context, success, next_url, reload=None):
    """GET shows the form; POST validates it and calls one service.

    A rule refusal (DomainError) shows on its field. A stale edit (DomainError on 'version') shows
    what is saved now, moves the form to the current version and keeps everything the user typed.
    """
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "GET":
        return render(request, template, {**context, "form": make_form(initial=initial)})
    form = make_form(data=request.POST)
    saved = None
    if form.is_valid():
        try:
            save(form.service_fields())
        except DomainError as error:
            if error.field == "version" and reload is not None:
                current = reload()
                saved = _saved_values(form, current)
                data = request.POST.copy()
                data["version"] = str(current["version"])
                form = make_form(data=data)
                form.is_valid()
            form.add_domain_error(error)
        except ValidationError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, success)
            return redirect(next_url)
    return render(request, template, {**context, "form": form, "saved": saved})


def _contact_initial(contact: Contact) -> dict:
    return {
        "occurred_at": contact.occurred_at,
        "kind": contact.kind,
        "work": contact.work,
        "child_seen": contact.child_seen,
        "child_seen_alone": contact.child_seen_alone,
        "people_seen": [p.pk for p in contact.people_seen.all()],
        "note": contact.note,
        "version": contact.version,
    }


def contact_add(request, pk: int):
    child, case, episode = _open_case(request, pk, audit=request.method == "GET")
    return _form_page(
        request,
        make_form=lambda **kw: ContactForm(family=case["family"], episode=episode, **kw),
        initial={},
        save=lambda fields: services.contact_create(actor=request.user, episode=episode, **fields),
        template="cases/contact_form.html",
        context={"child": child, "title": "Add a contact"},
        success="Contact added",
        next_url=child.get_absolute_url(),
    )


def contact_edit(request, pk: int, contact_pk: int):
    child = child_get_for_user(request.user, pk, audit=request.method == "GET")
    contact = get_object_or_404(
        Contact.objects.select_related("episode__child", "episode__team"),
        pk=contact_pk,
        episode__child=child,
    )
    _require_edit(request, contact.episode)
    family = list(ChildPerson.objects.filter(child=child).select_related("person"))

    def reload():
        return _contact_initial(Contact.objects.get(pk=contact.pk))

    return _form_page(
        request,
        make_form=lambda **kw: ContactForm(family=family, episode=contact.episode, **kw),
        initial=_contact_initial(contact),
        save=lambda fields: services.contact_update(actor=request.user, contact=contact, **fields),
        template="cases/contact_form.html",
        context={"child": child, "title": "Change a contact", "object": contact},
        success="Contact changed",
        next_url=child.get_absolute_url(),
        reload=reload,
    )


ACTION_FIELDS = (
    "dimension",
    "parent",
    "description",
    "responsible",
    "responsible_name",
    "planned_level",
    "start_date",
    "end_date",
    "actual_level",
    "outcome",
    "impact",
    "version",
)


def _action_initial(action: PlannedAction) -> dict:
    initial = {name: getattr(action, name) for name in ACTION_FIELDS}
    initial["plan"] = UNPLANNED if action.is_unplanned or not action.plan_id else str(action.plan_id)
    return initial


def action_add(request, pk: int):
    child, case, episode = _open_case(request, pk, audit=request.method == "GET")
    plans = list(episode.plans.all())
    return _form_page(
        request,
        make_form=lambda **kw: ActionForm(plans=plans, episode=episode, **kw),
        initial={},
        save=lambda fields: services.action_create(actor=request.user, episode=episode, **fields),
        template="cases/action_form.html",
        context={"child": child, "title": "Add an action or service"},
        success="Action added",
        next_url=child.get_absolute_url(),
    )


def action_edit(request, pk: int, action_pk: int):
    child = child_get_for_user(request.user, pk, audit=request.method == "GET")
    action = get_object_or_404(
        PlannedAction.objects.select_related("episode__child", "episode__team", "plan"),
        pk=action_pk,
        episode__child=child,
    )
    _require_edit(request, action.episode)
    plans = list(action.episode.plans.all())
    return _form_page(
        request,
        make_form=lambda **kw: ActionForm(plans=plans, episode=action.episode, **kw),
        initial=_action_initial(action),
        save=lambda fields: services.action_update(actor=request.user, action=action, **fields),
        template="cases/action_form.html",
        context={"child": child, "title": "Change an action or service", "object": action},
        success="Action changed",
        next_url=child.get_absolute_url(),
        reload=lambda: _action_initial(PlannedAction.objects.get(pk=action.pk)),
    )


PERSON_FIELDS = (
    "first_name",
    "last_name",
    "first_language",
    "reads_english",
    "interpreter_needed",
    "address",
    "phone",
    "email",
    "contact_details_sensitive",
    "sensitivity_reason",
    "version",
)


def _person_initial(link: ChildPerson) -> dict:
    initial = {name: getattr(link.person, name) for name in PERSON_FIELDS}
    initial.update(
        relationship=link.relationship,
        has_parental_responsibility=link.has_parental_responsibility,
        lives_with_child=link.lives_with_child,
        may_share_contact_details=link.may_share_contact_details,
    )
    return initial


def person_add(request, pk: int):
    child, case, episode = _open_case(request, pk, audit=request.method == "GET")
    return _form_page(
        request,
        make_form=PersonForm,
        initial={},
        save=lambda fields: services.person_add(actor=request.user, episode=episode, **fields),
        template="cases/person_form.html",
        context={"child": child, "title": "Add a person"},
        success="Person added",
        next_url=child.get_absolute_url(),
    )


def person_edit(request, pk: int, person_pk: int):
    child, case, episode = _open_case(request, pk, audit=request.method == "GET")
    link = get_object_or_404(ChildPerson.objects.select_related("person"), child=child, person_id=person_pk)

    def reload():
        return _person_initial(ChildPerson.objects.select_related("person").get(pk=link.pk))

    return _form_page(
        request,
        make_form=PersonForm,
        initial=_person_initial(link),
        save=lambda fields: services.person_update(
            actor=request.user, episode=episode, person=link.person, **fields
        ),
        template="cases/person_form.html",
        context={"child": child, "title": f"Change {link.person.full_name}'s details", "object": link.person},
        success="Details changed",
        next_url=child.get_absolute_url(),
        reload=reload,
    )


def place_add(request, pk: int):
    """Record a place that could show where the child or a family member is: copies withhold it."""
    child, case, episode = _open_case(request, pk, audit=request.method == "GET")
    return _form_page(
        request,
        make_form=PlaceForm,
        initial={},
        save=lambda fields: services.place_add(actor=request.user, episode=episode, **fields),
        template="cases/place_form.html",
        context={"child": child, "title": "Add a place"},
        success="Place added",
        next_url=child.get_absolute_url(),
    )


def place_remove(request, pk: int, place_pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    child, case, episode = _open_case(request, pk, audit=False)
    place = get_object_or_404(Place, pk=place_pk, child=child)
    services.place_remove(actor=request.user, episode=episode, place=place)
    messages.success(request, "Place removed")
    return redirect(child.get_absolute_url())
