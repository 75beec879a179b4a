"""Demo data, not domain code: the Closure Record that closed Lily-Mae Dawson's case to early help
(RC9) 150 days ago, with its handover to the demo Family Help lead practitioner, still unanswered
(so the closing team's manager sees it overdue). Loaded once; loading again changes nothing."""

from closewell.cases.models import Child, EpisodeStatus
from closewell.closures.models import ClosureRecord, Status
from closewell.closures.services import freeze
from closewell.familyhelp.models import Handover

CHILD = "NM100009"

RECORD = {
    "decision_by": "Priya Nandakumar (social worker) with Helen Ashdown (team manager)",
    "reason_for_involvement": (
        "Lily-Mae was seen at A&E with a small burn from hair straighteners. We assessed whether she "
        "was safe at home with her mother, Jess Dawson."
    ),
    "interventions": (
        "A single assessment: a home visit, a talk with the health visitor and with the hospital. "
        "Lily-Mae was seen at home with Ms Dawson."
    ),
    "reason_for_closure": (
        "The injury was an accident and Ms Dawson's account matched the hospital's. Ms Dawson asked "
        "for help with home safety and a parenting group, which the Family Hub offers."
    ),
    "child_discussed": False,
    "child_not_discussed_reason": "Lily-Mae is two and a half: too young to talk about it.",
}

HANDOVER = {
    "lead_contact": "Brookside Family Hub, 01632 960456",
    "consent_given": True,
    "consent_by": "Jess Dawson (mother)",
    "consent_scope": "The assessment's findings and this handover. Not the hospital's notes.",
    "continuing_support": (
        "A home safety visit from the Family Hub, and the Tuesday parenting group at Brookside, "
        "both with Bethan Okafor."
    ),
    "outstanding_actions": "Bethan Okafor to fit the stair gate Ms Dawson asked for.",
    "signs_to_watch": (
        "Another injury to Lily-Mae, Ms Dawson missing the group three weeks running, or Ms Dawson "
        "saying she cannot cope. Then call the children's services front door the same day."
    ),
    "summary": (
        "Lily-Mae is two and lives with her mother, Jess Dawson. She burnt her hand on hair "
        "straighteners by accident. Ms Dawson wants help keeping the flat safe and would like to meet "
        "other parents. Nothing else worried us."
    ),
}


def load(users: dict) -> None:
    child = Child.objects.filter(la_child_id=CHILD).first()
    if child is None:
        return
    episode = child.episodes.filter(status=EpisodeStatus.CLOSED).order_by("-closure_date").first()
    if episode is None or episode.closure_records.exists():
        return
    closed_on = episode.closure_date
    record = ClosureRecord(
        episode=episode,
        author=users["worker.east"],
        decision_date=closed_on,
        reason_code="RC9",
        **RECORD,
    )
    record.full_clean()
    record.save()
    handover = Handover(record=record, lead_practitioner=users["lead.practitioner"], **HANDOVER)
    handover.full_clean()
    handover.save()
    record.status = Status.AUTHORISED
    record.authorised_at = episode.closed_at
    record.authorised_by = users["manager"]
    record.submitted_at = episode.closed_at
    record.snapshot, record.snapshot_sha256 = freeze(record)
    record.full_clean()
    record.save()
