"""System checks for a safe deployment (`manage.py check --deploy`), and that single sign-on, when on,
is configured whole (every `manage.py check`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def allowed_hosts_not_wildcard(app_configs, **kwargs):
    """Warn when ALLOWED_HOSTS lets any host name through: password-reset and other absolute links
    could then be built from a forged Host header, and the site answers for any domain."""
    hosts = list(getattr(settings, "ALLOWED_HOSTS", []) or [])
    if "*" not in hosts:
        return []
    return [
        checks.Warning(
            "ALLOWED_HOSTS contains '*': the service answers any Host header.",
            hint="Set ALLOWED_HOSTS to the service's own host names (comma-separated in the environment).",
            id="security.W900",
        )
    ]


@checks.register(checks.Tags.security)
def single_sign_on_complete(app_configs, **kwargs):
    """Single sign-on is on (OIDC_RP_CLIENT_ID and OIDC_OP_ISSUER set) but cannot work: an endpoint or
    the client secret is missing. Said at start-up, not at the first person's sign-in."""
    if not settings.OIDC_ENABLED:
        return []
    needed = ("OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT")
    if settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
        needed += ("OIDC_OP_JWKS_ENDPOINT",)
    missing = [name for name in needed if not getattr(settings, name, "")]
    if not missing:
        return []
    return [
        checks.Error(
            f"Single sign-on is on but {', '.join(missing)} is not set.",
            hint="Set it from the provider's discovery document (README, 'Single sign-on'), or unset "
            "OIDC_RP_CLIENT_ID to sign in with passwords only.",
            id="security.E901",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def single_sign_on_over_https(app_configs, **kwargs):
    """The provider's endpoints are reached over HTTPS in production: the token endpoint is sent the
    client secret and answers with the ID token."""
    if not settings.OIDC_ENABLED:
        return []
    names = (
        "OIDC_OP_ISSUER",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    )
    plain = [name for name in names if str(getattr(settings, name, "")).startswith("http://")]
    if not plain:
        return []
    return [
        checks.Warning(
            f"Single sign-on's {', '.join(plain)} use plain http.",
            hint="Use the provider's https addresses.",
            id="security.W902",
        )
    ]
