"""Writes to the case register. Views, commands and tests all change cases through here."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.forms.models import model_to_dict

from closewell.accounts.permissions import case_permissions
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.closures.contributors import contribution_note_episode
from closewell.closures.models import EDITABLE, ContributionKind
from closewell.core import date_rules
from closewell.core.dates import birthday
from closewell.core.errors import DomainError

from .models import (
    Child,
    ChildPerson,
    Contact,
    Episode,
    EpisodeStatus,
    Person,
    Place,
    PlannedAction,
)


def _plain(value):
    """A field's value as the audit trail stores it: related objects by their primary key."""
    if hasattr(value, "values_list"):
        return list(value.values_list("pk", flat=True))
    if isinstance(value, list):
        return [getattr(item, "pk", item) for item in value]
    return getattr(value, "pk", value)


def field_values(obj, fields=None) -> dict:
    """A plain dict of an object's fields for the audit trail's before/after. (Not the frozen record:
    in Closewell a "snapshot" is only a Closure Record as authorised, ClosureRecord.snapshot.)"""
    return {key: _plain(value) for key, value in model_to_dict(obj, fields=fields).items()}


def _require_recording(actor, episode: Episode) -> None:
    """Refuse a change to a case the actor may not record on (case_permissions(...).can_edit)."""
    if not case_permissions(actor, episode).can_edit:
        if episode.is_closed:
            raise DomainError("This case is closed. Nothing more can be recorded on it.")
        raise PermissionDenied


# Never a guess at who: it may have been someone else, or the same person in another tab.
STALE_MESSAGE = (
    "This was changed after you opened it. What you typed is kept in the form: check what is "
    "saved now below, then make your change again."
)


def _claim_version(obj, version: int | None) -> None:
    """Refuse a save made from a stale form; otherwise move the row to the next version.

    The conditional UPDATE is atomic, so of two saves from the same version exactly one wins.
    """
    if version is None:
        version = obj.version
    claimed = type(obj).objects.filter(pk=obj.pk, version=version).update(version=version + 1)
    if not claimed:
        raise DomainError(STALE_MESSAGE, field="version")
    obj.version = version + 1


def _save_changes(actor, obj, fields: dict, *, child_id: int, label: str, before=None):
    before = field_values(obj) if before is None else before
    _claim_version(obj, fields.pop("version", None))
    many = {k: fields.pop(k) for k in list(fields) if obj._meta.get_field(k).many_to_many}
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    for name, value in many.items():
        getattr(obj, name).set(value)
    log_event(
        actor=actor,
        action=Action.UPDATE,
        obj=obj,
        child_id=child_id,
        summary=f"Changed {label}",
        before=before,
        after=field_values(obj),
    )
    return obj


@transaction.atomic
def child_create(*, actor, **fields) -> Child:
    """Register a child. The LA child ID is unique across the council."""
    child = Child(**fields)
    child.full_clean()
    child.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=child,
        child_id=child.pk,
        summary=f"Registered {child.full_name}",
        after=field_values(child),
    )
    return child


@transaction.atomic
def episode_open(*, actor, child: Child, referral_date: dt.date, **fields) -> Episode:
    """Open a CIN episode for a new referral, linked to the child's last closed episode.

    A referral within 12 months of the last closure is a re-referral (a national indicator).
    One open episode per child (CIN rules 8815/8816/8820): refused while another is open.
    """
    if child.episodes.exclude(status=EpisodeStatus.CLOSED).exists():
        raise DomainError(f"{child.full_name} already has an open episode.")
    previous = child.episodes.filter(status=EpisodeStatus.CLOSED).order_by("-closure_date").first()
    if previous and referral_date < previous.closure_date:
        raise DomainError(
            "The referral date cannot be before the last episode closed.", field="referral_date"
        )
    episode = Episode(
        child=child,
        referral_date=referral_date,
        previous_episode=previous,
        is_re_referral=bool(previous and referral_date < birthday(previous.closure_date, 1)),
        **fields,
    )
    episode.full_clean()
    episode.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=episode,
        child_id=child.pk,
        summary=f"Opened an episode for {child.full_name}",
        after=field_values(episode),
    )
    return episode


@transaction.atomic
def contact_create(*, actor, episode: Episode, people_seen=(), **fields) -> Contact:
    """Record a contact on an open episode (CIN rule 8565: nothing after closure)."""
    _require_recording(actor, episode)
    fields.setdefault("worker", actor)
    contact = Contact(episode=episode, **fields)
    _check_contact(contact, people_seen)
    contact.full_clean()
    contact.save()
    contact.people_seen.set(people_seen)
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=contact,
        child_id=episode.child_id,
        summary=f"Recorded a {contact.get_kind_display().lower()}",
        after=field_values(contact),
    )
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, **fields) -> Contact:
    _require_recording(actor, contact.episode)
    before = field_values(contact)  # taken before the new values are set on it
    for name, value in fields.items():
        if name != "people_seen":
            setattr(contact, name, value)
    _check_contact(contact, fields.get("people_seen", contact.people_seen.all()))
    return _save_changes(
        actor,
        contact,
        fields,
        child_id=contact.episode.child_id,
        label=f"the {contact.get_kind_display().lower()}",
        before=before,
    )


def _check_contact(contact: Contact, people_seen) -> None:
    """A contact is within its episode and sees only people linked to the child."""
    episode = contact.episode
    date_rules.refuse(
        date_rules.context_for(episode=episode), [("occurred_at", "contact.occurred_at", contact.occurred_at)]
    )
    linked = set(ChildPerson.objects.filter(child_id=episode.child_id).values_list("person_id", flat=True))
    if any(p.pk not in linked for p in people_seen):
        raise DomainError("Choose only people linked to this child.", field="people_seen")


@transaction.atomic
def action_create(*, actor, episode: Episode, **fields) -> PlannedAction:
    """Add a planned action or an unplanned service to an open episode."""
    _require_recording(actor, episode)
    action = PlannedAction(episode=episode, **fields)
    _check_action_dates(episode, fields)
    action.full_clean()
    action.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=action,
        child_id=episode.child_id,
        summary="Added a planned action" if not action.is_unplanned else "Added an unplanned service",
        after=field_values(action),
    )
    # The record's review section lists the episode's actions: this changes its content.
    contribution_note_episode(episode=episode, user=actor, kind=ContributionKind.EDITED)
    return action


@transaction.atomic
def action_update(*, actor, action: PlannedAction, **fields) -> PlannedAction:
    """Change a planned action. A Closure Record being written reviews the episode's actions, so its
    version moves on too: a review opened before this change is then refused as stale, even from
    an API client that sent only the record's version (no lost update)."""
    _require_recording(actor, action.episode)
    # The record's review section lists the episode's actions: this changes its content.
    contribution_note_episode(episode=action.episode, user=actor, kind=ContributionKind.EDITED)
    _check_action_dates(action.episode, fields)
    action = _save_changes(actor, action, fields, child_id=action.episode.child_id, label="a planned action")
    action.episode.closure_records.filter(status__in=EDITABLE).update(version=F("version") + 1)
    return action


def _check_action_dates(episode: Episode, fields: dict) -> None:
    """An action's dates are within its episode; its end may be planned (in the future)."""
    date_rules.refuse(
        date_rules.context_for(episode=episode),
        [(name, f"action.{name}", fields.get(name)) for name in ("start_date", "end_date")],
    )


@transaction.atomic
def person_add(
    *,
    actor,
    episode: Episode,
    relationship: str,
    has_parental_responsibility=False,
    lives_with_child=False,
    may_share_contact_details=False,
    **fields,
) -> Person:
    """Add a person to the child's family and link them with their relationship."""
    _require_recording(actor, episode)
    person = Person(**fields)
    person.full_clean()
    person.save()
    link = ChildPerson(
        child=episode.child,
        person=person,
        relationship=relationship,
        has_parental_responsibility=has_parental_responsibility,
        lives_with_child=lives_with_child,
        may_share_contact_details=may_share_contact_details,
    )
    link.full_clean()
    link.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=person,
        child_id=episode.child_id,
        summary=f"Added {person.full_name} ({link.get_relationship_display().lower()})",
        after={**field_values(person), **field_values(link, ["relationship"])},
    )
    return person


@transaction.atomic
def person_update(*, actor, episode: Episode, person: Person, **fields) -> Person:
    _require_recording(actor, episode)
    if not ChildPerson.objects.filter(child_id=episode.child_id, person=person).exists():
        raise PermissionDenied  # through a case, only that child's people can be changed
    link_fields = {
        k: fields.pop(k)
        for k in (
            "relationship",
            "has_parental_responsibility",
            "lives_with_child",
            "may_share_contact_details",
        )
        if k in fields
    }
    if link_fields:
        link = ChildPerson.objects.get(child=episode.child, person=person)
        for name, value in link_fields.items():
            setattr(link, name, value)
        link.full_clean()
        link.save()
    return _save_changes(actor, person, fields, child_id=episode.child_id, label=person.full_name)


@transaction.atomic
def place_add(
    *, actor, episode: Episode, kind: str, name: str, also_known_as: str = "", address: str = ""
) -> Place:
    """Record a place in the child's life that could show where the child or a family member is
    (school, nursery, GP, refuge, handover or family-time place): copies withhold it, by name, by
    its other names and by address, from whoever must not know it."""
    _require_recording(actor, episode)
    place = Place(
        child=episode.child,
        kind=kind,
        name=name.strip(),
        also_known_as=also_known_as.strip(),
        address=address.strip(),
    )
    place.full_clean()
    place.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=place,
        child_id=episode.child_id,
        summary=f"Added a place: {place.get_kind_display().lower()}",
        after=field_values(place),
    )
    return place


@transaction.atomic
def place_remove(*, actor, episode: Episode, place: Place) -> None:
    """Remove a place recorded by mistake (records already authorised keep what they froze)."""
    _require_recording(actor, episode)
    if place.child_id != episode.child_id:
        raise PermissionDenied
    log_event(
        actor=actor,
        action=Action.DELETE,
        obj=place,
        child_id=episode.child_id,
        summary=f"Removed a place: {place.get_kind_display().lower()}",
        before=field_values(place),
    )
    place.delete()
