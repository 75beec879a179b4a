"""The web app, and the admin's names for what a council's administrator sees there.

Django's admin names things after the code: "AXES", "OTP_TOTP", "access attempts", "TOTP devices".
The AppConfig subclasses here are listed in INSTALLED_APPS in place of the apps' own, and name
each thing for what it is for. Our own apps name themselves in their apps.py.
"""

from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_otp.plugins.otp_totp import apps as totp_apps

# Modules, not classes, imported: the one AppConfig this module offers "closewell.web" is WebConfig.


class WebConfig(AppConfig):
    name = "closewell.web"
    default = True


class CouncilAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the council's site (closewell.web.admin_site)."""

    default = False
    default_site = "closewell.web.admin_site.CouncilAdminSite"


def _name(model, singular: str, plural: str) -> None:
    """A third-party model's name as the admin shows it. Only the names the admin reads
    (`_meta.verbose_name`) change: the model's declared options (`original_attrs`, which migrations
    compare) stay the library's own, so no migration follows."""
    model._meta.verbose_name = singular
    model._meta.verbose_name_plural = plural


class SignInsConfig(axes_apps.AppConfig):
    """django-axes, sign-in throttling: repeated failed sign-ins lock an account out for a while."""

    default = False
    verbose_name = "Sign-ins"

    def ready(self):
        super().ready()
        _name(self.get_model("AccessAttempt"), "sign-in lockout", "sign-in lockouts")
        _name(self.get_model("AccessLog"), "sign-in", "sign-ins and sign-outs")
        _name(self.get_model("AccessFailureLog"), "failed sign-in", "failed sign-ins")


class AuthenticatorAppsConfig(totp_apps.DefaultConfig):
    """django-otp's TOTP devices: the authenticator apps people set up for two-factor sign-in."""

    default = False
    verbose_name = "Two-factor sign-in"

    def ready(self):
        super().ready()
        _name(self.get_model("TOTPDevice"), "authenticator app", "authenticator apps")
