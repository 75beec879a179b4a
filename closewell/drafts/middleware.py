"""DraftMiddleware: nothing typed is lost when the session ends.

- A POST that arrives after the idle sign-out (the session expired) is kept for the user whose
  session it was, and they are sent to sign in; after signing in as themselves the page shows it
  back in the form. It is never replayed: the user checks it and presses Save.
- A GET of a page with the user's draft hands the draft to the page's forms (GovukFormMixin reads
  it as their initial values) and shows a banner saying so.
- A form saved (a POST answered with a redirect) forgets its draft.
Both look for a draft only if the user's row (loaded for the request anyway) says they may have one
(services.may_have_draft): for everyone else a page costs no query here.

In MIDDLEWARE after AuthenticationMiddleware and before LoginRequiredMiddleware, whose refusal of
the expired POST this comes before.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .current import CURRENT_DRAFT
from .models import DraftSource
from .services import as_data, draft_discard, draft_for, draft_lifetime, draft_save, may_have_draft

NEVER_KEPT = ("/api/", "/login/", "/logout/", "/two-factor/", "/admin/", "/drafts/")


def user_of_expired_session(request):
    """Whose session the request's cookie belonged to, though it has expired: the user it was
    signed in as, if the session is no older than a draft is kept and the user's password has not
    changed since. None when there is no such session (never signed in, or signed out)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not key or len(key) > 64:
        return None
    session = Session.objects.filter(
        session_key=key, expire_date__gte=timezone.now() - draft_lifetime()
    ).first()
    if session is None:
        return None
    data = session.get_decoded()
    user = get_user_model().objects.filter(pk=data.get(SESSION_KEY), is_active=True).first()
    if user is None or not constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return None
    return user


def sign_in_url(path: str, reason: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': path, 'signed_out': reason})}"


class DraftMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.restored_draft = None
        token = CURRENT_DRAFT.set(None)
        try:
            response = self.get_response(request)
        finally:
            CURRENT_DRAFT.reset(token)
        user = getattr(request, "user", None)
        if (
            request.method == "POST"
            and response.status_code in (301, 302, 303)
            and user is not None
            and may_have_draft(user)
            and not request.path.startswith(NEVER_KEPT)
        ):
            draft_discard(user=user, path=request.path)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(NEVER_KEPT):
            return None
        user = request.user
        if request.method == "POST" and not user.is_authenticated:
            if not getattr(view_func, "login_required", True):
                return None
            owner = user_of_expired_session(request)
            if owner is None:
                return None  # LoginRequiredMiddleware sends them to sign in
            kept = draft_save(
                user=owner, path=request.path, data=request.POST, source=DraftSource.EXPIRED_POST
            )
            if kept is None:
                return None  # nothing typed to keep
            return HttpResponseRedirect(sign_in_url(request.path, "kept"))
        if request.method == "GET" and user.is_authenticated:
            draft = draft_for(user=user, path=request.path)
            if draft is not None:
                request.restored_draft = draft
                CURRENT_DRAFT.set(as_data(draft))
        return None
