"""Reads of the case register that check access. Nothing else fetches a case for a user."""

import datetime as dt
from operator import attrgetter

from django.db import connection
from django.db.models import (
    DateTimeField,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.http import Http404
from django.shortcuts import get_object_or_404

from closewell.accounts.permissions import my_cases_filter, scope_children, scope_episodes
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.core.prefetch import sorted_rows

from .models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    DomesticAbuse,
    Episode,
    EpisodeStatus,
    Person,
    Plan,
    PlannedAction,
    Section47,
)


def child_get_for_user(user, pk: int, *, audit: bool = True) -> Child:
    """The child if the user may read the case, else 404 (the same for 'no such child').

    Reading a child's record is audited: a manager can see who looked at it.
    """
    # Read by its key alone, without an order or a limit: one row at most answers it.
    child = next(iter(scope_children(user, Child.objects.filter(pk=pk).order_by())), None)
    if child is None:
        raise Http404("No such child.")
    if audit:
        log_event(
            actor=user,
            action=Action.VIEW,
            obj=child,
            child_id=child.pk,
            summary=f"Viewed the case of {child.full_name}",
        )
    return child


def _log_read(user, obj, child: Child, summary: str) -> None:
    log_event(actor=user, action=Action.VIEW, obj=obj, child_id=child.pk, summary=summary)


def episode_get_for_user(user, pk: int, *, audit: bool = True) -> Episode:
    """The episode if the user may read it, else 404 alike for 'missing' and 'not yours'.

    Reading an episode is audited; a caller that only writes to it passes audit=False (the
    service audits the change)."""
    episode = (
        scope_episodes(user, Episode.objects.select_related("child", "team", "worker")).filter(pk=pk).first()
    )
    if episode is None:
        raise Http404("No such episode.")
    if audit:
        _log_read(user, episode, episode.child, f"Viewed an episode of the case of {episode.child.full_name}")
    return episode


def episode_contacts_for_user(user, pk: int) -> QuerySet:
    """An episode's contacts, latest first, if the user may read the episode (404 otherwise): one
    audit event for the read."""
    episode = episode_get_for_user(user, pk, audit=False)
    _log_read(user, episode, episode.child, f"Viewed the contacts of the case of {episode.child.full_name}")
    return (
        episode.contacts.select_related("worker")
        .prefetch_related("people_seen")
        .order_by("-occurred_at", "-pk")
    )


def episode_plans_for_user(user, pk: int) -> QuerySet:
    """An episode's plans with their actions, if the user may read the episode: one audit event."""
    episode = episode_get_for_user(user, pk, audit=False)
    _log_read(user, episode, episode.child, f"Viewed the plans of the case of {episode.child.full_name}")
    return episode.plans.prefetch_related("actions").order_by("start_date", "pk")


def contact_get_for_user(user, pk: int) -> Contact:
    """One contact if the user may read its episode, else 404 alike for 'missing' and 'not yours'.
    Reading it is audited."""
    contact = (
        Contact.objects.select_related("worker", "episode__child")
        .prefetch_related("people_seen")
        .filter(pk=pk, episode__in=scope_episodes(user, Episode.objects.all()))
        .first()
    )
    if contact is None:
        raise Http404("No such contact.")
    child = contact.episode.child
    _log_read(user, contact, child, f"Viewed a contact on the case of {child.full_name}")
    return contact


def children_for_user(user, *, la_child_id: str = "") -> QuerySet:
    """The children whose cases the user may read, by name (a register, not a read of any one case)."""
    children = scope_children(user, Child.objects.all()).order_by("last_name", "first_name", "pk")
    if la_child_id:
        children = children.filter(la_child_id=la_child_id)
    return children


def episodes_list_for_user(user, *, child_id: int | None = None, status: str | None = None) -> QuerySet:
    """The episodes the user may read, latest referral first. Asked for one child's episodes, the
    read of that child's case is audited (once)."""
    episodes = scope_episodes(user, Episode.objects.select_related("child", "team", "worker")).order_by(
        "-referral_date", "-pk"
    )
    if child_id is not None:
        episodes = episodes.filter(child_id=child_id)
        child = scope_children(user, Child.objects.all()).filter(pk=child_id).first()
        if child is not None:
            _log_read(user, child, child, f"Viewed the episodes of the case of {child.full_name}")
    if status in EpisodeStatus.values:
        episodes = episodes.filter(status=status)
    return episodes


CONTACTS_SHOWN = 10

# The columns the case page shows of the rows only it reads (a contact's worker, the people seen, the
# people in domestic abuse), not every column: a Person or User row is a dozen columns, a worker's
# includes their password hash. A field left out here and read later costs a query per row, which the
# query-count tests catch (they read everything the page shows).
NAME = ("first_name", "last_name")
CONTACT_SHOWN = (
    "episode",
    "occurred_at",
    "kind",
    "work",
    "child_seen",
    "child_seen_alone",
    "note",
    "worker",
    "worker__first_name",
    "worker__last_name",
    "worker__username",
)
DOMESTIC_ABUSE_SHOWN = (
    "episode",
    "custody_status",
    "expected_release_date",
    "work_with_perpetrator",
    "perpetrator",
    "victim",
    *(f"{who}__{name}" for who in ("perpetrator", "victim") for name in NAME),
)


# The columns the case page shows of an episode and of the rows under it (and what its permission
# questions and the re-referral's banner ask of them, the previous episode's team included), not
# their timestamps and source ids: the cost of reading a row grows with its columns, and the page
# reads a dozen tables.
EPISODE_SHOWN = (
    "child",
    "referral_date",
    "referral_source",
    "primary_need",
    "status",
    "closure_date",
    "reason_for_closure",
    "is_re_referral",
    "team__name",
    "worker",
    "worker__first_name",
    "worker__last_name",
    "worker__username",
    "previous_episode",
    "previous_episode__team__name",
    "previous_episode__closure_date",
    "previous_episode__reason_for_closure",
)
ASSESSMENT_SHOWN = ("episode", "kind", "start_date", "authorisation_date", "factors", "summary")
PLAN_SHOWN = ("episode", "kind", "start_date", "end_date", "latest_category")
SECTION47_SHOWN = ("episode", "start_date", "icpc_target_date", "icpc_date", "icpc_not_required")
ACTION_SHOWN = (
    "episode",
    "plan",
    "is_unplanned",
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
)
FAMILY_SHOWN = (
    "person",
    "relationship",
    "has_parental_responsibility",
    "lives_with_child",
    "may_share_contact_details",
    *(f"person__{name}" for name in NAME),
    "person__first_language",
    "person__interpreter_needed",
    "person__contact_details_sensitive",
    "person__address",
)


# An episode's count of contacts and the time of its CONTACTS_SHOWN-th newest, each read in the
# (episode, occurred_at) index. Written as SQL: as Subquery expressions Django took 2 ms to compile the
# two, half the episodes' read. They name the episodes' table, so they go in a query of episodes.
_CONTACTS_OF_EPISODE = (
    f'FROM "{Contact._meta.db_table}" c WHERE c."episode_id" = "{Episode._meta.db_table}"."id"'
)
# Not open to injection (ruff's S611): the models' own names, and the one value a parameter.
CONTACT_COUNT = RawSQL(f"SELECT COUNT(*) {_CONTACTS_OF_EPISODE}", (), output_field=IntegerField())  # noqa: S611
CONTACTS_FROM = RawSQL(  # noqa: S611
    f'SELECT c."occurred_at" {_CONTACTS_OF_EPISODE} ORDER BY c."occurred_at" DESC, c."id" DESC '
    "LIMIT 1 OFFSET %s",
    (CONTACTS_SHOWN - 1,),
    output_field=DateTimeField(),
)


def child_case(child: Child) -> dict:
    """Everything the case page shows, in a fixed number of queries whatever the case's size: each episode's
    latest CONTACTS_SHOWN contacts and how many there are (the rest are a page of their own).

    Each episode reads only what the page shows: its contacts are counted in the (episode, occurred_at)
    index, and the time of its CONTACTS_SHOWN-th newest contact found there bounds the one query of
    contacts, so a case with years of contacts reads its latest few rows, not a window over all of them.
    Plans' actions and unplanned services come in one query of the episodes' actions.

    The episodes' rows (assessments, plans, actions, section 47 enquiries, domestic abuse) are each one
    plain query over all the episodes, shared out here into lists on each episode: nested prefetches
    read the same rows, with CPU spent on the machinery (a page in two is a case page)."""
    # Read as the child's episodes (a prefetch), so the page's permission questions find them read.
    read = (
        Episode.objects.select_related("team", "worker", "previous_episode__team")
        .only(*EPISODE_SHOWN)
        .annotate(contact_count=CONTACT_COUNT, contacts_from=CONTACTS_FROM)
        .order_by()
    )
    prefetch_related_objects([child], Prefetch("episodes", queryset=read))
    # In the order they were recorded, as the page has always listed them (its count of contacts
    # was a GROUP BY, which leaves out the model's ordering).
    episodes = sorted(child.episodes.all(), key=attrgetter("pk"))
    ids = [episode.pk for episode in episodes]
    assessments = Assessment.objects.filter(episode__in=ids).only(*ASSESSMENT_SHOWN)
    _share_out(episodes, "assessments_shown", sorted_rows(assessments, "start_date"))
    plans = Plan.objects.filter(episode__in=ids).only(*PLAN_SHOWN)
    _share_out(episodes, "plans_shown", sorted_rows(plans, "start_date"))
    section47s = Section47.objects.filter(episode__in=ids).only(*SECTION47_SHOWN)
    _share_out(episodes, "section47s_shown", sorted_rows(section47s, "start_date"))
    abuse = (
        DomesticAbuse.objects.filter(episode__in=ids)
        .select_related("perpetrator", "victim")
        .only(*DOMESTIC_ABUSE_SHOWN)
    )
    _share_out(episodes, "domestic_abuse_shown", sorted_rows(abuse))
    actions = (
        PlannedAction.objects.filter(episode__in=ids)
        .only(*ACTION_SHOWN)
        .order_by("dimension", "parent", "start_date", "pk")
    )
    _share_out(episodes, "all_actions", actions)
    plans_by_pk = {plan.pk: plan for episode in episodes for plan in episode.plans_shown}
    for plan in plans_by_pk.values():
        plan.planned_actions = []
    for episode in episodes:
        episode.unplanned = [action for action in episode.all_actions if action.is_unplanned]
        for action in episode.all_actions:
            if action.plan_id in plans_by_pk:
                plans_by_pk[action.plan_id].planned_actions.append(action)
    _latest_contacts(episodes)
    return {
        "child": child,
        "episodes": episodes,
        "current": next((e for e in episodes if not e.is_closed), None),
        "family": case_family(child),
        "places": list(child.places.only("child", "kind", "name", "also_known_as", "address")),
        "looked_after_periods": sorted_rows(
            child.looked_after_periods.only("child", "start_date", "end_date", "legal_status"), "start_date"
        ),
    }


def case_family(child: Child) -> list[ChildPerson]:
    """The child's family and important people, as the case page lists them (and a contact's form
    offers them as people seen), in the order they were added."""
    return sorted_rows(ChildPerson.objects.filter(child=child).select_related("person").only(*FAMILY_SHOWN))


def open_episode(child: Child) -> Episode | None:
    """The child's episode that is not closed (the case page's current one), or None: what recording
    on a case needs, without the rest of the case page."""
    return child.episodes.exclude(status=EpisodeStatus.CLOSED).order_by("pk").first()


def _share_out(episodes: list[Episode], name: str, rows) -> None:
    """episode.<name>: the episode's rows of one query of all the episodes' rows, in the rows' order."""
    by_episode = {episode.pk: episode for episode in episodes}
    for episode in episodes:
        setattr(episode, name, [])
    if episodes:
        for row in rows:
            getattr(by_episode[row.episode_id], name).append(row)


def _people_seen() -> Prefetch:
    """The people seen at each contact of a page of contacts, as a list on contact.people_shown (what
    contact_items shows): to_attr puts the prefetched rows there, where a prefetch into the relation
    itself builds a filtered queryset for every contact to hold them. (The case page reads its few
    contacts' people in a plain query: _latest_contacts.)"""
    return Prefetch("people_seen", to_attr="people_shown")


def _latest_contacts(episodes: list[Episode]) -> None:
    """episode.latest_contacts: its CONTACTS_SHOWN newest contacts, newest first, for all the episodes in
    one query (and one for the people seen) that reads, from each episode, its contacts since its
    contacts_from (child_case): an index range each, not every contact of the case."""
    shown = Q()
    for episode in episodes:
        episode.latest_contacts = []
        if episode.contact_count:
            since = {} if episode.contacts_from is None else {"occurred_at__gte": episode.contacts_from}
            shown |= Q(episode_id=episode.pk, **since)
    if not shown:
        return
    by_episode = {episode.pk: episode for episode in episodes}
    contacts = (
        Contact.objects.filter(shown)
        .select_related("worker")
        .only(*CONTACT_SHOWN)
        .order_by("episode_id", "-occurred_at", "-pk")
    )
    by_contact = {}
    for contact in contacts:
        latest = by_episode[contact.episode_id].latest_contacts
        if len(latest) < CONTACTS_SHOWN:  # contacts at the same moment as the last shown one
            latest.append(contact)
            contact.people_shown = by_contact[contact.pk] = []
    # The people seen at them: one plain query of the links with their people (a prefetch of the
    # many-to-many relation cost twice as much to build), in the order of the people's names.
    seen = (
        Contact.people_seen.through.objects.filter(contact_id__in=by_contact)
        .select_related("person")
        .only("contact_id", *(f"person__{name}" for name in NAME))
        .order_by(*(f"person__{name}" for name in Person._meta.ordering), "person_id")
    )
    for link in seen:
        by_contact[link.contact_id].append(link.person)


def episode_contacts(child: Child, episode_pk: int) -> tuple[Episode, QuerySet]:
    """One episode of a child the user may read (the caller has the child from child_get_for_user, which
    audits the read) and its contacts, newest first; 404 for an episode of another child."""
    episode = get_object_or_404(child.episodes.select_related("child"), pk=episode_pk)
    contacts = episode.contacts.select_related("worker").prefetch_related(_people_seen())
    return episode, contacts.order_by("-occurred_at", "-pk")


RETURNED_RECORD = "returned"  # closures.models.Status.RETURNED
# What the case lists show of each case, each a lookup for the rows shown (the latest contact in the
# (episode, occurred_at) index), not a join and group over every contact of every case: a manager of
# several teams lists tens of thousands of cases. As SQL for the reason CONTACT_COUNT is.
LAST_CONTACT = RawSQL(  # noqa: S611 (the models' own names)
    f'SELECT c."occurred_at" {_CONTACTS_OF_EPISODE} ORDER BY c."occurred_at" DESC LIMIT 1',
    (),
    output_field=DateTimeField(),
)
# A Closure Record returned for amendment is flagged on the list, with a link to it (its id). (The
# closures app's table, reached through the relation: the register does not import it.)
_RECORDS = Episode.closure_records.field.model._meta.db_table
RETURNED_RECORD_ID = RawSQL(  # noqa: S611 (the models' own names; the status a parameter)
    f'SELECT r."id" FROM "{_RECORDS}" r WHERE r."episode_id" = "{Episode._meta.db_table}"."id" '  # noqa: S608
    'AND r."status" = %s ORDER BY r."id" DESC LIMIT 1',
    (RETURNED_RECORD,),
    output_field=IntegerField(),
)


def episodes_for_user(
    user,
    *,
    own: bool = True,
    team_id: int | None = None,
    status: str | None = None,
    query: str = "",
    order: str = "referral_date",
) -> QuerySet:
    """The 'My cases' / 'Team cases' lists: scoped, filterable and sortable, one query a page. Each
    case carries what the list shows of it: its latest contact and a Closure Record returned for
    amendment (nothing the list does not show, such as a count of its contacts)."""
    episodes = scope_episodes(user, Episode.objects.all()).select_related("child", "team", "worker")
    if own:
        episodes = episodes.filter(my_cases_filter(user))
    if team_id:
        episodes = episodes.filter(team_id=team_id)
    if status:
        episodes = episodes.filter(status=status)
    else:
        # Open and closing: the episodes without closed_at, which only a closed one has (the constraint
        # episode_closed_iff_closure_date). Asked this way, the planners read the team's open cases
        # from open_episodes_by_team (the very term SQLite needs to use a partial index); asked by
        # status, PostgreSQL read every open case in the council and kept the team's.
        episodes = episodes.filter(closed_at__isnull=True)
    if query:
        episodes = episodes.filter(
            Q(child__first_name__icontains=query)
            | Q(child__last_name__icontains=query)
            | Q(child__la_child_id__iexact=query)
        )
    episodes = episodes.annotate(returned_record=RETURNED_RECORD_ID, last_contact=LAST_CONTACT)
    allowed = {
        "referral_date": ("referral_date", "pk"),
        "-referral_date": ("-referral_date", "-pk"),
        "name": ("child__last_name", "child__first_name", "pk"),
        "-name": ("-child__last_name", "-child__first_name", "-pk"),
        # Never contacted counts as longest without a contact, on SQLite and PostgreSQL alike.
        "last_contact": (F("last_contact").asc(nulls_first=True), "pk"),
        "-last_contact": (F("last_contact").desc(nulls_last=True), "-pk"),
    }
    # The columns the lists show (and the team, for the filters), not every column of four tables:
    # a page of 25 cases decoded about 200 timestamps nobody sees.
    episodes = episodes.only(
        "referral_date",
        "status",
        "child__first_name",
        "child__last_name",
        "child__la_child_id",
        "child__date_of_birth",
        "team__name",
        "worker__first_name",
        "worker__last_name",
        "worker__username",
    )
    return episodes.order_by(*allowed.get(order, allowed["referral_date"]))


def parse_date(text: str) -> dt.date | None:
    """A date typed as 14/03/2019, 14-3-2019 or 2019-03-14; None when it is not a date."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _name_starts(word: str) -> Q:
    """A first, last or preferred name starting with the word, whatever its case."""
    return (
        Q(first_name__istartswith=word) | Q(last_name__istartswith=word) | Q(preferred_name__istartswith=word)
    )


def children_search(user, query: str) -> QuerySet:
    """Children matching a name, a date of birth or an LA child ID, within what the user may see."""
    children = scope_children(user, Child.objects.all())
    query = " ".join(query.split())
    if not query:
        return children.none()
    date = parse_date(query)
    if date is not None:
        return children.filter(date_of_birth=date)
    match = Q(la_child_id__iexact=query)
    words = query.split(" ")
    name = Q()
    for word in words:
        name &= _name_starts(word)
    if len(words) > 1 and connection.vendor == "sqlite":
        # The same condition, with the longest word's matches as a set of ids the indexes give: SQLite
        # cannot read an AND of ORs through indexes, and reads every child without it. PostgreSQL
        # ANDs the words' index bitmaps itself, and with this set would read every child matching the
        # longest word (all 2,800 Olivias for "Olivia Smith": 25 ms, against 1 for the 34 wanted).
        name &= Q(pk__in=Child.objects.filter(_name_starts(max(words, key=len))).values("pk"))
    # Sorted by the names' upper case, as they are matched: the same order on both databases, and no
    # index gives it, so the planner reads the few matching children through the prefix indexes
    # (cases/0005) and sorts them rather than walking the (last_name, first_name) index from "A"
    # until it has found a page of Smiths.
    return children.filter(match | name).order_by(Upper("last_name"), Upper("first_name"), "pk")
