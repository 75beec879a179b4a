"""A manager sees who viewed a record: the case page's list, and the Closure Record's history."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_shows_its_managers_who_viewed_it(case):
    client_for(case.worker).get(f"/children/{case.child.pk}/")
    client_for(case.data).get(f"/children/{case.child.pk}/")
    page = client_for(case.manager).get(f"/children/{case.child.pk}/").content.decode()
    assert "Who viewed this case" in page
    section = page[page.index("Who viewed this case") :]
    for user in (case.worker, case.data, case.manager):
        assert str(user) in section
    assert section.count("Viewed the case of Ruby Hale") == 3


@pytest.mark.parametrize("who", ["worker", "data"])
def test_others_do_not_see_the_list(case, who):
    page = client_for(getattr(case, who)).get(f"/children/{case.child.pk}/").content.decode()
    assert "Who viewed this case" not in page


def test_the_record_history_lists_who_read_it(case, complete_record):
    client_for(case.worker).get(f"/closures/{complete_record.pk}/")
    client_for(case.data).get(f"/closures/{complete_record.pk}/")
    page = client_for(case.manager).get(f"/closures/{complete_record.pk}/history/").content.decode()
    assert page.count("Viewed the Closure Record for Ruby Hale") >= 2
    assert str(case.data) in page and str(case.worker) in page
    assert client_for(case.worker).get(f"/closures/{complete_record.pk}/history/").status_code == 403
