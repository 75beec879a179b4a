"""The census pages' one form: which census year."""

import datetime as dt

from django import forms
from django.utils import timezone

from closewell.web.forms import GovukForm


def current_census_year(today: dt.date | None = None) -> int:
    """The census that counts today: the year ending on the next 31 March."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= 4 else today.year


def year_choices(today: dt.date | None = None) -> list[tuple[int, str]]:
    current = current_census_year(today)
    return [(y, f"{y} (1 April {y - 1} to 31 March {y})") for y in range(current, current - 4, -1)]


class CensusYearForm(GovukForm):
    year = forms.TypedChoiceField(
        label="Census year",
        coerce=int,
        error_messages={
            "required": "Select the census year",
            "invalid_choice": "Select a census year from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
