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


def test_the_council_adds_a_label_with_what_to_write_instead(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/advice/adviceword/add/",
        {
            "kind": WordKind.LABEL,
            "term": "gatekeeping",
            "plain": "say who stopped what, and when",
            "active": "on",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/admin/advice/adviceword/add/", {"kind": WordKind.LABEL, "term": "feckless", "active": "on"}
    )
    assert response.status_code == 200
    assert "Give jargon or a label a plain alternative" in response.content.decode()


@pytest.mark.django_db
def test_the_default_labels_and_reviewed_jargon_are_seeded():
    label = AdviceWord.objects.get(kind=WordKind.LABEL, term="failed to engage")
    assert label.plain
    assert AdviceWord.objects.filter(kind=WordKind.LABEL, term="placement", plain__startswith="home").exists()
    assert AdviceWord.objects.filter(kind=WordKind.JARGON, term="signposted").exists()
    assert not AdviceWord.objects.filter(kind=WordKind.FIELD_WORD, term="signposted").exists()
    assert AdviceWord.objects.filter(kind=WordKind.FIELD_WORD, term="intergenerational").exists()
    assert "pre-proceedings" not in AdviceWord.objects.get(kind=WordKind.JARGON, term="PLO").plain
    assert not AdviceWord.objects.filter(kind=WordKind.JARGON, term="disguised compliance").exists()


def test_each_words_switch_on_the_list_is_named_after_its_word(client, admin_user):
    """A hundred "active" checkboxes with no name are a hundred unlabelled fields (WCAG 4.1.2)."""
    client.force_login(admin_user)
    page = client.get("/admin/advice/adviceword/", {"q": "ICPC"}).content.decode()
    assert 'aria-label="Use “ICPC”"' in page
