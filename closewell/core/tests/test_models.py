"""The shared base models: timestamps and the edit version."""

import pytest

from closewell.cases.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_new_row_is_at_version_1_with_its_timestamps():
    person = PersonFactory()
    assert person.version == 1
    assert person.created_at is not None and person.updated_at >= person.created_at


def test_saving_moves_updated_at_but_not_created_at():
    person = PersonFactory()
    created, updated = person.created_at, person.updated_at
    person.phone = "07700 900456"
    person.save()
    person.refresh_from_db()
    assert person.created_at == created and person.updated_at > updated
