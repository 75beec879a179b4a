"""The pages' own filters and tags print what Django's would, faster: dates in words (long_date) and
URLs that take no arguments (fixed_url) or only ids (row_url)."""

import datetime as dt
import zoneinfo
from unittest import mock

import pytest
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from closewell.web.templatetags import closewell as tags
from closewell.web.templatetags.closewell import fixed_url, long_date, row_url

LONDON = zoneinfo.ZoneInfo("Europe/London")


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2019, 3, 5),
        dt.date(2024, 1, 1),
        dt.date(2023, 12, 31),
        dt.date(2020, 2, 29),
    ],
)
def test_a_date_in_words_reads_as_djangos(day):
    assert long_date(day) == django_date(day, "j F Y")
    assert render("{{ d|long_date }}", d=day) == render('{{ d|date:"j F Y" }}', d=day)


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC),  # 1 July in London (summer time)
        dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC),  # still 31 December in London
        dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC),
    ],
)
def test_a_moment_is_dated_in_local_time_as_django_does(moment):
    with timezone.override(LONDON):
        assert render("{{ d|long_date }}", d=moment) == render('{{ d|date:"j F Y" }}', d=moment)
    assert render("{{ d|long_date }}", d=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)) == "1 July 2026"


@pytest.mark.parametrize("value", [None, "", "not a date"])
def test_no_date_prints_nothing_as_django_does(value):
    assert render('{{ d|long_date|default:"Not known" }}', d=value) == "Not known"
    assert render('{{ d|date:"j F Y"|default:"Not known" }}', d=value) == "Not known"


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


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("cases:contact_edit", (7, 1234567)),
        ("cases:action_edit", (0, 90)),
        ("cases:person_edit", (12, 3)),
        ("cases:place_remove", (5, 5)),
        ("closures:record", (42,)),
    ],
)
def test_a_row_url_is_the_reversed_url(name, ids):
    assert row_url(name, *ids) == reverse(name, args=ids)
    args = " ".join(f"i{n}" for n in range(len(ids)))
    context = {f"i{n}": i for n, i in enumerate(ids)}
    assert render(f"{{% row_url '{name}' {args} %}}", **context) == render(
        f"{{% url '{name}' {args} %}}", **context
    )


def test_a_row_url_walks_the_url_map_once_per_name():
    tags._row_url_format.cache_clear()
    with mock.patch.object(tags, "reverse", wraps=reverse) as reversing:
        urls = [row_url("cases:contact_edit", 1, n) for n in range(1, 30)]
    assert reversing.call_count == 1
    assert urls[4] == reverse("cases:contact_edit", args=[1, 5])


def test_a_row_url_of_anything_but_ids_is_reversed_as_url_would():
    """A string id is reversed as {% url %} reverses it (and refused alike when the map takes none)."""
    assert row_url("cases:contact_edit", "1", "2") == reverse("cases:contact_edit", args=["1", "2"])
    with pytest.raises(Exception, match="Reverse"):
        row_url("cases:contact_edit", "x", 2)


def test_a_row_url_follows_the_script_prefix():
    try:
        set_script_prefix("/council/")
        assert row_url("cases:contact_edit", 1, 2) == reverse("cases:contact_edit", args=[1, 2])
        assert row_url("cases:contact_edit", 1, 2).startswith("/council/")
    finally:
        set_script_prefix("/")
    assert row_url("cases:contact_edit", 1, 2) == reverse("cases:contact_edit", args=[1, 2])
