"""How recorded values print, on a page or a copy: text as the writer's paragraphs, dates in words.

Values may come from a frozen record, where dates are ISO strings."""

import datetime as dt
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .dates import long_date


def paragraphs(text: str | None) -> list[list[str]]:
    """Text as paragraphs of lines: blank lines part paragraphs, line breaks are kept."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return []
    return [
        [line.rstrip() for line in block.strip("\n").split("\n")]
        for block in re.split(r"\n\s*\n", text)
        if block.strip()
    ]


def date_words(value) -> str:
    """A date (or its ISO string) in words, '' for none."""
    if not value:
        return ""
    date = parse_date(value) if isinstance(value, str) else value
    if isinstance(date, dt.datetime):
        date = date.date()
    return long_date(date) if date else str(value)


def date_time_words(value) -> str:
    """A moment (or its ISO string) as '3 March 2027 at 14:05', in local time; '' for none."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return ""
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{long_date(moment.date())} at {moment:%H:%M}"
