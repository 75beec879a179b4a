"""The reports page and its CSVs for every role: managers see their teams, data officers every team."""

import csv
import io

import pytest
from django.urls import reverse

from closewell.accounts.models import Role, User

FILTER = {
    "date_from_day": "1",
    "date_from_month": "6",
    "date_from_year": "2026",
    "date_to_day": "31",
    "date_to_month": "7",
    "date_to_year": "2026",
}
FIGURES = ["closures", "overdue", "timeliness", "returns", "re_referrals", "copies"]


def get(client, user, url, data=None):
    if user is not None:
        client.force_login(user)
    return client.get(url, data or {})


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_anonymous_is_sent_to_sign_in(client, scene):
    for url in (reverse("reports:index"), reverse("reports:csv", args=["closures"])):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("role", ["worker", "administrator"])
def test_workers_and_administrators_are_refused(client, scene, role):
    user = scene.worker if role == "worker" else User.objects.create_user("a", role=Role.ADMINISTRATOR)
    assert get(client, user, reverse("reports:index")).status_code == 403
    assert get(client, user, reverse("reports:csv", args=["closures"])).status_code == 403


def test_data_officer_sees_every_team(client, scene):
    response = get(client, scene.data, reverse("reports:index"), FILTER)
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Closures by reason and month",
        "Closure Records overdue",
        "Timeliness of Closure Records",
        "Returned for amendment",
        "Re-referrals within 12 months of closure",
        "Copies given and signatures missing",
    ):
        assert title in html
    # Every chart is an image with a title and a table beside it.
    assert html.count('role="img"') == html.count('<title id="chart-') >= 5
    assert "<caption" in html
    rows = csv_rows(get(client, None, reverse("reports:csv", args=["closures"]), FILTER))
    assert rows[-1][0] == "Total" and rows[-1][-1] == "3"


def test_manager_sees_only_their_teams(client, scene):
    response = get(client, scene.manager, reverse("reports:index"), FILTER)
    assert response.status_code == 200
    team_choices = [label for _, label in response.context["form"].fields["team"].choices]
    assert team_choices == ["All teams", "East"]
    worker_choices = [label for _, label in response.context["form"].fields["worker"].choices]
    assert worker_choices == ["All workers", "Wren Ash"]
    rows = csv_rows(get(client, None, reverse("reports:csv", args=["closures"]), FILTER))
    assert rows[-1][-1] == "2"  # the West closure is not theirs
    # Naming the other team is refused as a choice, not shown.
    other = get(client, None, reverse("reports:index"), {**FILTER, "team": str(scene.west.pk)})
    assert "Select a team from the list" in other.content.decode()


def test_filter_by_team_and_worker(client, scene):
    client.force_login(scene.data)
    url = reverse("reports:csv", args=["closures"])
    by_team = csv_rows(client.get(url, {**FILTER, "team": scene.west.pk}))
    assert by_team[-1][-1] == "1"
    by_worker = csv_rows(
        client.get(reverse("reports:csv", args=["re_referrals"]), {**FILTER, "worker": scene.worker.pk})
    )
    assert by_worker[-1] == ["All closures", "2", "1", "50.0"]


def test_a_wrong_date_is_shown_in_the_error_summary(client, scene):
    response = get(client, scene.data, reverse("reports:index"), {**FILTER, "date_to_month": "13"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "The end of the period must be a real date" in html
    ends_first = get(client, None, reverse("reports:index"), {**FILTER, "date_to_year": "2025"})
    assert "The end of the period must be the same as or after the start" in ends_first.content.decode()


@pytest.mark.parametrize("key", FIGURES)
def test_each_csv_has_the_page_table(client, scene, key):
    response = get(client, scene.data, reverse("reports:csv", args=[key]), FILTER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    shown = get(client, None, reverse("reports:index"), FILTER).context["shown"]
    figure = next(item["figure"] for item in shown if item["figure"].key == key)
    rows = csv_rows(response)
    assert rows[0] == figure.headers
    assert len(rows) == len(figure.rows) + 1


def test_unknown_csv_is_404(client, scene):
    assert get(client, scene.data, reverse("reports:csv", args=["nothing"])).status_code == 404


def test_csv_cells_cannot_be_formulas(client, scene):
    child = scene.overdue.episode.child
    child.first_name = "=HYPERLINK(1)"
    child.save()
    rows = csv_rows(get(client, scene.data, reverse("reports:csv", args=["overdue"])))
    assert rows[1][0].startswith("'=")
