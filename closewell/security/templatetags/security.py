"""Template tags for the security includes: the case page's "Who viewed this case"."""

from django import template

from closewell.accounts.permissions import child_permissions
from closewell.security.selectors import case_views

register = template.Library()


@register.simple_tag(takes_context=True)
def who_viewed(context, child) -> dict:
    user = context["request"].user
    shown = child_permissions(user, child).can_see_who_viewed
    return {"shown": shown, "events": list(case_views(user, child)) if shown else []}
