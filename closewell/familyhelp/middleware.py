"""A role confined to a few pages (the Family Help lead practitioner) gets 404 for every other URL."""

from django.http import Http404

from closewell.accounts.permissions import user_permissions


class ConfinedRoleMiddleware:
    """Asks UserPermissions.may_reach before any view runs: a URL outside the role's reach answers
    404, as if it did not exist. The API asks the same through api.authentication.ReachesView."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not user_permissions(request.user).may_reach(request.resolver_match):
            raise Http404("No such page.")
        return None
