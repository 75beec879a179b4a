"""core.rows: a row read by its key is the instance the ORM would build, every value converted."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.utils import timezone

from closewell.accounts.models import User
from closewell.accounts.tests.factories import UserFactory
from closewell.core.rows import one_row


def values(instance) -> list:
    return [getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields]


def test_the_row_is_the_orms_instance_with_every_value_converted(db):
    user = UserFactory(is_superuser=False, last_login=timezone.now())
    found = one_row(User, "id = %s", [user.pk])
    assert values(found) == values(User.objects.get(pk=user.pk))
    assert found.is_superuser is False and isinstance(found.last_login, dt.datetime)
    assert found._state.adding is False and found._state.db == "default"  # saved as the ORM's would be


def test_no_row_is_none_and_each_call_reads_afresh(db):
    assert one_row(User, "id = %s", [0]) is None
    user = UserFactory()
    assert one_row(User, "id = %s", [user.pk]).is_active
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not one_row(User, "id = %s", [user.pk]).is_active


def test_a_session_by_key_and_expiry(db):
    Session.objects.create(session_key="k" * 32, session_data="data", expire_date=timezone.now())
    by_key = "session_key = %s AND expire_date > %s"
    assert one_row(Session, by_key, ["k" * 32, timezone.now() + dt.timedelta(seconds=1)]) is None
    assert one_row(Session, by_key, ["k" * 32, timezone.now() - dt.timedelta(hours=1)]).session_data == "data"
