"""The pages' own filters and tags write exactly what Django's would, faster: the date filters what |date
writes for the same format, in local time across the clock changes, and nothing for no date; fixed_url
what {% url %} writes, and row_url too for URLs that take only ids."""

import datetime as dt
from unittest import mock

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from closewell.web.templatetags import closewell as tags
from closewell.web.templatetags.closewell import fixed_url, row_url

DATES = engines["django"].from_string(
    '{{ value|long_date }}|{{ value|date:"j F Y" }}|{{ value|long_date_time }}'
)
TIMES = engines["django"].from_string('{{ value|date:"j F Y, H:i" }}')
UTC = dt.UTC


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


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
