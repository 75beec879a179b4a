"""The pages' own filters and tags write exactly what Django's would, faster: the date filters what |date
writes for the same format, in local time across the clock changes, and nothing for no date; fixed_url
what {% url %} writes."""

import datetime as dt

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from closewell.web.templatetags.closewell import fixed_url

DATES = engines["django"].from_string(
    '{{ value|long_date }}|{{ value|date:"j F Y" }}|{{ value|long_date_time }}'
)
TIMES = engines["django"].from_string('{{ value|date:"j F Y, H:i" }}')
UTC = dt.UTC


def both(value) -> list[str]:
    """Ours and Django's: the day, Django's day, our day and time, Django's day and time (which Django
    refuses to write of a date)."""
    moment = TIMES.render({"value": value}) if isinstance(value, dt.datetime) else ""
    return [*DATES.render({"value": value}).split("|"), moment]


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 3, 1),
        dt.date(2019, 12, 31),
        dt.date(2024, 2, 29),
        # Around the clock changes and midnight: the day and time are the local ones.
        dt.datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
        dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
        dt.datetime(2026, 1, 5, 9, 5, tzinfo=UTC),
        dt.datetime(2026, 1, 5, 9, 5),  # naive: shown as it is
    ],
)
def test_long_date_writes_what_the_date_filter_writes(value):
    ours, django_date, ours_time, django_time = both(value)
    assert ours == django_date
    if isinstance(value, dt.datetime):
        assert ours_time == django_time
    else:
        assert ours_time == ""


@pytest.mark.parametrize("value", [None, "", "not a date"])
def test_no_date_writes_nothing(value):
    ours, django_date, ours_time, _ = both(value)
    assert ours == django_date == "" and ours_time == ""


def test_a_moment_is_written_in_local_time():
    moment = dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert both(moment)[2] == "1 July 2026, 00:30"
    assert timezone.localtime(moment).hour == 0


@pytest.mark.parametrize("name", ["home", "logout", "cases:my_cases", "closures:queue", "drafts:keep_alive"])
def test_a_fixed_url_is_the_reversed_url(name):
    assert fixed_url(name) == reverse(name)


def test_a_fixed_url_follows_the_script_prefix():
    """Served under a path (SCRIPT_NAME), the links carry it, as {% url %}'s do."""
    try:
        set_script_prefix("/council/")
        assert fixed_url("cases:my_cases") == reverse("cases:my_cases") == "/council/cases/"
    finally:
        set_script_prefix("/")
    assert fixed_url("cases:my_cases") == "/cases/"
