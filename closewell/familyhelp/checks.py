"""The handover section's rule, checked at submit and at authorisation like every section's."""

from closewell.closures.checks import Problem
from closewell.closures.models import ClosureRecord, Section

from .content import handover_of
from .models import Handover


def _blank(text: str) -> bool:
    return not (text or "").strip()


def check_handover(record: ClosureRecord):
    """A named lead practitioner, the family's answer on sharing (with who and when if yes), the
    support that continues, the signs to watch for and a summary the lead practitioner can read."""
    handover = handover_of(record) or Handover(record=record)
    if handover.lead_practitioner_id is None:
        yield Problem(Section.HANDOVER, "Choose the Family Help lead practitioner.", "lead_practitioner")
    if handover.consent_given is None:
        yield Problem(
            Section.HANDOVER, "Say whether the family agreed to share information.", "consent_given"
        )
    elif handover.consent_given:
        if _blank(handover.consent_by):
            yield Problem(Section.HANDOVER, "Enter who gave consent.", "consent_by")
        if handover.consent_date is None:  # a date that makes no sense: closures.checks.check_dates
            yield Problem(Section.HANDOVER, "Enter the date consent was given.", "consent_date")
    if _blank(handover.continuing_support):
        yield Problem(
            Section.HANDOVER, "Write what support continues and who provides it.", "continuing_support"
        )
    if _blank(handover.signs_to_watch):
        yield Problem(
            Section.HANDOVER,
            "Write the signs that would mean the family needs more help again, and what to do then.",
            "signs_to_watch",
        )
    if _blank(handover.summary):
        yield Problem(Section.HANDOVER, "Write a short summary for the lead practitioner.", "summary")
