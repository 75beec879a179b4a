"""The GOV.UK date fields, the field template and the vendored GOV.UK Frontend."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from closewell.core.errors import DomainError
from closewell.web.forms import GovukForm
from closewell.web.widgets import GovukDateField, GovukDateTimeField, parse_time

STATIC = Path(__file__).resolve().parent.parent / "static"


class SampleForm(GovukForm):
    seen_on = GovukDateField(
        label="Date the child was seen",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the child was seen"},
    )
    name = forms.CharField(error_messages={"required": "Enter the name"})
    colour = forms.ChoiceField(
        choices=[("r", "Red"), ("g", "Green")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a colour"},
    )
    tags = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], required=False, widget=forms.CheckboxSelectMultiple
    )
    size = forms.ChoiceField(choices=[("", "Choose"), ("s", "Small")], required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(required=False, label="I agree")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["14", "3", "2026"], dt.date(2026, 3, 14)),
        ([" 1 ", "12", "2025"], dt.date(2025, 12, 1)),
        (["", "", ""], None),
    ],
)
def test_date_field_reads_three_boxes(parts, expected):
    assert GovukDateField(required=False).clean(parts) == expected


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["", "", ""], "Enter the date"),
        (["30", "2", "2026"], "The date must be a real date"),
        (["x", "2", "2026"], "The date must be a real date"),
        (["1", "", "2026"], "The date must include a month"),
        (["", "", "2026"], "The date must include a day and month"),
        (["1", "2", "226"], "The year must include 4 numbers"),
    ],
)
def test_date_field_errors(parts, message):
    with pytest.raises(ValidationError) as error:
        GovukDateField().clean(parts)
    assert error.value.messages == [message]


def test_datetime_field_is_aware_in_local_time():
    value = GovukDateTimeField().clean(["28", "3", "2026", "2:30pm"])
    assert timezone.is_aware(value)
    assert timezone.localtime(value).replace(tzinfo=None) == dt.datetime(2026, 3, 28, 14, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("9.05", dt.time(9, 5)),
        ("12am", dt.time(0, 0)),
        ("12pm", dt.time(12, 0)),
        ("2pm", dt.time(14, 0)),
        ("24:00", None),
        ("13pm", None),
        ("noon", None),
        ("10:7", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


def test_date_widget_renders_three_labelled_boxes_with_values():
    form = SampleForm(initial={"seen_on": dt.date(2026, 3, 14)})
    html = str(form["seen_on"].as_field_group())
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_seen_on_helptext" role="group">' in html
    for part, value in (("day", "14"), ("month", "3"), ("year", "2026")):
        box = f'id="id_seen_on_{part}" name="seen_on_{part}" type="text" inputmode="numeric"'
        assert f'{box} value="{value}"' in html
        assert f'<label class="govuk-label govuk-date-input__label" for="id_seen_on_{part}">' in html
    assert "govuk-input--error" not in html


def test_field_template_renders_each_widget_the_govuk_way():
    form = SampleForm(data={"seen_on_day": "31", "seen_on_month": "2", "seen_on_year": "2026"})
    assert not form.is_valid()
    html = str(form)
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'class="govuk-input govuk-input--error" id="id_name"' in html.replace(' aria-invalid="true"', "")
    assert 'aria-describedby="id_name_error"' in html
    assert 'class="govuk-radios__input" id="id_colour_0" name="colour" type="radio" value="r"' in html
    assert 'class="govuk-checkboxes__input" id="id_tags_1" name="tags" type="checkbox" value="b"' in html
    assert 'class="govuk-select"' in html and 'class="govuk-textarea"' in html
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_agree">I agree</label>' in html
    assert "govuk-date-input__input govuk-input--width-2 govuk-input--error" in html
    assert '<span class="govuk-visually-hidden">Error:</span> The date must be a real date' in html


def test_error_list_links_to_the_first_input_of_each_field():
    form = SampleForm(data={})
    assert not form.is_valid()
    assert form.error_list() == [
        ("Enter the date the child was seen", "id_seen_on_day"),
        ("Enter the name", "id_name"),
        ("Select a colour", "id_colour_0"),
    ]


def test_domain_errors_go_on_their_field_or_the_form():
    form = SampleForm(
        data={"name": "x", "colour": "r", "seen_on_day": "1", "seen_on_month": "1", "seen_on_year": "2026"}
    )
    assert form.is_valid()
    form.add_domain_error(DomainError("Not on that day.", field="seen_on"))
    form.add_domain_error(DomainError("Rule broken.", field="no_such_field"))
    form.add_domain_error(ValidationError({"name": ["Bad name."], "other": ["Other thing."]}))
    assert form.errors["seen_on"] == ["Not on that day."]
    assert form.errors["name"] == ["Bad name."]
    assert form.non_field_errors() == ["Rule broken.", "Other thing."]


def test_vendored_govuk_frontend_is_v6_without_gds_transport():
    vendor = STATIC / "vendor" / "govuk-frontend"
    assert (vendor / "VERSION").read_text().startswith("6.")
    css = (vendor / "govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css and "@font-face" not in css
    assert "font-family:arial,sans-serif" in css
    assert "export{" in (vendor / "govuk-frontend.min.js").read_text()
    assert not (vendor / "assets" / "fonts").exists()
    script = (STATIC / "closewell.js").read_text()
    assert "initAll()" in script and "govuk-frontend-supported" in script


@pytest.mark.parametrize("name", ["closewell.css", "closewell-admin.css"])
def test_our_stylesheets_close_every_rule(name):
    """A rule left open (a merge once dropped a "}") swallows every rule after it (table regions stopped
    scrolling and widened the page at 320 px)."""
    css = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(), flags=re.S)
    depth = 0
    for line_number, line in enumerate(css.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{name} line {line_number}: a '}}' with no rule open"
    assert depth == 0, f"{name}: {depth} rule(s) never closed"
