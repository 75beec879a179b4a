"""System checks for a safe deployment, run by `manage.py check --deploy`."""

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
