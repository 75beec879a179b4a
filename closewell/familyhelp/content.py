"""What the handover section says: its part of the frozen record, its printed rows, and when it is due."""

from closewell.cases.codes import ReasonForClosure
from closewell.closures.models import ClosureRecord
from closewell.core.printing import date_words, paragraphs

from .models import Handover

# The reasons for closure that step a case down into Family Help: the handover is due on the record.
# RC7 ("services ceased for any other reason") steps down only when support continues: the worker
# adds the handover then, as they may to any closure (services.handover_add).
STEP_DOWN = frozenset({ReasonForClosure.RC9})


def handover_of(record: ClosureRecord) -> Handover | None:
    """The record's handover, read once per record object (Django keeps the answer, none included)."""
    try:
        return record.handover
    except Handover.DoesNotExist:
        return None


def handover_due(record: ClosureRecord) -> bool:
    """On a Closure Record (not an addendum) closed to early help (RC9), or one the worker added a
    handover to (RC7 with support continuing, or any other)."""
    if record.addendum_to_id is not None:
        return False
    return record.reason_code in STEP_DOWN or handover_of(record) is not None


def lead_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def handover_content(record: ClosureRecord) -> dict:
    """The section's part of what the record says (frozen at authorisation)."""
    handover = handover_of(record)
    if not handover_due(record) or handover is None:
        return {"required": handover_due(record)}
    lead = handover.lead_practitioner
    return {
        "required": True,
        "lead_practitioner": lead_name(lead),
        "organisation": lead.organisation if lead else "",
        "contact": handover.lead_contact,
        "consent_given": handover.consent_given,
        "consent_by": handover.consent_by,
        "consent_date": handover.consent_date,
        "consent_scope": handover.consent_scope,
        "continuing_support": handover.continuing_support,
        "outstanding_actions": handover.outstanding_actions,
        "signs_to_watch": handover.signs_to_watch,
        "summary": handover.summary,
    }


def consent_words(part: dict) -> str:
    if part.get("consent_given") is True:
        when = f" on {date_words(part['consent_date'])}" if part.get("consent_date") else ""
        return f"Yes: {part.get('consent_by') or 'the family'} agreed{when}."
    if part.get("consent_given") is False:
        return "No: the family did not agree to share information."
    return "Not recorded"


def handover_rows(part: dict) -> list[tuple[str, str]]:
    """(label, words) for the card, the copy and the lead practitioner's page."""
    lead = part.get("lead_practitioner") or ""
    if lead and part.get("organisation"):
        lead = f"{lead}, {part['organisation']}"
    return [
        ("Family Help lead practitioner", lead),
        ("How to reach them", part.get("contact") or ""),
        ("The family agreed to share information", consent_words(part)),
        ("What the family agreed to share", part.get("consent_scope") or ""),
        ("Support that continues, and who provides it", part.get("continuing_support") or ""),
        ("Outstanding actions", part.get("outstanding_actions") or ""),
        ("Signs the family needs more help again, and what to do then", part.get("signs_to_watch") or ""),
        ("Summary for the lead practitioner", part.get("summary") or ""),
    ]


def print_handover(part: dict, said: dict) -> list:
    """The copy's rows ("fields" layout in record.typ). The disclosure scan runs over them as over
    every passage, so a copy for someone who harmed a member of the family shows no telephone number
    or email, the lead practitioner's included."""
    return [{"label": label, "paragraphs": paragraphs(value)} for label, value in handover_rows(part)]
