"""Two-factor sign-in pages: set up an authenticator app, then give its 6-digit code.

Reached after the password, when TwoFactorMiddleware asks for the second factor (managers and
administrators, REQUIRE_TWO_FACTOR on). The devices and the check are django-otp's TOTP.
"""

import base64

import segno
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import CodeForm
from .services import two_factor_confirm

WRONG_CODE = "The code is not right. Enter the code your authenticator app shows now"
TOO_MANY = "Too many wrong codes. Wait a minute, then try again"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return settings.LOGIN_REDIRECT_URL


def _confirmed(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@require_http_methods(["GET", "POST"])
def setup(request):
    """A new authenticator app: show its secret, an otpauth:// link and a QR code, and confirm it
    with one code from the app before it counts."""
    if _confirmed(request.user) is not None:
        return redirect("two_factor_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor_confirm(user=request.user, device=device, code=form.cleaned_data["code"]):
            otp_login(request, device)
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
        form.add_error("code", WRONG_CODE if allowed else TOO_MANY)
    return render(request, "security/two_factor_verify.html", {"form": form, "next": _next_url(request)})
