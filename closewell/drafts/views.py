"""The drafts' endpoints, used by drafts.js: keep the session alive while someone works, save what
they type, discard a kept draft. Each answers 401 (not a sign-in page) once the session is over."""

import time

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from closewell.security.sessions import REFRESHED

from .services import draft_discard, draft_save


def _refresh(request) -> None:
    """Typing is activity: push the idle clock on now (a page read does so at most once a minute)."""
    request.session[REFRESHED] = int(time.time())


def _signed_out():
    return JsonResponse({"errors": {"detail": ["You have been signed out. Sign in again."]}}, status=401)


@login_not_required
@never_cache
@require_POST
def keep_alive(request):
    """Keep the session: the idle clock starts again from now."""
    if not request.user.is_authenticated:
        return _signed_out()
    _refresh(request)
    return JsonResponse({"signed_in": True})


@login_not_required
@never_cache
@require_POST
def save(request):
    """Keep what the user has typed into the form of the page `draft_path` (their eyes only)."""
    if not request.user.is_authenticated:
        return _signed_out()
    _refresh(request)
    draft_save(user=request.user, path=request.POST.get("draft_path", ""), data=request.POST)
    return HttpResponse(status=204)


@require_POST
def discard(request):
    """Forget the user's draft of a page and show the page as it is saved."""
    path = request.POST.get("draft_path", "")
    if not url_has_allowed_host_and_scheme(path, allowed_hosts=None) or not path.startswith("/"):
        path = "/"
    draft_discard(user=request.user, path=path)
    return HttpResponseRedirect(path)
