"""Two-factor sign-in pages: set up an authenticator app, then give its 6-digit code.

Reached after the password, when TwoFactorMiddleware asks for the second factor (managers and
administrators, REQUIRE_TWO_FACTOR on). The devices and the check are django-otp's TOTP.
"""

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.core.errors import DomainError

from .forms import CodeForm, EnrolmentCodeForm
from .selectors import code_already_used
from .services import enrolment_code_find, two_factor_confirm

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
