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


def test_a_label_is_the_choice_of_the_value_and_an_unknown_value_is_itself():
    from closewell.cases.models import Contact, ContactType

    assert Contact(kind=ContactType.HOME_VISIT).get_kind_display() == ContactType.HOME_VISIT.label
    assert Contact(kind="not-a-kind").get_kind_display() == "not-a-kind"
    assert Contact(kind=None).get_kind_display() is None


def test_a_fields_labels_are_made_once_a_process_not_on_every_call():
    from closewell.cases.models import Contact, ContactType
    from closewell.core.models import _labels

    _labels.cache_clear()
    contact = Contact(kind=ContactType.HOME_VISIT)
    for _ in range(3):
        contact.get_kind_display()
    assert (_labels.cache_info().misses, _labels.cache_info().hits) == (1, 2)
