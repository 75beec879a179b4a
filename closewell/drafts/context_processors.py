"""The idle sign-out's timings, for the warning dialog (drafts.js) on every signed-in page."""

from django.conf import settings


def session_timeout(request):
    idle = int(settings.SESSION_COOKIE_AGE)
    return {
        "session_idle_seconds": idle,
        # The warning comes SESSION_WARNING_SECONDS before sign-out (half the idle time, if shorter).
        "session_warning_seconds": max(1, min(int(settings.SESSION_WARNING_SECONDS), idle // 2)),
        # A page read pushes the idle clock on only if it last moved this long ago (security.sessions).
        "session_refresh_seconds": int(settings.SESSION_REFRESH_SECONDS),
    }
