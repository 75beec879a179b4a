"""The idle sign-out without a database write on every request.

Django's SESSION_SAVE_EVERY_REQUEST pushes the session's expiry on by saving it on every request: a second
commit for every page read, and a write to one shared table per click for a whole council. Here a signed-in
user's session is saved (so its expiry moves to SESSION_COOKIE_AGE from now) only when the last save is at
least SESSION_REFRESH_SECONDS old: the idle time-out is exact to within that, and most reads write nothing.
"""

import time

from django.conf import settings

REFRESHED = "_refreshed"


class IdleSessionMiddleware:
    """Listed after SessionMiddleware, so the session it marks is saved by that middleware's response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            if session.modified or now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED] = now  # saved by SessionMiddleware, with its expiry pushed on
        return response
