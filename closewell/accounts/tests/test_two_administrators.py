"""Two administrators: nobody changes their own role, team or active status; a role or team, a new
account, someone's password and removing an authenticator app are asked for by one administrator
and made only when another approves. Every path: the change form, the add form, the password form,
the authenticator's delete page, bulk actions, the services."""

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts import services
from closewell.accounts.models import ChangeStatus, Role, User, UserChange
from closewell.accounts.tests.factories import TeamFactory, UserFactory
from closewell.audit.models import AuditEvent
from closewell.core.errors import DomainError, NotPermitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def first() -> User:
    return User.objects.create_user("ada.admin", password="x", role=Role.ADMINISTRATOR)


@pytest.fixture
def second() -> User:
    return User.objects.create_user("bo.admin", password="x", role=Role.ADMINISTRATOR)


@pytest.fixture
def worker() -> User:
    return UserFactory(username="wyn.worker")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "team": user.team_id or "",
        "managed_teams": list(user.managed_teams.values_list("pk", flat=True)),
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def approve(client: Client, change: UserChange):
    return client.post(
        "/admin/accounts/userchange/", {"action": "approve", "_selected_action": [change.pk]}, follow=True
    )


def test_an_administrator_cannot_make_themselves_a_data_officer(first):
    client = signed_in(first)
    page = client.get(f"/admin/accounts/user/{first.pk}/change/").content.decode()
    assert 'name="role"' not in page and 'name="is_active"' not in page and 'name="team"' not in page
    response = client.post(
        f"/admin/accounts/user/{first.pk}/change/", change_form(first, role=Role.DATA_OFFICER)
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.role == Role.ADMINISTRATOR and first.is_active
    assert not UserChange.objects.exists()
    with pytest.raises(NotPermitted, match="your own role"):
        services.user_access_request(
            actor=first, user=first, role=Role.DATA_OFFICER, team=None, managed_teams=[], is_active=True
        )


def test_another_users_role_waits_for_a_second_administrator(first, second, worker):
    response = signed_in(first).post(
        f"/admin/accounts/user/{worker.pk}/change/",
        change_form(worker, role=Role.DATA_OFFICER, team=""),
        follow=True,
    )
    assert "waits for another administrator" in response.content.decode()
    worker.refresh_from_db()
    assert worker.role == Role.SOCIAL_WORKER and worker.team_id
    change = UserChange.objects.get()
    assert change.requested_by == first and change.status == ChangeStatus.PENDING
    assert "Social worker → Performance and data officer" in change.description

    # The one who asked cannot approve it.
    page = approve(signed_in(first), change).content.decode()
    assert "another administrator must approve it" in page
    worker.refresh_from_db()
    assert worker.role == Role.SOCIAL_WORKER

    approve(signed_in(second), change)
    worker.refresh_from_db()
    change.refresh_from_db()
    assert (worker.role, worker.team_id) == (Role.DATA_OFFICER, None)
    assert (change.status, change.decided_by) == (ChangeStatus.APPROVED, second)
    summaries = list(AuditEvent.objects.filter(object_id=str(worker.pk)).values_list("summary", flat=True))
    assert any(s.startswith("Asked for a change to wyn.worker") for s in summaries)
    assert any(s.startswith("Approved the change to wyn.worker asked for by ada.admin") for s in summaries)


def test_a_change_to_an_administrator_is_never_approved_by_them(first, second):
    """Two administrators cannot trade: the first asks for the second's change, the second may not
    approve a change to themselves."""
    change = services.user_access_request(
        actor=first, user=second, role=Role.DATA_OFFICER, team=None, managed_teams=[], is_active=True
    )
    with pytest.raises(NotPermitted, match="your own account"):
        services.user_change_approve(actor=second, change=change)
    second.refresh_from_db()
    assert second.role == Role.ADMINISTRATOR


def test_a_team_change_waits_too(first, second, worker):
    other = TeamFactory(name="Southvale Safeguarding")
    signed_in(first).post(f"/admin/accounts/user/{worker.pk}/change/", change_form(worker, team=other.pk))
    worker.refresh_from_db()
    assert worker.team != other
    manager = UserFactory(manager=True)
    signed_in(first).post(
        f"/admin/accounts/user/{manager.pk}/change/", change_form(manager, managed_teams=[other.pk])
    )
    assert other not in manager.managed_teams.all()
    assert UserChange.objects.filter(status=ChangeStatus.PENDING).count() == 2
    for change in UserChange.objects.all():
        services.user_change_approve(actor=second, change=change)
    worker.refresh_from_db()
    assert worker.team == other and other in manager.managed_teams.all()


def test_a_new_account_starts_switched_off_until_approved(first, second):
    response = signed_in(first).post(
        "/admin/accounts/user/add/",
        {
            "username": "dee.data",
            "usable_password": "true",
            "password1": "a-long-new-password-9",
            "password2": "a-long-new-password-9",
            "role": Role.DATA_OFFICER,
        },
    )
    assert response.status_code == 302
    added = User.objects.get(username="dee.data")
    assert not added.is_active
    assert not Client().login(username="dee.data", password="a-long-new-password-9")
    change = UserChange.objects.get(user=added)
    assert change.description == "Switch on a new account: Performance and data officer"
    services.user_change_approve(actor=second, change=change)
    assert Client().login(username="dee.data", password="a-long-new-password-9")


def test_switching_someone_off_is_at_once_but_not_oneself(first, worker):
    signed_in(first).post(f"/admin/accounts/user/{worker.pk}/change/", change_form(worker, is_active=None))
    worker.refresh_from_db()
    assert not worker.is_active
    assert not UserChange.objects.exists()
    # And switching them back on waits.
    signed_in(first).post(f"/admin/accounts/user/{worker.pk}/change/", change_form(worker, is_active="on"))
    worker.refresh_from_db()
    assert not worker.is_active
    assert UserChange.objects.get().description == "Switch the account on"


def test_anothers_password_waits_for_a_second_administrator(first, second, worker):
    response = signed_in(first).post(
        f"/admin/accounts/user/{worker.pk}/password/",
        {"set_usable_password": "true", "password1": "taken-over-9-long", "password2": "taken-over-9-long"},
        follow=True,
    )
    assert "waits for another administrator" in response.content.decode()
    worker.refresh_from_db()
    assert not worker.check_password("taken-over-9-long")
    change = UserChange.objects.get()
    assert "taken-over" not in str(change.payload) and check_password(
        "taken-over-9-long", change.payload["password"]
    )
    with pytest.raises(NotPermitted):
        services.user_change_approve(actor=first, change=change)
    services.user_change_approve(actor=second, change=change)
    worker.refresh_from_db()
    assert worker.check_password("taken-over-9-long")
    listing = signed_in(second).get("/admin/accounts/userchange/").content.decode()
    assert change.payload["password"] not in listing


def test_ones_own_password_is_changed_directly(first):
    signed_in(first).post(
        f"/admin/accounts/user/{first.pk}/password/",
        {"set_usable_password": "true", "password1": "my-own-new-pass-9", "password2": "my-own-new-pass-9"},
    )
    first.refresh_from_db()
    assert first.check_password("my-own-new-pass-9")


def test_removing_an_authenticator_waits_for_a_second_administrator(first, second):
    manager = UserFactory(manager=True)
    device = TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    client = signed_in(first)
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}, follow=True)
    assert "waits for another administrator" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    # The bulk delete action is gone; asking for it does nothing.
    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert 'value="delete_selected"' not in listing
    client.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"},
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    # The bulk "ask to remove" action asks; it removes nothing either.
    client.post("/admin/otp_totp/totpdevice/", {"action": "ask_removal", "_selected_action": [device.pk]})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    changes = list(UserChange.objects.filter(user=manager))
    assert len(changes) == 2
    services.user_change_approve(actor=second, change=changes[0])
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    services.user_change_decline(actor=second, change=changes[1])
    assert UserChange.objects.get(pk=changes[1].pk).status == ChangeStatus.DECLINED


def test_no_bulk_action_on_users_changes_anyone(first, worker):
    client = signed_in(first)
    listing = client.get("/admin/accounts/user/").content.decode()
    assert 'name="action"' not in listing or 'value="delete_selected"' not in listing
    client.post(
        "/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [worker.pk], "post": "yes"}
    )
    assert User.objects.filter(pk=worker.pk).exists()


def test_a_change_made_stale_is_refused(first, second, worker):
    change = services.user_access_request(
        actor=first, user=worker, role=Role.DATA_OFFICER, team=None, managed_teams=[], is_active=True
    )
    services.user_access_request(
        actor=first, user=worker, role=worker.role, team=worker.team, managed_teams=[], is_active=False
    )
    with pytest.raises(DomainError, match="has changed since"):
        services.user_change_approve(actor=second, change=change)


def test_only_an_administrator_approves(first, worker):
    change = services.user_password_request(actor=first, user=worker, password="another-long-pass-9")
    manager = UserFactory(manager=True)
    with pytest.raises(NotPermitted):
        services.user_change_approve(actor=manager, change=change)
    assert signed_in(manager).get("/admin/accounts/userchange/").status_code == 302
