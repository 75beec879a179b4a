"""Middleware: the 503 page when the database does not answer, two-factor sign-in by role, and the
Content-Security-Policy header."""

import re
import sys
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 60
# Fields never shown back on the 503 page.
HIDDEN_FIELDS = ("csrfmiddlewaretoken",)


def _form_labels() -> dict[str, str]:
    """Every form field's label by field name, from the forms imported so far (no database needed).
    Not cached: it runs only for the 503 page, and forms imported later must count too."""
    labels: dict[str, str] = {}
    pending = [forms.BaseForm]
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for name, field in getattr(form, "base_fields", {}).items():
            if field.label:
                labels.setdefault(name, str(field.label))
    return labels


# A part of a date or time field (occurred_at_day) or of a multi-value widget (occurred_at_0).
_FIELD_PART = re.compile(r"^(?P<name>.+?)_(?P<part>day|month|year|time|\d+)$")


def field_label(name: str) -> str:
    """The label the user saw for a posted field: its form's label where a form declares it
    ("When was the contact? (day)"), else the name in words ("Reason for involvement")."""
    labels = _form_labels()
    part = ""
    match = _FIELD_PART.match(name)
    if name not in labels and match and match["name"] in labels:
        name, part = match["name"], match["part"]
    label = labels.get(name) or re.sub(r"[_\-]+", " ", name).strip().capitalize()
    return f"{label} ({part})" if part and not part.isdigit() else label


def typed_fields(request) -> list[tuple[str, str]]:
    """What the user typed into the form that could not be saved, so they can copy it and lose
    nothing: every text field of a POST, passwords and the CSRF token left out, each with the
    label the user saw."""
    if request.method != "POST":
        return []
    try:
        data = request.POST
    except Exception:  # noqa: BLE001 (a body that cannot be read has nothing to give back)
        return []
    return [
        (field_label(name), value)
        for name in data
        if name not in HIDDEN_FIELDS and "password" not in name.lower() and "token" not in name.lower()
        for value in data.getlist(name)
        if value.strip()
    ]


def unavailable_response(request) -> HttpResponse:
    """The 503 page, rendered without touching the database: no user, no session, no messages."""
    request.user = AnonymousUser()
    context = {
        "typed": typed_fields(request),
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "user": request.user,
        "request": request,
    }
    body = render_to_string("503.html", context)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def note_database_error(sender, request=None, **kwargs) -> None:
    """got_request_exception receiver: Django turns an error raised in any middleware into a 500
    before the outermost middleware sees it; mark the request so that 500 becomes the 503 page."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, (OperationalError, InterfaceError)):
        request.database_unavailable = True


class DatabaseUnavailableMiddleware:
    """A database that does not answer gives a clear 503 page with Retry-After, not a 500.

    Outermost in MIDDLEWARE: a view's error is turned into the 503 page by process_exception; one
    raised by other middleware (loading the session, signing in) is marked by note_database_error
    and its 500 replaced by the same page on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except (OperationalError, InterfaceError):
            return unavailable_response(request)
        if getattr(request, "database_unavailable", False) and response.status_code != 503:
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            request.database_unavailable = True
            return unavailable_response(request)
        return None


# URL names a user who still owes the second factor may reach.
TWO_FACTOR_OPEN = {
    "two_factor_setup",
    "two_factor_verify",
    "logout",
    "login",
    "accessibility",
    "healthz",
    "sso_start",
    "oidc_authentication_callback",
}
# Set by the single sign-on callback when the council's provider said it checked a second factor.
IDP_MFA_SESSION_KEY = "closewell_idp_mfa"


def needs_two_factor(request) -> bool:
    """A role that needs a second factor, not yet given in this session: Closewell's authenticator
    code, or a single sign-on whose provider asserted it checked one (its amr claim)."""
    user = request.user
    return (
        settings.REQUIRE_TWO_FACTOR
        and user.is_authenticated
        and user.role in settings.OTP_REQUIRED_FOR_ROLES
        and not user.is_verified()
        and not request.session.get(IDP_MFA_SESSION_KEY)
    )


class TwoFactorMiddleware:
    """Managers and administrators (OTP_REQUIRED_FOR_ROLES), when REQUIRE_TWO_FACTOR is on, give a
    6-digit code from an authenticator app after their password before they see anything: they
    authorise closures and administer accounts, so a stolen password alone must not be enough.
    One without a confirmed device is sent to set one up first. After single sign-on the same is
    asked unless the provider asserted it checked a second factor itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not needs_two_factor(request):
            return None
        match = request.resolver_match
        if match is None or match.url_name in TWO_FACTOR_OPEN or request.path.startswith(settings.STATIC_URL):
            return None
        if match.namespace == "api":
            return None
        return redirect("two_factor_verify")


class NullCharacterMiddleware:
    """Refuse a query string carrying a NUL character with 400: PostgreSQL cannot store or compare
    text containing one, so a search or filter would otherwise fail with a server error. (Forms
    already refuse NUL in what is posted.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            message = "Remove the null character from the address: it cannot be searched for."
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": {"query": [message]}}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


# What django-csp's decorators (csp_update, csp_exempt...) set on a response to change its policy.
CSP_CHANGES = tuple(
    f"_csp_{change}{ro}" for change in ("exempt", "config", "update", "replace") for ro in ("", "_ro")
)
# Each header and the setting its policy comes from.
CSP_HEADERS = (
    (HEADER, "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with its headers built once a process. This service's policy is the
    settings' on every page (no nonce, no view changes it), and django-csp built it from them twice on
    every response (the policy and the report-only one): about a tenth of what a signed-in request
    costs before its view. A page that used a nonce, or a response a django-csp decorator changed,
    gets django-csp's own answer."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, n) for n in CSP_CHANGES):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # as django-csp: Django's debug pages have inline script
        for header, value, excluded in settings_policy_headers():
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@cache
def settings_policy_headers() -> list[tuple[str, str, tuple[str, ...]]]:
    """Each header the settings' policies give (name, value, the URL prefixes it is not sent on),
    built by django-csp as it builds them for a response nothing changed."""
    headers = []
    for header, name in CSP_HEADERS:
        value = build_policy(report_only=header == HEADER_REPORT_ONLY)
        if value:
            excluded = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            headers.append((header, value, tuple(excluded)))
    return headers


@receiver(setting_changed)
def _policy_changed(setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policy_headers.cache_clear()
