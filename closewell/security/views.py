"""Sign-in pages beyond the password: two-factor (set up an authenticator app, then give its 6-digit
code) and single sign-on (off to the council's identity provider, and back).

Two-factor is reached after the password, when TwoFactorMiddleware asks for the second factor
(managers and administrators, REQUIRE_TWO_FACTOR on). The devices and the check are django-otp's TOTP.
"""

import base64
import logging
from urllib.parse import urlencode

import requests
import segno
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from jwt import PyJWTError
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from closewell.core.errors import DomainError

from . import sso
from .forms import CodeForm, EnrolmentCodeForm
from .middleware import IDP_MFA_SESSION_KEY
from .selectors import code_already_used
from .services import SignInRefused, enrolment_code_find, two_factor_confirm

logger = logging.getLogger(__name__)

WRONG_CODE = "The code is not right. Enter the code your authenticator app shows now"
USED_CODE = (
    "That code has already been used. Wait for your authenticator app to show a new code, then enter it"
)
SET_UP = "Two-factor sign-in is set up. Next time you sign in, enter the code your authenticator app shows"
TOO_MANY = "Too many wrong codes. Wait a minute, then try again"
WRONG_ENROLMENT = (
    "The enrolment code is not right, has expired or has been used. Check it, or ask an "
    "administrator for a new one"
)
# The enrolment code this session has given (its id), until the app is confirmed.
ENROLMENT_SESSION_KEY = "closewell_enrolment_code"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return settings.LOGIN_REDIRECT_URL


def _confirmed(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@require_http_methods(["GET", "POST"])
def setup(request):
    """A new authenticator app. First the one-time enrolment code an administrator issued (a
    password alone never enrols a device); then the app's secret, an otpauth:// link and a QR code,
    confirmed with one code from the app before it counts."""
    if _confirmed(request.user) is not None:
        return redirect("two_factor_verify")
    enrolment_id = request.session.get(ENROLMENT_SESSION_KEY)
    if enrolment_id is None:
        return _enrol(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = two_factor_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"], enrolment_id=enrolment_id
            )
        except DomainError as refusal:
            # Expired or spent meanwhile: start again with a new code.
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            return _enrol(request, error=refusal.message)
        if confirmed:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            messages.success(request, SET_UP)
            return redirect(_next_url(request))
        form.add_error("code", WRONG_CODE)
    uri = device.config_url
    context = {
        "form": form,
        "secret": base64.b32encode(device.bin_key).decode(),
        "uri": uri,
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator app"),
        "next": _next_url(request),
    }
    return render(request, "security/two_factor_setup.html", context)


def _enrol(request, error: str | None = None):
    """The enrolment code step of setting up an app (a POST here carries the enrolment code)."""
    posted = request.method == "POST" and "enrolment_code" in request.POST and error is None
    form = EnrolmentCodeForm(request.POST if posted else None)
    if posted and form.is_valid():
        enrolment = enrolment_code_find(user=request.user, code=form.cleaned_data["enrolment_code"])
        if enrolment is not None:
            request.session[ENROLMENT_SESSION_KEY] = enrolment.pk
            return redirect(f"{request.path}?{urlencode({'next': _next_url(request)})}")
        form.add_error("enrolment_code", WRONG_ENROLMENT)
    context = {"form": form, "refusal": error, "next": _next_url(request)}
    return render(request, "security/two_factor_enrol.html", context)


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second factor: the 6-digit code from the user's confirmed authenticator app."""
    device = _confirmed(request.user)
    if device is None:
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        if not allowed:
            form.add_error("code", TOO_MANY)
        elif code_already_used(device, form.cleaned_data["code"]):
            form.add_error("code", USED_CODE)
        else:
            form.add_error("code", WRONG_CODE)
    return render(request, "security/two_factor_verify.html", {"form": form, "next": _next_url(request)})


# --- Single sign-on ---------------------------------------------------------------------------------

NOT_COMPLETED = (
    "Signing in did not complete. It may have taken too long, or been started in another window. "
    "Go back to the sign-in page and try again."
)
PROVIDER_UNAVAILABLE = (
    "Your council's sign-in service did not answer. Try again in a few minutes, or contact your "
    "council's IT service desk."
)


@method_decorator(login_not_required, name="dispatch")
class SsoStart(OIDCAuthenticationRequestView):
    """Off to the provider: the library makes the state, nonce and PKCE challenge and keeps them in
    the session. 404 while single sign-on is off."""

    def dispatch(self, request, *args, **kwargs):
        if not sso.enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _refused(request, message: str, status: int):
    return render(request, "security/sso_refused.html", {"message": message}, status=status)


@login_not_required
@require_http_methods(["GET"])
def sso_callback(request):
    """Back from the provider. The state must be one this session started (then spent, so a
    callback is never replayed); the code is exchanged and the ID token checked (signature, nonce,
    issuer, audience) by sso.Backend, which finds or makes the user from the claims. The backend is
    called directly, not through every authentication backend: a failure here is the provider's to
    throttle, and must not count towards django-axes' lockout of a username and address."""
    if not sso.enabled():
        raise Http404
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if isinstance(states, dict) else None
    request.session["oidc_states"] = states
    if request.GET.get("error"):
        logger.warning("Single sign-on: the provider answered %s", request.GET.get("error")[:100])
        return _refused(request, NOT_COMPLETED, status=400)
    if entry is None or not request.GET.get("code"):
        logger.warning("Single sign-on: a callback with a state this session did not start")
        return _refused(request, NOT_COMPLETED, status=400)
    request.session.save()
    backend = sso.Backend()
    try:
        user = backend.authenticate(
            request, sso_callback=True, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except SignInRefused as refusal:
        return _refused(request, refusal.message, status=403)
    except (SuspiciousOperation, PyJWTError) as error:
        logger.warning("Single sign-on: the provider's answer was refused: %s", error)
        return _refused(request, NOT_COMPLETED, status=400)
    except requests.RequestException as error:
        logger.warning("Single sign-on: the provider did not answer: %s", error)
        return _refused(request, PROVIDER_UNAVAILABLE, status=502)
    if user is None or not user.is_active:
        return _refused(request, NOT_COMPLETED, status=400)
    next_url = request.session.get("oidc_login_next") or settings.LOGIN_REDIRECT_URL
    auth.login(request, user, backend=sso.BACKEND)
    if sso.asserts_mfa(backend.claims):
        request.session[IDP_MFA_SESSION_KEY] = True
    return redirect(next_url)
