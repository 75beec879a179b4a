"""Template context shared by every page: the council's and the service's names, and `access`: what
the signed-in user may do (the navigation asks it, never the user's role)."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from closewell.accounts.permissions import user_permissions


def service(request):
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "access": SimpleLazyObject(lambda: user_permissions(request.user)),
    }
