"""Closure Records on other pages: the navigation's counts and each episode's records on the case page.

The tags read nothing themselves: they ask the selectors and the permission objects."""

from django import template

from closewell.accounts.permissions import user_permissions
from closewell.closures import selectors

register = template.Library()


@register.simple_tag
def closure_nav(user, to_authorise=None) -> dict:
    """What the navigation shows: records to authorise (managers) and records in progress. A page that
    has read the manager's whole queue (the queue itself) passes how many it holds, so the navigation
    does not count them again."""
    access = user_permissions(user)
    if not access.can_write_records:
        return {"show": False}
    if not access.can_authorise_records:
        to_authorise = 0
    elif not isinstance(to_authorise, int):  # not given: the template's empty string
        to_authorise = selectors.awaiting_authorisation(user).count()
    return {"show": True, "to_authorise": to_authorise}


@register.simple_tag
def episode_closures(user, child, episodes) -> dict:
    """For each of the child's episodes: its live record, its authorised ones, and what the user may do."""
    return selectors.episode_closures(user, child, episodes)
