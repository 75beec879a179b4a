"""The Closure Record's workflow steps as actions that check, then execute.

Each action answers two questions from the record's permission object
(closewell.accounts.permissions.record_permissions): `is_available` (show the button: this user may
take the step now) and `check()` (refuse with PermissionDenied someone who may never take it on
this record). `execute()` checks, then calls the one service that takes the step; the service
checks the same answers again under its row lock and refuses a step the record's state does not
allow with a DomainError the page shows. (Wagtail's wagtail/actions/*.py.)
"""

from django.core.exceptions import PermissionDenied

from closewell.accounts.permissions import record_permissions

from . import services
from .models import ClosureRecord


class RecordAction:
    available: str = ""  # the permission that shows the button
    allowed: str = ""  # the permission without which the step is refused (403)

    def __init__(self, user, record: ClosureRecord):
        self.user, self.record = user, record
        self.permissions = record_permissions(user, record)

    @property
    def is_available(self) -> bool:
        return getattr(self.permissions, self.available)

    refusal: str = ""  # the 403 page's reason

    def check(self) -> None:
        if not getattr(self.permissions, self.allowed):
            raise PermissionDenied(self.refusal)

    def execute(self, **kwargs):
        self.check()
        return self.run(**kwargs)

    def run(self, **kwargs):
        raise NotImplementedError


class SubmitRecord(RecordAction):
    available, allowed = "can_submit", "works_on_case"

    def run(self):
        return services.closure_submit(actor=self.user, record=self.record)


class ReturnRecord(RecordAction):
    available, allowed = "can_return", "is_reviewer"
    refusal = "Only a team manager of the case's team who did not write the record reviews it."

    def run(self, *, comments):
        return services.closure_return(actor=self.user, record=self.record, comments=comments)


class AuthoriseRecord(RecordAction):
    available, allowed = "can_authorise", "is_reviewer"
    refusal = "Only a team manager of the case's team who did not write the record authorises it."

    def run(self):
        return services.closure_authorise(actor=self.user, record=self.record)


class WithdrawRecord(RecordAction):
    available = allowed = "can_withdraw"

    def run(self, *, reason):
        return services.closure_withdraw(actor=self.user, record=self.record, reason=reason)


class StartAddendum(RecordAction):
    available, allowed = "can_start_addendum", "works_on_case"
    refusal = "Only the case's social worker and team managers write an addendum."

    def run(self, *, reason):
        return services.addendum_start(actor=self.user, record=self.record, reason=reason)
