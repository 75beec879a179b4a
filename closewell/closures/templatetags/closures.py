"""Closure Records on other pages: the navigation's counts and each episode's records on the case page."""

from django import template

from closewell.accounts.permissions import can_edit_case, can_write_record
from closewell.closures import selectors
from closewell.closures.models import LIVE, ClosureRecord, Status

register = template.Library()


@register.simple_tag
def closure_nav(user) -> dict:
    """What the navigation shows: records to authorise (managers) and records in progress."""
    if not user.is_authenticated or not (user.is_social_worker or user.is_team_manager):
        return {"show": False}
    return {
        "show": True,
        "to_authorise": selectors.awaiting_authorisation(user).count() if user.is_team_manager else 0,
    }


@register.simple_tag
def episode_closures(user, child, episodes) -> dict:
    """For each of the child's episodes (already read through the case selectors): its live record,
    its authorised records, and whether this user may start or continue one. One query."""
    records = list(
        ClosureRecord.objects.filter(episode__child=child, addendum_to__isnull=True)
        .exclude(status=Status.WITHDRAWN)
        .order_by("pk")
    )
    by_episode = {}
    for episode in episodes:
        mine = [r for r in records if r.episode_id == episode.pk]
        live = next((r for r in mine if r.status in LIVE), None)
        if live is not None:
            live.episode = episode
        by_episode[episode.pk] = {
            "live": live,
            "authorised": [r for r in mine if r.status == Status.AUTHORISED],
            "can_start": live is None and can_edit_case(user, episode),
            "can_continue": live is not None and can_write_record(user, live),
        }
    return by_episode
