"""Date helpers: ages and birthdays as people count them, and working days."""

import datetime as dt

import pytest

from closewell.core.dates import add_working_days, age_on, birthday, working_days_between
from closewell.core.errors import DomainError

D = dt.date


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(2008, 5, 10), D(2027, 5, 9), 18),
        (D(2008, 5, 10), D(2027, 5, 10), 19),
        (D(2008, 5, 10), D(2008, 5, 10), 0),
        (D(2008, 12, 31), D(2009, 1, 1), 0),
        (D(2008, 2, 29), D(2027, 2, 28), 18),
        (D(2008, 2, 29), D(2027, 3, 1), 19),
        (D(2008, 2, 29), D(2028, 2, 29), 20),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    ("born", "years", "expected"),
    [
        (D(2008, 5, 10), 19, D(2027, 5, 10)),
        (D(2008, 2, 29), 19, D(2027, 3, 1)),
        (D(2008, 2, 29), 20, D(2028, 2, 29)),
        (D(2025, 6, 10), 1, D(2026, 6, 10)),
        (D(2008, 5, 10), 0, D(2008, 5, 10)),
    ],
)
def test_birthday(born, years, expected):
    assert birthday(born, years) == expected


@pytest.mark.parametrize("born", [D(2008, 2, 29), D(2008, 3, 1), D(2007, 12, 31), D(2009, 7, 4)])
def test_age_and_birthday_agree(born):
    """On the 19th birthday a person is 19, and the day before 18: the two helpers never differ."""
    nineteenth = birthday(born, 19)
    assert age_on(born, nineteenth) == 19
    assert age_on(born, nineteenth - dt.timedelta(days=1)) == 18


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 23), 0, D(2026, 11, 23)),  # Monday
        (D(2026, 11, 23), 1, D(2026, 11, 24)),
        (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday to Monday
        (D(2026, 11, 28), 1, D(2026, 11, 30)),  # Saturday to Monday
        (D(2026, 11, 29), 5, D(2026, 12, 4)),  # Sunday, then a working week
        (D(2026, 11, 23), 10, D(2026, 12, 7)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_domain_error_carries_its_message_and_field():
    error = DomainError("Enter a date after the referral.", field="occurred_at")
    assert (str(error), error.message, error.field) == (
        "Enter a date after the referral.",
        "Enter a date after the referral.",
        "occurred_at",
    )
    assert DomainError("Refused.").field is None


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2026, 6, 1), D(2026, 6, 5), 4),  # Monday to Friday
        (D(2026, 6, 5), D(2026, 6, 8), 1),  # Friday to Monday
        (D(2026, 6, 1), D(2026, 6, 15), 10),
        (D(2026, 6, 1), D(2026, 6, 1), 0),
        (D(2026, 6, 6), D(2026, 6, 7), 0),  # a weekend
        (D(2026, 5, 1), D(2026, 5, 8), 5),  # Friday to Friday
        (D(2026, 6, 8), D(2026, 6, 1), 0),  # the end before the start
    ],
)
def test_working_days_between(start, end, days):
    """The one count of working days: the queue, the census rules and the reports all use it."""
    assert working_days_between(start, end) == days


def test_working_days_between_is_the_inverse_of_add_working_days():
    start = D(2026, 6, 3)
    for n in range(0, 40):
        assert working_days_between(start, add_working_days(start, n)) == n
