"""Small date helpers used across the product (ages, working days)."""

import datetime as dt


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years of age on a date, as a person would count their birthday."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def birthday(date_of_birth: dt.date, years: int) -> dt.date:
    """The date of the n-th birthday; 29 February birthdays fall on 1 March in other years."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return dt.date(date_of_birth.year + years, 3, 1)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days (Monday to Friday) after `start`, up to and including `end`; 0 when `end` is not
    after `start`. Bank holidays count as working days. The one count of working days: the queue's
    "waited", the census's 45- and 15-working-day rules and the reports' timeliness all use it."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5
    for offset in range(1, extra + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def long_date(date: dt.date) -> str:
    """A date as people write it: 22 November 2026."""
    return f"{date.day} {date:%B %Y}"


def day_span(first: dt.date, last: dt.date) -> str:
    """Days from `first` to `last` as people write them: "3 November 2026", "3–25 November 2026",
    "28 October – 3 November 2026", "28 December 2025 – 3 January 2026"."""
    if first > last:
        first, last = last, first
    end = f"{last.day} {last:%B %Y}"
    if first == last:
        return end
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{end}"
    if first.year == last.year:
        return f"{first.day} {first:%B} – {end}"
    return f"{first.day} {first:%B %Y} – {end}"
