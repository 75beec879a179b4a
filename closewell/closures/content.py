"""What a Closure Record says, assembled from the record and the case: the one source for the
pages, the checks, the frozen record (the snapshot taken at authorisation) and the PDF copies.

sections.build_content puts it together: record_header() and each section's part."""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from closewell.cases.codes import Dimension, Domain, Parent, by_framework
from closewell.cases.models import (
    FACE_TO_FACE,
    PARENT_OR_CARER,
    ChildPerson,
    Contact,
    Episode,
    Person,
    Place,
    PlannedAction,
)
from closewell.core.prefetch import related

from .models import ClosureRecord


def period_start(episode: Episode) -> dt.date:
    """Interventions are listed since the last assessment, admission or review in the episode."""
    starts = [episode.referral_date]
    starts += [a.start_date for a in episode.assessments.all()]
    starts += [
        p.start_date
        for p in episode.child.looked_after_periods.all()
        if p.start_date >= episode.referral_date
    ]
    return max(starts)


def family_links(episode: Episode) -> list[ChildPerson]:
    """The child's family (ChildPerson links with their person), in the order they were added: from
    the prefetch of selectors.record_get_for_user when the record was read through it, so the page's
    many helpers read the family once."""
    child = episode.child
    if "relationships" in getattr(child, "_prefetched_objects_cache", {}):
        return list(child.relationships.all())
    return list(ChildPerson.objects.filter(child_id=child.pk).select_related("person").order_by("pk"))


def parents_and_carers(episode: Episode) -> list[ChildPerson]:
    return [link for link in family_links(episode) if link.relationship in PARENT_OR_CARER]


def needs_interpreter(episode: Episode) -> list[ChildPerson]:
    """Parents and carers who do not speak or read English: the record must be interpreted."""
    return [
        link
        for link in parents_and_carers(episode)
        if not link.person.reads_english or link.person.interpreter_needed
    ]


def actions_by_start(episode: Episode) -> list[PlannedAction]:
    """The episode's planned actions and unplanned services by start date (the record selector
    prefetches them so ordered)."""
    return related(episode, "actions", episode.actions.order_by("start_date", "pk"))


def identified_domestic_abuse(episode: Episode) -> bool:
    return any(a.identified_domestic_abuse for a in episode.assessments.all())


# What dates_seen and the rules (checks.check_dates) read of the episode's contacts and of the people
# seen: the date, kind and who was seen, never the contact's note (a case note can be long).
CONTACT_FIELDS = ("id", "episode_id", "occurred_at", "kind", "child_seen", "child_seen_alone")
SEEN_PEOPLE = Prefetch("people_seen", queryset=Person.objects.only("id", "first_name", "last_name"))


def seen_contacts(contacts: QuerySet) -> QuerySet:
    """Contacts as the record's pages read them: the fields dates_seen and the rules use, newest
    first (a page that runs the rules reads these once, selectors.record_checked). Who was seen at
    each is read by dates_seen, only when a page shows or hashes what the record says."""
    return contacts.only(*CONTACT_FIELDS).order_by("-occurred_at", "-pk")


def dates_seen(episode: Episode, on: dt.date | None = None) -> dict:
    """The dates the child and each family member were seen, grouped by person.

    For a care leaver up to their 19th birthday every contact is listed, letters and calls too.
    """
    child = episode.child
    every_contact = child.is_care_leaver_under_19(on or timezone.localdate())
    since = period_start(episode)
    contacts = related(
        episode,
        "contacts",
        seen_contacts(Contact.objects.filter(episode=episode, occurred_at__date__gte=since)),
    )
    # Each contact's local date worked out once (a case has hundreds of contacts), and who was seen
    # at those of the period read in one query.
    dated = [
        (date, c) for c in reversed(contacts) if (date := timezone.localtime(c.occurred_at).date()) >= since
    ]
    prefetch_related_objects([contact for _, contact in dated], SEEN_PEOPLE)
    relation = {link.person_id: link.get_relationship_display() for link in family_links(episode)}
    child_rows: list[dict] = []
    people: dict[int, dict] = {}
    for date, contact in dated:
        kind = contact.get_kind_display()
        face_to_face = contact.kind in FACE_TO_FACE
        if contact.child_seen or (every_contact and not face_to_face):
            child_rows.append({"date": date, "kind": kind, "seen_alone": contact.child_seen_alone})
        if not face_to_face and not every_contact:
            continue
        for person in contact.people_seen.all():
            entry = people.setdefault(
                person.pk,
                {"name": person.full_name, "relationship": relation.get(person.pk, ""), "dates": []},
            )
            entry["dates"].append({"date": date, "kind": kind})
    return {
        "since": since,
        "every_contact": every_contact,
        "child": {"name": child.full_name, "dates": child_rows},
        "people": list(people.values()),
    }


def _action_row(action: PlannedAction) -> dict:
    return {
        "id": action.pk,
        "description": action.description,
        "responsible": action.responsible_name or action.get_responsible_display(),
        "planned_level": action.planned_level,
        "actual_level": action.actual_level,
        "outcome": action.outcome,
        "impact": action.impact,
        "start_date": action.start_date,
        "end_date": action.end_date,
    }


def review_groups(episode: Episode) -> dict:
    """Planned actions by Assessment Framework domain and dimension, unplanned services after.

    For a looked-after child, parenting capacity and family and environment are shown twice:
    birth family and corporate parent.
    """
    looked_after = episode.child.is_looked_after() or any(
        p.start_date >= episode.referral_date for p in episode.child.looked_after_periods.all()
    )
    actions = actions_by_start(episode)
    groups = [
        {
            "title": Domain(domain).label
            if not parent
            else f"{Parent(parent).label}: {Domain(domain).label.lower()}",
            "domain": domain,
            "parent": parent,
            "dimensions": [
                {"dimension": Dimension(dim).label, "actions": [_action_row(a) for a in items]}
                for dim, items in dimensions
            ],
        }
        for domain, parent, dimensions in by_framework(
            [a for a in actions if not a.is_unplanned], by_parent=looked_after
        )
    ]
    unplanned = [
        {**_action_row(a), "dimension": Dimension(a.dimension).label} for a in actions if a.is_unplanned
    ]
    return {"looked_after": looked_after, "groups": groups, "unplanned": unplanned}


def family(episode: Episode) -> list[dict]:
    """The child's family and important people, with what must be withheld from whom.

    Contact details marked sensitive (e.g. a domestic abuse victim's address) are never given to a
    person recorded as a perpetrator; the copy's renderer decides per recipient.
    """
    abuse = list(episode.domestic_abuse.values_list("perpetrator_id", "victim_id"))
    perpetrators = {perpetrator for perpetrator, _ in abuse}
    return [
        {
            "person_id": link.person_id,
            "name": link.person.full_name,
            "relationship": link.get_relationship_display(),
            "parent_or_carer": link.relationship in PARENT_OR_CARER,
            "address": link.person.address,
            "phone": link.person.phone,
            "email": link.person.email,
            "first_language": link.person.first_language,
            "reads_english": link.person.reads_english,
            "sensitive": link.person.contact_details_sensitive,
            "sensitivity_reason": link.person.sensitivity_reason,
            "perpetrator": link.person_id in perpetrators,
            "harmed": sorted({v for p, v in abuse if p == link.person_id and v}),
            "lives_with_child": link.lives_with_child,
            "may_share": link.may_share_contact_details,
        }
        for link in family_links(episode)
    ]


def places(episode: Episode) -> list[dict]:
    """Places in the child's life that could show where someone is (school, GP, refuge, handover…):
    copies withhold them from those who must not know."""
    return [
        {
            "kind": place.kind,
            "kind_label": place.get_kind_display(),
            "name": place.name,
            "also_known_as": place.other_names,
            "address": place.address,
        }
        for place in Place.objects.filter(child_id=episode.child_id).order_by("kind", "name", "pk")
    ]


def record_header(record: ClosureRecord) -> dict:
    """What the record says around its sections: whose record, which episode, who decided and wrote
    it, who authorised it (dates as ISO strings when frozen). The sections' own parts are each
    section's (sections.SECTIONS, built by sections.build_content)."""
    episode = record.episode
    child = episode.child
    return {
        "record_id": record.pk,
        "addendum_to": record.addendum_to_id,
        "council": settings.COUNCIL_NAME,
        "child": {
            "name": child.full_name,
            "la_child_id": child.la_child_id,
            "date_of_birth": child.date_of_birth,
            "age": child.age(),
        },
        "episode": {
            "id": episode.pk,
            "referral_date": episode.referral_date,
            "team": str(episode.team),
            "worker": str(episode.worker or ""),
        },
        "family": family(episode),
        "places": places(episode),
        # Who made the decision, in words: a manager of the team, or someone else with their role.
        "decision": {"date": record.decision_date, "by": record.decision_maker_name},
        "addendum_reason": record.addendum_reason,
        "author": str(record.author),
        "authorisation": {
            "by": str(record.authorised_by or ""),
            "at": record.authorised_at,
        },
    }


# --- Each section's part of what the record says (named in its SectionSpec) -------------------------


def interventions_content(record: ClosureRecord) -> dict:
    return {"narrative": record.interventions, **dates_seen(record.episode)}


def review_content(record: ClosureRecord) -> dict:
    return review_groups(record.episode)


def reason_content(record: ClosureRecord) -> dict:
    return {
        "text": record.reason_for_closure,
        "code": record.reason_code,
        "code_label": record.get_reason_code_display() if record.reason_code else "",
    }


def child_views_content(record: ClosureRecord) -> dict:
    return {
        "discussed": record.child_discussed,
        "date": record.child_discussed_date,
        "not_discussed_reason": record.child_not_discussed_reason,
        "views": record.child_views,
    }


def parent_views_content(record: ClosureRecord) -> list[dict]:
    views = {v.person_id: v for v in record.parent_views.all()}
    return [
        {
            "person": link.person.full_name,
            "relationship": link.get_relationship_display(),
            "discussed": getattr(views.get(link.person_id), "discussed", None),
            "date": getattr(views.get(link.person_id), "discussed_date", None),
            "not_discussed_reason": getattr(views.get(link.person_id), "not_discussed_reason", ""),
            "views": getattr(views.get(link.person_id), "views", ""),
        }
        for link in parents_and_carers(record.episode)
    ]


def domestic_abuse_content(record: ClosureRecord) -> dict:
    return {
        "required": identified_domestic_abuse(record.episode),
        "work_with_perpetrator": record.da_work_with_perpetrator,
        "if_released": record.da_if_released,
        "if_resumed": record.da_if_resumed,
    }


def interpreting_content(record: ClosureRecord) -> dict:
    return {
        "required": bool(needs_interpreter(record.episode)),
        "language": record.interpreter_language,
        "interpreter": record.interpreter_name,
        "date": record.interpreted_on,
        "explained_to": record.explained_to,
    }
