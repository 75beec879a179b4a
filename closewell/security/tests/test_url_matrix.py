"""Every URL, as every role: the exact status each gets, from one explicit table.

The test walks the URL resolver, so a URL added without a row in EXPECTED fails here; and a row
whose URL has gone fails too. Path converters are filled from the scenario, the East team's case:
an open episode (child, contact, action, a parent) for the case pages, and an authorised Closure
Record with signatures and a copy given for the record pages. The API is asked with each user's
token. The West team's worker and manager ask for the same URLs: another team's child answers 404,
never a hint that it exists.

Statuses, in the order of ROLES:
  worker (East), other_worker (West), manager (East), other_manager (West), data officer,
  administrator, anonymous, and the Family Help lead practitioner the authorised record's handover
  names: they reach their handovers, signing in and out, and nothing else (404 everywhere else).
"""

import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts.models import Role, User
from closewell.accounts.services import user_password_request
from closewell.advice.models import AdviceWord, WordKind
from closewell.api.services import token_create
from closewell.audit.models import AuditEvent
from closewell.cases.tests.factories import (
    ChildPersonFactory,
    ContactFactory,
    EpisodeFactory,
    PlannedActionFactory,
)
from closewell.census.forms import year_choices
from closewell.closures.models import ReturnComment
from closewell.documents import services as documents
from closewell.documents.models import Signature
from closewell.familyhelp.models import Handover
from closewell.jobs.models import Job, JobKind, JobStatus
from closewell.outbox.models import EmailStatus, OutboxEmail
from closewell.security.models import GroupMapping

ROLES = ("worker", "other_worker", "manager", "other_manager", "data", "admin", "anonymous", "lead")


def walk(patterns, prefix=""):
    """Every URL pattern as its full route (regex routes as written)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def all_routes() -> list[str]:
    return list(walk(get_resolver().url_patterns))


# What each role gets from GET on each URL, with the scenario's objects in the path.
# 200 page · 302 to sign in (anonymous) or elsewhere · 403 role may not · 404 not theirs or no such thing
# · 405 POST only.
# fmt: off
EXPECTED: dict[str, tuple[int, ...]] = {
    #                                   worker  other_w manager other_m data  admin  anonymous  lead
    "healthz": (200, 200, 200, 200, 200, 200, 200, 200),
    "admin/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/login/": (200, 200, 200, 200, 200, 302, 200, 404),
    "admin/logout/": (302, 302, 302, 302, 302, 405, 302, 404),
    "admin/password_change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/password_change/done/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/autocomplete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/jsi18n/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/r/<path:content_type_id>/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/accounts/team/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/team/add/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/team/<path:object_id>/history/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/team/<path:object_id>/delete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/accounts/team/<path:object_id>/change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/team/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/accounts/user/<id>/password/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/user/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/user/add/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/user/<path:object_id>/history/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/user/<path:object_id>/delete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/accounts/user/<path:object_id>/change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/user/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/audit/auditevent/export/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/audit/auditevent/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/audit/auditevent/add/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/audit/auditevent/<path:object_id>/history/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/audit/auditevent/<path:object_id>/delete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/audit/auditevent/<path:object_id>/change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/audit/auditevent/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/advice/adviceword/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/advice/adviceword/add/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/advice/adviceword/<path:object_id>/history/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/advice/adviceword/<path:object_id>/delete/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/advice/adviceword/<path:object_id>/change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/advice/adviceword/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accessattempt/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/axes/accessattempt/add/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/axes/accessattempt/<path:object_id>/history/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accessattempt/<path:object_id>/delete/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accessattempt/<path:object_id>/change/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accessattempt/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accesslog/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/axes/accesslog/add/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/axes/accesslog/<path:object_id>/history/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accesslog/<path:object_id>/delete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/axes/accesslog/<path:object_id>/change/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accesslog/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accessfailurelog/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/axes/accessfailurelog/add/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/axes/accessfailurelog/<path:object_id>/history/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/axes/accessfailurelog/<path:object_id>/delete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/axes/accessfailurelog/<path:object_id>/change/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/axes/accessfailurelog/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/otp_totp/totpdevice/<int:pk>/config/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/otp_totp/totpdevice/<int:pk>/qrcode/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/otp_totp/totpdevice/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/otp_totp/totpdevice/add/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/otp_totp/totpdevice/<path:object_id>/history/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/otp_totp/totpdevice/<path:object_id>/delete/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/otp_totp/totpdevice/<path:object_id>/change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/otp_totp/totpdevice/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/accounts/userchange/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/userchange/add/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/accounts/userchange/<path:object_id>/history/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/userchange/<path:object_id>/delete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/accounts/userchange/<path:object_id>/change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/accounts/userchange/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/^(?P<app_label>accounts|otp_totp|axes|audit|advice|security|outbox)/$": (
        302, 302, 302, 302, 302, 200, 302, 404
    ),
    # Sign-in groups mapped to role and team (single sign-on): changes wait for a second administrator.
    "admin/security/groupmapping/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/security/groupmapping/add/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/security/groupmapping/<path:object_id>/history/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/security/groupmapping/<path:object_id>/delete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/security/groupmapping/<path:object_id>/change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/security/groupmapping/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    # Emails that could not be sent: seen and sent again (an action on the list), never added or deleted.
    "admin/outbox/failedemail/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/outbox/failedemail/add/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/outbox/failedemail/<path:object_id>/history/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/outbox/failedemail/<path:object_id>/delete/": (302, 302, 302, 302, 302, 403, 302, 404),
    "admin/outbox/failedemail/<path:object_id>/change/": (302, 302, 302, 302, 302, 200, 302, 404),
    "admin/outbox/failedemail/<path:object_id>/": (302, 302, 302, 302, 302, 302, 302, 404),
    "admin/(?P<url>.*)$": (302, 302, 302, 302, 302, 404, 302, 404),
    # Single sign-on answers 404 until the council configures its identity provider (OIDC_* settings).
    "sso/start/": (404, 404, 404, 404, 404, 404, 404, 404),
    "sso/callback/": (404, 404, 404, 404, 404, 404, 404, 404),
    "overview/": (403, 403, 403, 403, 200, 403, 302, 404),
    "api/v1/openapi.json": (200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/children/": (200, 200, 200, 200, 200, 200, 401, 404),
    "api/v1/children/<int:pk>/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/children/<int:pk>/people/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/children/<int:pk>/domestic-abuse/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/disclosure-profiles/": (200, 200, 200, 200, 200, 200, 401, 404),
    "api/v1/episodes/": (200, 200, 200, 200, 200, 200, 401, 404),
    "api/v1/episodes/<int:pk>/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/episodes/<int:pk>/plans/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/episodes/<int:pk>/contacts/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/contacts/<int:pk>/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/closure-records/": (200, 200, 200, 200, 200, 200, 401, 404),
    "api/v1/closure-records/<int:pk>/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/closure-records/<int:pk>/comments/<int:comment_pk>/": (200, 404, 200, 404, 200, 404, 401, 404),
    "api/v1/closure-records/<int:pk>/sections/<str:section>/": (405, 405, 405, 405, 405, 405, 401, 404),
    "api/v1/closure-records/<int:pk>/submit/": (405, 405, 405, 405, 405, 405, 401, 404),
    "api/v1/closure-records/<int:pk>/return/": (405, 405, 405, 405, 405, 405, 401, 404),
    "api/v1/closure-records/<int:pk>/authorise/": (405, 405, 405, 405, 405, 405, 401, 404),
    "api/v1/closure-records/<int:pk>/copies/": (200, 404, 200, 404, 404, 404, 401, 404),
    "api/v1/closure-records/<int:pk>/copies/<int:copy_pk>/pdf/": (200, 404, 200, 404, 404, 404, 401, 404),
    "api/v1/closure-records/<int:pk>/copies/preview/": (405, 405, 405, 405, 405, 405, 401, 404),
    "api/v1/closure-records/<int:pk>/copies/<int:copy_pk>/release/": (405, 405, 405, 405, 405, 405, 401, 404),
    "family-help/": (403, 403, 403, 403, 403, 403, 302, 200),
    "family-help/team/": (403, 403, 200, 200, 403, 403, 302, 404),
    "family-help/handovers/<int:pk>/": (200, 404, 200, 404, 200, 404, 302, 200),
    "family-help/records/<int:pk>/add/": (405, 405, 405, 405, 405, 405, 302, 404),
    "api/v1/handovers/": (200, 200, 200, 200, 200, 200, 401, 200),
    "api/v1/handovers/<int:pk>/": (200, 404, 200, 404, 200, 404, 401, 200),
    "api/v1/handovers/<int:pk>/acknowledge/": (405, 405, 405, 405, 405, 405, 401, 405),
    "api/v1/^(?P<rest>[\\s\\S]*)$": (404, 404, 404, 404, 404, 404, 404, 404),
    "documents/records/<int:pk>/signatures/": (200, 404, 200, 404, 404, 404, 302, 404),
    "documents/records/<int:pk>/signatures/<int:signature_pk>/remove/": (405, 405, 405, 405, 405, 405, 302, 404),  # noqa: E501
    "documents/records/<int:pk>/signatures/<int:signature_pk>/keep/": (302, 404, 302, 404, 404, 404, 302, 404),  # noqa: E501
    "documents/records/<int:pk>/signatures/<int:signature_pk>/image.png": (200, 404, 200, 404, 404, 404, 302, 404),  # noqa: E501
    "documents/records/<int:pk>/copies/": (200, 404, 200, 404, 404, 404, 302, 404),
    "documents/records/<int:pk>/copies/give/": (200, 404, 200, 404, 404, 404, 302, 404),
    "documents/records/<int:pk>/copies/<int:copy_pk>.pdf": (200, 404, 200, 404, 404, 404, 302, 404),
    "documents/records/<int:pk>/copies/<int:copy_pk>/release/": (200, 404, 200, 404, 404, 404, 302, 404),
    "documents/records/<int:pk>/withholdings/": (200, 404, 200, 404, 404, 404, 302, 404),
    "documents/records/<int:pk>/withholdings/<int:withholding_pk>/remove/": (405, 405, 405, 405, 405, 405, 302, 404),  # noqa: E501
    "documents/records/<int:pk>/record.pdf": (200, 404, 200, 404, 404, 404, 302, 404),
    "closures/": (200, 200, 200, 200, 403, 403, 302, 404),
    "closures/start/<int:episode_pk>/": (200, 404, 200, 404, 403, 404, 302, 404),
    "closures/<int:pk>/": (200, 404, 200, 404, 200, 404, 302, 404),
    # Pages for writing an authorised record: those on the case land on the record, never a 403.
    "closures/<int:pk>/section/<str:section>/": (302, 404, 302, 404, 403, 404, 302, 404),
    "closures/<int:pk>/comments/<int:comment_pk>/": (403, 404, 403, 404, 403, 404, 302, 404),
    "closures/<int:pk>/check/": (302, 404, 302, 404, 403, 404, 302, 404),
    "closures/<int:pk>/review/": (302, 404, 200, 404, 403, 404, 302, 404),
    # The confirmation page (GET): an authorised record sends the manager back to the review.
    "closures/<int:pk>/authorise/": (302, 404, 302, 404, 403, 404, 302, 404),
    "closures/<int:pk>/authorised/": (200, 404, 200, 404, 200, 404, 302, 404),
    # Why an addendum is needed, asked first (GET creates nothing).
    "closures/<int:pk>/addendum/": (200, 404, 200, 404, 403, 404, 302, 404),
    "closures/<int:pk>/withdraw/": (302, 404, 302, 404, 403, 404, 302, 404),
    "closures/<int:pk>/history/": (403, 404, 200, 404, 403, 404, 302, 404),
    "census/quality/": (403, 403, 200, 200, 200, 403, 302, 404),
    "census/download/": (403, 403, 403, 403, 200, 403, 302, 404),
    # Background exports and imports: the data officer's; a job is for the one who started it alone.
    "jobs/": (403, 403, 403, 403, 200, 403, 302, 404),
    "jobs/census-export/": (405, 405, 405, 405, 405, 405, 302, 404),
    "jobs/ssd-import/": (403, 403, 403, 403, 200, 403, 302, 404),
    "jobs/<int:pk>/": (404, 404, 404, 404, 200, 404, 302, 404),
    "jobs/<int:pk>/file/": (404, 404, 404, 404, 200, 404, 302, 404),
    "reports/": (403, 403, 200, 200, 200, 403, 302, 404),
    "reports/<slug:key>.csv": (403, 403, 200, 200, 200, 403, 302, 404),
    "two-factor/setup/": (200, 200, 302, 200, 200, 200, 302, 200),
    "two-factor/": (302, 302, 200, 302, 302, 302, 302, 302),
    "": (302, 302, 302, 302, 302, 302, 302, 302),
    "login/": (302, 302, 302, 302, 302, 302, 200, 302),
    "logout/": (405, 405, 405, 405, 405, 405, 302, 405),
    # Drafts: POST only; keep-alive and save answer 401 (not a sign-in page) once the session is over.
    "drafts/keep-alive/": (405, 405, 405, 405, 405, 405, 405, 405),
    "drafts/save/": (405, 405, 405, 405, 405, 405, 405, 405),
    "drafts/discard/": (405, 405, 405, 405, 405, 405, 302, 405),
    "favicon.ico": (302, 302, 302, 302, 302, 302, 302, 302),
    "accessibility/": (200, 200, 200, 200, 200, 200, 200, 200),
    "cases/": (200, 200, 200, 200, 403, 403, 302, 404),
    "team/": (403, 403, 200, 200, 200, 403, 302, 404),
    "search/": (200, 200, 200, 200, 200, 403, 302, 404),
    "children/<int:pk>/": (200, 404, 200, 404, 200, 404, 302, 404),
    "children/<int:pk>/episodes/<int:episode_pk>/contacts/": (200, 404, 200, 404, 200, 404, 302, 404),
    "children/<int:pk>/contacts/add/": (200, 404, 200, 404, 403, 404, 302, 404),
    "children/<int:pk>/contacts/<int:contact_pk>/": (200, 404, 200, 404, 403, 404, 302, 404),
    "children/<int:pk>/actions/add/": (200, 404, 200, 404, 403, 404, 302, 404),
    "children/<int:pk>/actions/<int:action_pk>/": (200, 404, 200, 404, 403, 404, 302, 404),
    "children/<int:pk>/people/add/": (200, 404, 200, 404, 403, 404, 302, 404),
    "children/<int:pk>/people/<int:person_pk>/": (200, 404, 200, 404, 403, 404, 302, 404),
    "children/<int:pk>/places/add/": (200, 404, 200, 404, 403, 404, 302, 404),
    "children/<int:pk>/places/<int:place_pk>/remove/": (405, 405, 405, 405, 405, 405, 302, 404),
}
# fmt: on

QUERY = {"census/download/": f"?year={year_choices()[0][0]}"}


@pytest.fixture
def scenario(case, authorised, settings, tmp_path):
    admin = User.objects.create_user("a", role=Role.ADMINISTRATOR, is_staff=True)
    settings.MEDIA_ROOT = tmp_path
    job = Job.objects.create(
        kind=JobKind.CENSUS_EXPORT, requested_by=case.data, status=JobStatus.DONE, file="jobs/census.xml",
        file_name="census.xml", params={"year": 2027},
    )  # fmt: skip
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "census.xml").write_text("<Message/>")
    failed_email = OutboxEmail.objects.create(
        to=["m@example.invalid"], subject="Closure Record to authorise", body="…", status=EmailStatus.FAILED,
        attempts=5, next_attempt_at=timezone.now(), last_error="SMTPRecipientsRefused: 451",
    )  # fmt: skip
    copy = documents.copy_give(
        actor=case.worker,
        record=authorised,
        recipient_kind="child",
        given_on=timezone.localdate(),
        method="in_person",
    )
    signature = Signature.objects.filter(record=authorised).order_by("pk").first()
    comment = ReturnComment.objects.create(
        record=authorised, section="reason", text="Say more.", author=case.manager, resolved=True
    )
    word = AdviceWord.objects.first() or AdviceWord.objects.create(
        kind=WordKind.JARGON, term="utilise", plain="use"
    )
    event = AuditEvent.objects.order_by("pk").first()
    device = TOTPDevice.objects.create(user=case.manager, name="Authenticator app")
    change = user_password_request(actor=admin, user=case.worker, password="a-long-new-password-9")
    mapping = GroupMapping.objects.create(
        group="closewell-east-workers", role=Role.SOCIAL_WORKER, team=case.east, requested_by=admin
    )
    # An open case of the East team, allocated to its worker: the case pages that record on it.
    open_episode = EpisodeFactory(team=case.east, worker=case.worker)
    open_case = {
        "child": open_episode.child,
        "episode": open_episode,
        "contact": ContactFactory(episode=open_episode),
        "action": PlannedActionFactory(episode=open_episode),
        "person": ChildPersonFactory(child=open_episode.child).person,
    }
    lead = User.objects.create_user(
        "lead", role=Role.LEAD_PRACTITIONER, first_name="Lee", last_name="Oak", organisation="Elm School"
    )
    handover = Handover.objects.create(record=authorised, lead_practitioner=lead)
    users = {
        "lead": lead,
        "worker": case.worker,
        "other_worker": case.other_worker,
        "manager": case.manager,
        "other_manager": case.other_manager,
        "data": case.data,
        "admin": admin,
    }
    return {
        "case": case,
        "record": authorised,
        "copy": copy,
        "signature": signature,
        "comment": comment,
        "word": word,
        "event": event,
        "users": users,
        "open": open_case,
        "device": device,
        "change": change,
        "mapping": mapping,
        "handover": handover,
        "job": job,
        "failed_email": failed_email,
    }


def fill(route: str, s: dict) -> str:
    """The route as a path, its converters filled from the scenario."""
    case, record, open_case = s["case"], s["record"], s["open"]
    if route == "api/v1/^(?P<rest>[\\s\\S]*)$":
        return "/api/v1/no-such-thing/"
    if route == "admin/(?P<url>.*)$":
        return "/admin/no-such-thing/"
    if route.startswith("admin/^(?P<app_label>"):
        return "/admin/accounts/"
    by_prefix = {
        "api/v1/children/": case.child.pk,
        "children/": open_case["child"].pk,
        "api/v1/episodes/": case.episode.pk,
        "api/v1/contacts/": case.visit.pk,
        "closures/start/": open_case["episode"].pk,
        "admin/accounts/team/": case.east.pk,
        "admin/accounts/user/": case.worker.pk,
        "admin/audit/auditevent/": s["event"].pk,
        "admin/advice/adviceword/": s["word"].pk,
        "admin/otp_totp/totpdevice/": s["device"].pk,
        "admin/accounts/userchange/": s["change"].pk,
        "admin/security/groupmapping/": s["mapping"].pk,
        "family-help/handovers/": s["handover"].pk,
        "api/v1/handovers/": s["handover"].pk,
        "admin/outbox/failedemail/": s["failed_email"].pk,
        "jobs/": s["job"].pk,
    }
    pk = next((v for prefix, v in by_prefix.items() if route.startswith(prefix)), record.pk)
    names = {
        "pk": pk,
        "episode_pk": open_case["episode"].pk,
        "section": "reason",
        "contact_pk": open_case["contact"].pk,
        "action_pk": open_case["action"].pk,
        "person_pk": open_case["person"].pk,
        "signature_pk": s["signature"].pk,
        "comment_pk": s["comment"].pk,
        "copy_pk": s["copy"].pk,
        "withholding_pk": 1,
        "place_pk": 1,
        "key": "closures",
        "object_id": pk,
        "id": pk,
        "content_type_id": ContentType.objects.get_for_model(type(case.child)).pk,
    }
    if route.startswith("admin/r/"):
        names["object_id"] = case.child.pk
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(names[m.group(1)]), route)
    return "/" + path + QUERY.get(route, "")


def client_for(role: str, s: dict, *, api: bool) -> Client:
    """Pages: a signed-in session. The API: the user's bearer token (it takes no session)."""
    if role == "anonymous":
        return Client()
    user = s["users"][role]
    if api:
        _, key = token_create(actor=None, user=user)
        return Client(headers={"authorization": f"Bearer {key}"})
    client = Client()
    client.force_login(user)
    return client


def observe(s: dict) -> dict[str, tuple[int, ...]]:
    pages = {role: client_for(role, s, api=False) for role in ROLES}
    api = {role: client_for(role, s, api=True) for role in ROLES}
    return {
        route: tuple(
            (api if route.startswith("api/") else pages)[role].get(fill(route, s)).status_code
            for role in ROLES
        )
        for route in all_routes()
    }


# Case and record URLs, POSTed: another team's worker or manager, and the administrator, get 404 (the
# thing is not theirs, whether or not it exists) or 405 where the URL takes no POST at all (decided
# before anything is looked up); anonymous is sent to sign in.
OTHER_TEAM_POST_404 = [
    route
    for route in EXPECTED
    if route.startswith(("children/<", "closures/<", "closures/start/", "documents/"))
]


def test_the_table_names_every_url_and_no_other():
    routes = all_routes()
    assert len(routes) == len(set(routes)), "two URL patterns share a route"
    assert set(routes) == set(EXPECTED), (
        f"URLs without a row: {sorted(set(routes) - set(EXPECTED))}; "
        f"rows without a URL: {sorted(set(EXPECTED) - set(routes))}"
    )


def test_every_url_as_every_role(scenario):
    got = observe(scenario)
    wrong = {
        route: {
            "expected": dict(zip(ROLES, EXPECTED.get(route, ()), strict=False)),
            "got": dict(zip(ROLES, statuses, strict=True)),
        }
        for route, statuses in got.items()
        if EXPECTED.get(route) != statuses
    }
    assert not wrong, "\n".join(f"{route}: {diff}" for route, diff in wrong.items())


def test_posts_from_another_team_answer_404(scenario):
    assert OTHER_TEAM_POST_404
    clients = {role: client_for(role, scenario, api=False) for role in ROLES}
    wrong = {}
    for route in OTHER_TEAM_POST_404:
        path = fill(route, scenario)
        got = {
            role: clients[role].post(path, {}).status_code
            for role in ("other_worker", "other_manager", "admin", "anonymous")
        }
        refused = {got["other_worker"], got["other_manager"], got["admin"]}
        if not (refused in ({404}, {405}) and got["anonymous"] == 302):
            wrong[route] = got
    assert not wrong, wrong


def test_another_teams_child_is_a_404_like_no_child_at_all(scenario):
    """The same answer, page for page, for another team's child and for a child that does not exist."""
    client = client_for("other_worker", scenario, api=False)
    child = scenario["open"]["child"]
    for suffix in ("", "contacts/add/", "people/add/"):
        theirs = client.get(f"/children/{child.pk}/{suffix}")
        missing = client.get(f"/children/{child.pk + 10_000}/{suffix}")
        assert theirs.status_code == missing.status_code == 404
        assert page(theirs, child.pk) == page(missing, child.pk + 10_000)


def page(response, pk: int) -> str:
    """The page without its own path and its per-request CSRF token."""
    text = response.content.decode().replace(f"/children/{pk}/", "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


# --- The administrator sees no child's data in the admin ------------------------------------------


def childrens_data(s: dict) -> list[str]:
    """Words that would identify the scenario's child or say what their record holds."""
    case, record = s["case"], s["record"]
    return [
        case.child.first_name,
        case.child.last_name,
        case.mother.address,
        case.mother.sensitivity_reason,
        record.reason_for_involvement.splitlines()[0],
        record.reason_for_closure,
        record.da_if_released,
        "In custody; no contact is allowed.",
    ]


def admin_pages(s: dict) -> list[str]:
    """Every admin page the administrator may open, each audit event's own pages, and the trail
    filtered the ways the admin offers."""
    paths = [
        fill(route, s)
        for route, statuses in EXPECTED.items()
        if route.startswith("admin/") and statuses[ROLES.index("admin")] == 200
    ]
    for event in AuditEvent.objects.all():
        paths += [
            f"/admin/audit/auditevent/{event.pk}/change/",
            f"/admin/audit/auditevent/{event.pk}/history/",
        ]
    paths += [
        "/admin/audit/auditevent/?action__exact=update",
        "/admin/audit/auditevent/?object_type__exact=closures.ClosureRecord",
        f"/admin/audit/auditevent/?actor__id__exact={s['case'].worker.pk}",
        "/admin/audit/auditevent/?all=",
    ]
    return paths


def test_the_administrator_sees_no_childs_data_in_the_admin(scenario):
    """Audit events show the administrator who, what kind, when and to which object: never the
    summary, the before and after, or the child (their content is for those who may read the child)."""
    assert AuditEvent.objects.filter(summary__contains=scenario["case"].child.first_name).exists()
    client = client_for("admin", scenario, api=False)
    words = childrens_data(scenario)
    seen = {}
    for path in admin_pages(scenario):
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page = html.unescape(body.decode())
        found = [word for word in words if word and word in page]
        if found:
            seen[path] = found
    assert not seen, seen
    listing = html.unescape(client.get("/admin/audit/auditevent/").content.decode())
    assert "Started the Closure Record" not in listing and "Summary" not in listing


@pytest.mark.parametrize(
    "lookup",
    [
        "summary__icontains=Ruby",
        "before__icontains=Safe",
        "after__icontains=Ruby",
        "child_id=1",
        "actor__team__episodes__child__first_name=Ruby",
        "actor__managed_teams__episodes__child__last_name__startswith=H",
    ],
)
def test_the_administrator_cannot_probe_hidden_audit_content_through_filters(scenario, lookup):
    """Django's admin takes any lookup on a model's own fields from the address: counting the rows
    that come back would tell the administrator whether a child's name is in a hidden summary."""
    client = client_for("admin", scenario, api=False)
    assert client.get(f"/admin/audit/auditevent/?{lookup}").status_code == 400


def test_not_even_a_superuser_reaches_a_page_listing_a_teams_children(scenario):
    """Django's delete confirmation lists every related object by name: a team's episodes name their
    children. Nobody deletes teams or people in the admin (people are switched off)."""
    superuser = User.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(superuser)
    case = scenario["case"]
    for path in (
        f"/admin/accounts/team/{case.east.pk}/delete/",
        f"/admin/accounts/user/{case.worker.pk}/delete/",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert case.child.first_name not in response.content.decode()
    listing = client.post(
        "/admin/accounts/team/",
        {"action": "delete_selected", "_selected_action": [case.east.pk], "post": "yes"},
    )
    assert case.child.first_name not in listing.content.decode()


def test_the_lead_practitioner_posts_to_nothing_else(scenario):
    """A Family Help lead practitioner's POST anywhere outside their handovers answers 404 too,
    the API's included (with their token)."""
    pages = client_for("lead", scenario, api=False)
    api = client_for("lead", scenario, api=True)
    lead = ROLES.index("lead")
    wrong = {}
    for route, statuses in EXPECTED.items():
        if statuses[lead] != 404:
            continue
        got = (api if route.startswith("api/") else pages).post(fill(route, scenario), {}).status_code
        if got != 404:
            wrong[route] = got
    assert not wrong, wrong
