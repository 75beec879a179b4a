"""The idle sign-out without a database write on every request, and the database session store.

Django's SESSION_SAVE_EVERY_REQUEST pushes the session's expiry on by saving it on every request: a second
commit for every page read, and a write to one shared table per click for a whole council. Here a signed-in
user's session is saved (so its expiry moves to SESSION_COOKIE_AGE from now) only when the last save is at
least SESSION_REFRESH_SECONDS old: the idle time-out is exact to within that, and most reads write nothing.
"""

import time

from django.conf import settings
from django.contrib.sessions.backends import db
from django.utils import timezone

from closewell.core.rows import one_row

REFRESHED = "_refreshed"


class SessionStore(db.SessionStore):
    """Sessions in the database (SESSION_ENGINE when REDIS_URL is not set): Django's store, reading the
    session with its lookup (this key, not expired) written out as SQL (core.rows). Every signed-in
    request reads its session, and building that query through the ORM cost several times the
    database's own answer."""

    def _get_session_from_db(self):
        key, now = self.session_key, timezone.now()
        found = one_row(self.model, "session_key = %s AND expire_date > %s", [key, now])
        if found is None:
            self._session_key = None  # as Django's: an unknown or expired key gets a new session
        return found


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
