"""Template context shared by every page: the council's and the service's names, where feedback goes,
`access`: what the signed-in user may do (the navigation asks it, never the user's role), and
`two_factor_pending`: signed in with a password but still owing the code (the menu then hides links
that would all lead back to the code page)."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from closewell.accounts.permissions import user_permissions
from closewell.security.middleware import needs_two_factor


def service(request):
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "feedback_url": settings.FEEDBACK_URL,
        "access": SimpleLazyObject(lambda: user_permissions(request.user)),
        "two_factor_pending": SimpleLazyObject(lambda: needs_two_factor(request.user)),
    }
