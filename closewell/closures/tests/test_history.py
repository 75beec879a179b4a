"""A record's History page: newest first, a person's repeated reads between two changes on one line."""

import datetime as dt
import html
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.closures import selectors
from closewell.core.dates import day_span

LONDON = timezone.get_default_timezone()


def moment(month: int, day: int, hour: int = 10) -> dt.datetime:
    """A moment after everything the fixtures write (they write at the real now)."""
    return dt.datetime(2031, month, day, hour, tzinfo=LONDON)


def read(user, record, when):
    with time_machine.travel(when, tick=False):
        log_event(actor=user, action=Action.VIEW, obj=record, summary="Viewed the Closure Record")


def change(user, record, when, summary):
    with time_machine.travel(when, tick=False):
        log_event(actor=user, action=Action.UPDATE, obj=record, summary=summary)


@pytest.fixture
def history(case, complete_record):
    """Sam (the manager) reads the record three times in November, Wendy (the worker) once between;
    then a change; then Sam once more."""
    record = complete_record
    for day in (3, 10, 25):
        read(case.manager, record, moment(11, day))
    read(case.worker, record, moment(11, 5))
    change(case.worker, record, moment(11, 26), "Changed “Reason for closure”")
    read(case.manager, record, moment(11, 27))
    return record


def test_reads_between_two_changes_are_one_line_per_person_newest_first(case, history):
    entries = selectors.record_history(history)
    latest = [(e.actor, e.action, e.views, e.summary) for e in entries[:4]]
    assert latest == [
        (case.manager, Action.VIEW, 1, "Viewed the Closure Record"),
        (case.worker, Action.UPDATE, 0, "Changed “Reason for closure”"),
        (case.manager, Action.VIEW, 3, "Viewed the Closure Record"),
        (case.worker, Action.VIEW, 1, "Viewed the Closure Record"),
    ]
    assert entries[2].days == "3–25 November 2031"
    assert entries[-1].action == Action.CREATE, "the record's start is the oldest line"
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_the_history_page_shows_the_grouped_reads(case, history):
    client = Client()
    with time_machine.travel(moment(11, 28), tick=False):
        # Opening the page is a read of the record too: the newest, with the manager's read of the 27th.
        client.force_login(case.manager)
        page = html.unescape(client.get(f"/closures/{history.pk}/history/").content.decode())
    rows = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page.split("<tbody")[-1], re.S)
    ]
    assert rows[0] == "27–28 November 2031 Mo Birch Viewed 2 times"
    assert rows[1] == "26 November 2031, 10:00 Wendy Ash Changed “Reason for closure”"
    assert rows[2] == "3–25 November 2031 Mo Birch Viewed 3 times"
    assert "newest first" in page


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        (dt.date(2026, 11, 3), dt.date(2026, 11, 3), "3 November 2026"),
        (dt.date(2026, 11, 3), dt.date(2026, 11, 25), "3–25 November 2026"),
        (dt.date(2026, 10, 28), dt.date(2026, 11, 3), "28 October – 3 November 2026"),
        (dt.date(2025, 12, 28), dt.date(2026, 1, 3), "28 December 2025 – 3 January 2026"),
        (dt.date(2026, 11, 25), dt.date(2026, 11, 3), "3–25 November 2026"),
    ],
)
def test_day_span(first, last, shown):
    assert day_span(first, last) == shown


START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([Action.VIEW, Action.VIEW, Action.UPDATE]), st.sampled_from([1, 2, 3, None])
        ),
        max_size=40,
    )
)
def test_grouping_keeps_every_event_and_the_order(steps):
    """Every change stays a line; every read is counted once; lines stay newest first; two lines
    of one person's reads never sit next to each other without a change between."""
    events = [
        SimpleNamespace(
            at=START + dt.timedelta(minutes=len(steps) - i),
            action=action,
            actor_id=actor,
            actor=actor,
            summary=f"{action} {i}",
        )
        for i, (action, actor) in enumerate(steps)
    ]
    entries = selectors.group_reads(events)
    changes = [e for e in events if e.action != Action.VIEW]
    assert [e.summary for e in entries if e.action != Action.VIEW] == [e.summary for e in changes]
    assert sum(e.views for e in entries if e.action == Action.VIEW) == len(events) - len(changes)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    span: set = set()
    for entry in entries:
        if entry.action != Action.VIEW:
            span = set()
            continue
        assert entry.actor not in span, "a person's reads split between two changes"
        span.add(entry.actor)
