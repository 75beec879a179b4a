"""The council's administrator edits the advice word lists in the admin."""

import pytest

from closewell.accounts.models import Role, User
from closewell.advice.models import AdviceWord, WordKind


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(
        "sam", "sam@example.invalid", "a-long-test-password", role=Role.ADMINISTRATOR
    )


def test_the_word_list_is_listed_and_searchable(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/advice/adviceword/", {"q": "ICPC"})
    assert response.status_code == 200
    assert "child protection conference" in response.content.decode()


def test_an_administrator_adds_jargon_with_a_plain_alternative(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/advice/adviceword/add/",
        {
            "kind": WordKind.JARGON,
            "term": "FSW",
            "plain": "family support worker",
            "match_case": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert AdviceWord.objects.get(term="FSW").match_case


def test_jargon_needs_its_plain_alternative(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/advice/adviceword/add/", {"kind": WordKind.JARGON, "term": "FSW", "active": "on"}
    )
    assert response.status_code == 200
    assert "Give jargon or a label a plain alternative" in response.content.decode()
    assert not AdviceWord.objects.filter(term="FSW").exists()
