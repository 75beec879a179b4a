"""The reports' filter: team, worker and date range (a GET form, GOV.UK style)."""

import datetime as dt

from django import forms
from django.utils import timezone

from closewell.accounts.models import Role, Team, User
from closewell.core.date_rules import undated
from closewell.web.forms import GovukForm
from closewell.web.widgets import GovukDateField


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months, to today."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=364), today


class ReportFilterForm(GovukForm):
    team = forms.ChoiceField(
        label="Team", required=False, error_messages={"invalid_choice": "Select a team from the list"}
    )
    worker = forms.ChoiceField(
        label="Worker", required=False, error_messages={"invalid_choice": "Select a worker from the list"}
    )
    date_from = undated(
        GovukDateField(
            label="From",
            required=False,
            error_messages={
                "invalid": "The start of the period must be a real date",
                "incomplete": "The start of the period must include a {missing}",
                "year": "The year of the start of the period must include 4 numbers",
            },
        ),
        "a period to report on, not a date of a child's case",
    )
    date_to = undated(
        GovukDateField(
            label="To",
            required=False,
            error_messages={
                "invalid": "The end of the period must be a real date",
                "incomplete": "The end of the period must include a {missing}",
                "year": "The year of the end of the period must include 4 numbers",
            },
        ),
        "a period to report on, not a date of a child's case",
    )

    def __init__(self, *args, team_ids: list[int] | None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all() if team_ids is None else Team.objects.filter(pk__in=team_ids)
        self.fields["team"].choices = [("", "All teams")] + [(str(t.pk), t.name) for t in teams]
        workers = User.objects.filter(role=Role.SOCIAL_WORKER).order_by("last_name", "first_name")
        if team_ids is not None:
            workers = workers.filter(team_id__in=team_ids)
        self.fields["worker"].choices = [("", "All workers")] + [
            (str(u.pk), u.get_full_name() or u.username) for u in workers
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period must be the same as or after the start")
        return data

    def filters(self) -> dict:
        """The chosen team and worker ids and the date range (defaults: all, the last twelve months)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = default_range()
        return {
            "team_id": int(data["team"]) if data.get("team") else None,
            "worker_id": int(data["worker"]) if data.get("worker") else None,
            "date_from": data.get("date_from") or start,
            "date_to": data.get("date_to") or end,
        }
