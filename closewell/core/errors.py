"""DomainError: a rule of the domain refused an action. Views show its message to the user."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """Raised by services when a rule refuses an action; the message is written for the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        # Every field refused, when there are several: {field: message}.
        self.errors = {field: message} if field else {}


class NotPermitted(DomainError, PermissionDenied):
    """A rule about who may act refused (four eyes, two administrators): the message says why and
    what to do instead. Pages show it; the API answers 403 with it. It is a PermissionDenied too, so
    anything that does not catch it answers 403."""


class DatesRefused(DomainError):
    """One or more dates break their rule (core.date_rules): each field with its message."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = dict(errors)
