"""The security app: fault and two-factor middleware, its pages, and the tests that prove them."""

from django.apps import AppConfig
from django.core.signals import got_request_exception


class SecurityConfig(AppConfig):
    name = "closewell.security"
    label = "security"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        # The middleware module reads auth models, which exist only once the apps are ready.
        from . import checks  # noqa: F401, PLC0415 (registers the deploy checks)
        from .middleware import note_database_error  # noqa: PLC0415

        got_request_exception.connect(note_database_error, dispatch_uid="closewell-database-unavailable")
