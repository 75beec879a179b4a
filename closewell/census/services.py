"""The census return's header and its audit trail: every export is recorded, by whom and of what."""

from types import SimpleNamespace

from django.utils import timezone

from closewell.audit.models import Action
from closewell.audit.services import log_event

from .writer import Header


class CensusReturn:
    """What an export event is about: the return of one census year (there is no table of returns)."""

    _meta = SimpleNamespace(label="census.CensusReturn")

    def __init__(self, year: int):
        self.pk = year


def census_header(*, year: int, la_code: str, serial_no: str = "001") -> Header:
    return Header(
        year=year,
        la_code=la_code,
        serial_no=serial_no,
        created_at=timezone.localtime().replace(tzinfo=None),
    )


def export_audit(*, actor, year: int, children: int | None, how: str):
    """Census exports hold every child's identifiers: who took one, and when, is on the audit chain."""
    counted = f" ({children} children)" if children is not None else ""
    return log_event(
        actor=actor,
        action=Action.EXPORT,
        obj=CensusReturn(year),
        summary=f"Exported the CIN census {year} return by {how}{counted}",
        after={"year": year, "children": children, "how": how},
    )
