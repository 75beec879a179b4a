"""The case pages: the case lists, search, the case page and the forms that record on a case.

Views are thin: cases are read only through closewell.cases.selectors and written only through
closewell.cases.services, which decide access and apply the rules.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from closewell.accounts.permissions import CLOSED_CASE_REFUSAL, case_permissions, user_permissions
from closewell.web.editing import versioned_edit
from closewell.web.pagination import OneQueryPaginator, page_query, pagination

from . import services
from .codes import Dimension, Disability, Domain, by_framework
from .forms import UNPLANNED, ActionForm, ContactForm, PersonForm, PlaceForm
from .models import ChildPerson, Contact, EpisodeStatus, Place, PlannedAction
from .selectors import (
    case_family,
    child_case,
    child_get_for_user,
    children_search,
    episode_contacts,
    episodes_for_user,
    open_episode,
)

PAGE_SIZE = 25
STATUS_TAGS = {
    EpisodeStatus.OPEN: "govuk-tag--blue",
    EpisodeStatus.CLOSING: "govuk-tag--purple",  # yellow reads as the keyboard focus highlight
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
    page = OneQueryPaginator(episodes, PAGE_SIZE).get_page(request.GET.get("page"))
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
    access = user_permissions(request.user)
    if not access.can_list_own_cases:
        raise PermissionDenied
    return _case_list(request, own=True, title="My cases", teams=access.team_choices())


@require_GET
def team_cases(request):
    access = user_permissions(request.user)
    if not access.can_list_team_cases:
        raise PermissionDenied
    return _case_list(request, own=False, title="Team cases", teams=access.team_choices())


@require_GET
def search(request):
    if not user_permissions(request.user).can_search:
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    results = None
    page = None
    if query:
        page = OneQueryPaginator(children_search(request.user, query), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
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
    """Actions under their Assessment Framework domain and dimension, as the case page lists them."""
    return [
        {
            "label": Domain(domain).label,
            "dimensions": [{"label": Dimension(d).label, "actions": items} for d, items in dimensions],
        }
        for domain, _, dimensions in by_framework(actions)
        if dimensions
    ]


@require_GET
def child_detail(request, pk: int):
    child = child_get_for_user(request.user, pk)
    case = child_case(child)
    for episode in case["episodes"]:
        for plan in episode.plans_shown:
            plan.groups = group_by_domain(plan.planned_actions)
        episode.unplanned_groups = group_by_domain(episode.unplanned)
    current = case["current"]
    today = timezone.localdate()
    return render(
        request,
        "cases/child.html",
        {
            **case,
            "past_episodes": [e for e in case["episodes"] if e is not current],
            "can_edit": current is not None and case_permissions(request.user, current).can_edit,
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
    current = case_permissions(request.user, episode).can_edit
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
    """The child and their open episode, when this user may record on it; 403 otherwise. Only those
    are read: a form on a case is not the case page.

    A closed case (CIN rule 8565) or another role gets 403; another team's child is 404.
    """
    child = child_get_for_user(request.user, pk, audit=audit)
    episode = open_episode(child)
    if episode is None:
        raise PermissionDenied(CLOSED_CASE_REFUSAL)
    access = case_permissions(request.user, episode)
    if not access.can_edit:
        raise PermissionDenied(access.edit_refusal)
    return child, episode


def _form_page(request, *, make_form, initial, save, template, context, success, next_url, current=None):
    """A case form through the one versioned-edit flow (web/editing.py): GET shows it, POST calls
    one service; a refusal shows on its field, a stale save shows what is saved now."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    edit = versioned_edit(
        request,
        make_form=make_form,
        initial=initial,
        save=lambda form: save(form.service_fields()),
        current=current,
    )
    if edit.done:
        messages.success(request, success)
        return redirect(next_url)
    return render(request, template, {**context, "form": edit.form, "saved": edit.saved})


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
    child, episode = _open_case(request, pk, audit=request.method == "GET")
    family = case_family(child)
    return _form_page(
        request,
        make_form=lambda **kw: ContactForm(family=family, episode=episode, **kw),
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
    if not case_permissions(request.user, contact.episode).can_edit:
        raise PermissionDenied
    family = list(ChildPerson.objects.filter(child=child).select_related("person"))

    def saved_now():
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
        current=saved_now,
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
    child, episode = _open_case(request, pk, audit=request.method == "GET")
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
    if not case_permissions(request.user, action.episode).can_edit:
        raise PermissionDenied
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
        current=lambda: _action_initial(PlannedAction.objects.get(pk=action.pk)),
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
    child, episode = _open_case(request, pk, audit=request.method == "GET")
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
    child, episode = _open_case(request, pk, audit=request.method == "GET")
    link = get_object_or_404(ChildPerson.objects.select_related("person"), child=child, person_id=person_pk)

    def saved_now():
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
        current=saved_now,
    )


def place_add(request, pk: int):
    """Record a place that could show where the child or a family member is: copies withhold it."""
    child, episode = _open_case(request, pk, audit=request.method == "GET")
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
    child, episode = _open_case(request, pk, audit=False)
    place = get_object_or_404(Place, pk=place_pk, child=child)
    services.place_remove(actor=request.user, episode=episode, place=place)
    messages.success(request, "Place removed")
    return redirect(child.get_absolute_url())
