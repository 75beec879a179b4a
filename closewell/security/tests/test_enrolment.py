"""Setting up an authenticator app needs a one-time enrolment code from an administrator: a password
alone never enrols a device, a lost device removed included. Codes expire, work once, are kept only
as a hash and shown once; nobody issues one for themselves, nor for someone whose password they set."""

import datetime as dt
import html
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts import services as accounts
from closewell.accounts.models import Role, User
from closewell.audit.models import AuditEvent
from closewell.core.errors import NotPermitted
from closewell.security.models import EnrolmentCode
from closewell.security.services import enrolment_code_issue

from .test_auth import PASSWORD, code_for, sign_in

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def two_factor(settings):
    settings.REQUIRE_TWO_FACTOR = True


@pytest.fixture
def data_officer(db):
    return User.objects.create_user("dee", password=PASSWORD, role=Role.DATA_OFFICER)


@pytest.fixture
def admins(db):
    return (
        User.objects.create_user("ada.admin", password=PASSWORD, role=Role.ADMINISTRATOR),
        User.objects.create_user("bo.admin", password=PASSWORD, role=Role.ADMINISTRATOR),
    )


def signed_in(username: str) -> Client:
    client = Client()
    assert sign_in(client, username).status_code == 302
    return client


def enrol(client: Client, code: str):
    return client.post("/two-factor/setup/", {"enrolment_code": code})


def confirm(client: Client, user) -> int:
    """Confirm the app the setup page shows with its current code; the response's status."""
    client.get("/two-factor/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post("/two-factor/setup/", {"code": code_for(device)}).status_code


def test_a_password_alone_never_enrols_a_device(two_factor, data_officer):
    client = signed_in("dee")
    page = client.get("/two-factor/setup/")
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "one-time enrolment code from an administrator" in text
    assert "otpauth://" not in text and not TOTPDevice.objects.filter(user=data_officer).exists()
    # Posting an app code straight away confirms nothing.
    assert client.post("/two-factor/setup/", {"code": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=data_officer, confirmed=True).exists()
    assert client.get("/search/")["Location"] == "/two-factor/"


def test_a_wrong_code_is_a_form_error(two_factor, data_officer):
    enrolment_code_issue(actor=None, user=data_officer)
    response = enrol(signed_in("dee"), "AAAA-BBBB-CCCC")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert '<a href="#id_enrolment_code">The enrolment code is not right' in page
    assert "otpauth://" not in page
    empty = html.unescape(enrol(signed_in("dee"), "").content.decode())
    assert '<a href="#id_enrolment_code">Enter the enrolment code an administrator gave you</a>' in empty


def test_with_a_code_the_app_is_set_up_and_the_code_is_spent(two_factor, data_officer, time_machine):
    time_machine.move_to(START, tick=False)
    code = enrolment_code_issue(actor=None, user=data_officer)
    client = signed_in("dee")
    assert enrol(client, code.lower().replace("-", " ")).status_code == 302  # typed loosely
    page = client.get("/two-factor/setup/").content.decode()
    assert "otpauth://" in page
    assert confirm(client, data_officer) == 302
    assert client.get("/search/").status_code == 200
    stored = EnrolmentCode.objects.get(user=data_officer)
    assert stored.used_at is not None

    # The lost phone: removed with two administrators' say; the old code does not enrol again.
    first, second = (
        User.objects.create_user("a1", role=Role.ADMINISTRATOR),
        User.objects.create_user("a2", role=Role.ADMINISTRATOR),
    )
    device = TOTPDevice.objects.get(user=data_officer)
    change = accounts.user_authenticator_removal_request(actor=first, device=device)
    accounts.user_change_approve(actor=second, change=change)
    time_machine.move_to(START + dt.timedelta(minutes=5), tick=False)
    again = signed_in("dee")
    assert again.get("/search/")["Location"] == "/two-factor/"
    assert again.get("/two-factor/")["Location"] == "/two-factor/setup/"
    assert enrol(again, code).status_code == 200  # spent
    assert "otpauth://" not in again.get("/two-factor/setup/").content.decode()
    new = enrolment_code_issue(actor=first, user=data_officer)
    assert enrol(again, new).status_code == 302
    time_machine.move_to(START + dt.timedelta(minutes=5, seconds=40), tick=False)
    assert confirm(again, data_officer) == 302


def test_a_code_expires(two_factor, data_officer, time_machine, settings):
    time_machine.move_to(START, tick=False)
    code = enrolment_code_issue(actor=None, user=data_officer)
    time_machine.move_to(START + dt.timedelta(hours=settings.ENROLMENT_CODE_HOURS, seconds=1), tick=False)
    assert enrol(signed_in("dee"), code).status_code == 200


def test_a_code_expiring_between_entering_it_and_confirming_starts_again(
    two_factor, data_officer, time_machine
):
    time_machine.move_to(START, tick=False)
    code = enrolment_code_issue(actor=None, user=data_officer)
    client = signed_in("dee")
    assert enrol(client, code).status_code == 302
    client.get("/two-factor/setup/")
    EnrolmentCode.objects.update(revoked_at=START)  # replaced by a newer code meanwhile
    device = TOTPDevice.objects.get(user=data_officer, confirmed=False)
    response = client.post("/two-factor/setup/", {"code": code_for(device)})
    assert "has expired or been used" in html.unescape(response.content.decode())
    device.refresh_from_db()
    assert not device.confirmed


def test_codes_are_kept_only_as_a_hash_and_a_new_one_replaces_the_old(data_officer):
    old = enrolment_code_issue(actor=None, user=data_officer)
    new = enrolment_code_issue(actor=None, user=data_officer)
    codes = EnrolmentCode.objects.filter(user=data_officer)
    assert codes.count() == 2
    for stored in codes:
        assert old not in stored.code_hash and new not in stored.code_hash
        assert old.replace("-", "") not in stored.code_hash and new.replace("-", "") not in stored.code_hash
    assert codes.filter(revoked_at__isnull=False).count() == 1
    assert enrol(signed_in("dee"), old).status_code == 200
    assert (
        AuditEvent.objects.filter(summary__startswith="Issued a two-factor enrolment code for dee").count()
        == 2
    )


def test_an_administrator_issues_a_code_in_the_admin_shown_once(admins, data_officer):
    first, _ = admins
    client = Client()
    client.force_login(first)
    response = client.post(
        "/admin/accounts/user/", {"action": "issue_enrolment_code", "_selected_action": [data_officer.pk]}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    code = page.split('<code class="enrolment-code">')[1].split("</code>")[0]
    assert len(code) == 14
    assert "Each code is shown this once" in page
    assert enrol(signed_in("dee"), code).status_code == 302


def test_nobody_issues_a_code_for_themselves(admins):
    first, _ = admins
    with pytest.raises(NotPermitted, match="for yourself"):
        enrolment_code_issue(actor=first, user=first)
    client = Client()
    client.force_login(first)
    page = client.post(
        "/admin/accounts/user/", {"action": "issue_enrolment_code", "_selected_action": [first.pk]}
    ).content.decode()
    assert "enrolment-code" not in page and "for yourself" in html.unescape(page)
    assert not EnrolmentCode.objects.exists()


def test_nor_for_someone_who_has_an_app_nor_whose_password_they_set(admins, data_officer):
    first, second = admins
    change = accounts.user_password_request(actor=first, user=data_officer, password="a-new-long-pass-9")
    accounts.user_change_approve(actor=second, change=change)
    with pytest.raises(NotPermitted, match="present password"):
        enrolment_code_issue(actor=first, user=data_officer)
    enrolment_code_issue(actor=second, user=data_officer)
    TOTPDevice.objects.create(user=data_officer, name="Authenticator app", confirmed=True)
    with pytest.raises(NotPermitted, match="already has an authenticator app"):
        enrolment_code_issue(actor=second, user=data_officer)


def test_a_new_accounts_code_comes_from_another_administrator(admins, team):
    first, second = admins
    client = Client()
    client.force_login(first)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "nee.manager",
            "usable_password": "true",
            "password1": "a-long-new-password-9",
            "password2": "a-long-new-password-9",
            "role": Role.TEAM_MANAGER,
            "managed_teams": [team.pk],  # a team manager's form asks for their teams
        },
    )
    assert response.status_code == 302
    new = User.objects.get(username="nee.manager")
    with pytest.raises(NotPermitted, match="present password"):
        enrolment_code_issue(actor=first, user=new)
    assert enrolment_code_issue(actor=second, user=new)


def test_the_server_command_issues_the_first_administrators_code(admins):
    first, _ = admins
    out = io.StringIO()
    call_command("issue_enrolment_code", "ada.admin", stdout=out)
    code = out.getvalue().strip().rsplit(" ", 1)[1]
    assert enrol(signed_in("ada.admin"), code).status_code == 302
    assert AuditEvent.objects.filter(summary__endswith="(on the server)").exists()
