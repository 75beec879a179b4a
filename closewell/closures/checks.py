"""The rules a Closure Record must meet, checked at submit and again at authorisation.

Each rule is one function returning the problems it finds; each problem names its section and
says what to do. DfE's CIN census rule numbers are given where a rule comes from the census.
Each section names its rule in its SectionSpec; sections.problems() runs the rules of the sections
due on a record, then the census rules.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils import timezone

from closewell.census import rules as census_rules
from closewell.census.queries import episode_as_closed
from closewell.core import date_rules
from closewell.core.prefetch import related
from closewell.familyhelp.content import handover_of

from .content import identified_domestic_abuse, needs_interpreter, parents_and_carers
from .models import ClosureRecord, Section

# The signatures are a task of the record, not a section it writes: its problems name this key.
SIGNATURES = "signatures"
SIGNATURES_LABEL = "Signatures"


@dataclass(frozen=True)
class Problem:
    section: str
    message: str
    field: str = ""
    rule: str = ""
    lead: str = ""  # put before the section's title: "Check " (a pre-filled section never saved)

    @property
    def section_label(self) -> str:
        return SIGNATURES_LABEL if self.section == SIGNATURES else Section(self.section).label

    def __str__(self) -> str:
        return f"{self.lead}{self.section_label}: {self.message}"


def _blank(text: str) -> bool:
    return not (text or "").strip()


def check_involvement(record: ClosureRecord):
    if _blank(record.reason_for_involvement):
        yield Problem(
            Section.INVOLVEMENT,
            "Write why services were provided to the child and family.",
            "reason_for_involvement",
        )


def check_interventions(record: ClosureRecord):
    if _blank(record.interventions):
        yield Problem(
            Section.INTERVENTIONS,
            "Describe the direct and indirect work done with the child and family.",
            "interventions",
        )


def check_review(record: ClosureRecord):
    """Every planned action has its actual level and outcome; every unplanned service its impact."""
    for action in sorted(record.episode.actions.all(), key=lambda action: action.pk):
        name = action.description[:60]
        if action.is_unplanned:
            if _blank(action.impact):
                yield Problem(
                    Section.REVIEW,
                    f"Record the impact of the unplanned service “{name}”.",
                    f"impact_{action.pk}",
                )
            continue
        if _blank(action.actual_level):
            yield Problem(
                Section.REVIEW,
                f"Record the actual level of service received for “{name}”.",
                f"actual_level_{action.pk}",
            )
        if _blank(action.outcome):
            yield Problem(Section.REVIEW, f"Record the outcome of “{name}”.", f"outcome_{action.pk}")


def check_reason(record: ClosureRecord):
    if _blank(record.reason_for_closure):
        yield Problem(
            Section.REASON, "Write why the case is closing now and the progress made.", "reason_for_closure"
        )
    if not record.reason_code:
        yield Problem(Section.REASON, "Choose the CIN census reason for closure.", "reason_code", "8805")


def _views_problems(section, who, discussed, date, reason, views, prefix=""):
    if discussed is None:
        yield Problem(section, f"Say whether closure was discussed with {who}.", f"{prefix}discussed")
    elif discussed:
        if date is None:
            yield Problem(
                section, f"Enter the date closure was discussed with {who}.", f"{prefix}discussed_date"
            )
        if _blank(views):
            yield Problem(
                section, f"Record the views of {who}, in their own words where you can.", f"{prefix}views"
            )
    elif _blank(reason):
        yield Problem(
            section, f"Say why closure was not discussed with {who}.", f"{prefix}not_discussed_reason"
        )


def check_child_views(record: ClosureRecord):
    child = record.episode.child
    yield from _views_problems(
        Section.CHILD_VIEWS,
        child.first_name,
        record.child_discussed,
        record.child_discussed_date,
        record.child_not_discussed_reason,
        record.child_views,
        "child_",
    )


def check_parent_views(record: ClosureRecord):
    views = {v.person_id: v for v in record.parent_views.all()}
    for link in parents_and_carers(record.episode):
        view = views.get(link.person_id)
        who = link.person.full_name
        if view is None:
            yield Problem(
                Section.PARENT_VIEWS,
                f"Say whether closure was discussed with {who}.",
                f"parent_{link.person_id}",
            )
            continue
        yield from _views_problems(
            Section.PARENT_VIEWS,
            who,
            view.discussed,
            view.discussed_date,
            view.not_discussed_reason,
            view.views,
            f"parent_{link.person_id}_",
        )


def check_domestic_abuse(record: ClosureRecord):
    """Where any assessment identified domestic abuse, the three questions must be answered."""
    if not identified_domestic_abuse(record.episode):
        return
    for field, what in (
        ("da_work_with_perpetrator", "Describe the work done with the perpetrator."),
        ("da_if_released", "Say what must happen if the perpetrator is released from custody."),
        ("da_if_resumed", "Say what must happen if the victim and perpetrator resume their relationship."),
    ):
        if _blank(getattr(record, field)):
            yield Problem(Section.DOMESTIC_ABUSE, what, field)


def check_interpreting(record: ClosureRecord):
    """Where a parent does not speak or read English, the record is explained through an interpreter."""
    if not needs_interpreter(record.episode):
        return
    if _blank(record.interpreter_language):
        yield Problem(
            Section.INTERPRETING,
            "Enter the language the record was interpreted into.",
            "interpreter_language",
        )
    if _blank(record.interpreter_name):
        yield Problem(Section.INTERPRETING, "Enter the interpreter's name.", "interpreter_name")
    if record.interpreted_on is None:
        yield Problem(Section.INTERPRETING, "Enter the date the record was explained.", "interpreted_on")
    if _blank(record.explained_to):
        yield Problem(Section.INTERPRETING, "Say who the record was explained to.", "explained_to")


# The CIN census rules a closing episode must meet (census/rules.py: the same functions the data
# quality page runs), with the section of the record where each is put right, the field, and what to do.
CENSUS_RULES_AT_CLOSURE = {
    "8630": (Section.REASON, "decision_date", "The decision to close cannot be before the referral date."),
    "8565": (Section.INTERVENTIONS, "", "{census} Correct its date: nothing is dated after the case closes."),
    "8867": (
        Section.INVOLVEMENT,
        "",
        "An assessment of this episode is not authorised. Ask for it to be authorised before closing.",
    ),
    "8868": (
        Section.INVOLVEMENT,
        "",
        "A section 47 enquiry of this episode is not completed. "
        "Record the conference date or that no conference was needed.",
    ),
    "8825Q": (
        Section.REASON,
        "reason_code",
        "{code} means closed after assessment, but there is no assessment. "
        "Record the assessment or choose another reason.",
    ),
    "2990": (
        Section.REASON,
        "reason_code",
        "{code} cannot be used: this episode had a child in need plan, a child protection plan or a "
        "section 47 enquiry. Choose another reason, for example RC7.",
    ),
    "8585Q": (Section.REASON, "reason_code", "RC2 (died) needs the child's date of death on the case."),
}


def check_census(record: ClosureRecord):
    """The CIN census rules that bear on closing an episode, checked on the episode as the census will
    see it if the record is authorised today (the closure date is the authorisation date). Rule 8630
    is checked against the decision to close too: the case cannot close before it was referred."""
    today = timezone.localdate()
    child, episode = episode_as_closed(record.episode, closure_date=today, reason=record.reason_code)
    by_decision = replace(episode, closure_date=record.decision_date)
    for code, (section, field, advice) in CENSUS_RULES_AT_CLOSURE.items():
        check = census_rules.RULES[code].check
        found = list(check(child, episode, today.year))
        if code == "8630":
            found += list(check(child, by_decision, today.year))
        for census_message in found[:1]:
            yield Problem(section, advice.format(census=census_message, code=record.reason_code), field, code)


def date_checks(record: ClosureRecord) -> list[tuple]:
    """The record's dates with their rules (core.date_rules), named as the pages' fields are:
    (field, rule, value, names). Used when a section is saved and again at submit."""
    found = [
        ("decision_date", "closure.decision_date", record.decision_date, {}),
        ("child_discussed_date", "closure.child_discussed_date", record.child_discussed_date, {}),
        ("interpreted_on", "closure.interpreted_on", record.interpreted_on, {}),
    ]
    # The handover to Family Help's one date (its row is the familyhelp app's), read with the record
    # when a page read it so (selectors.record_get_for_user), and as a service holds it after a save.
    handover = handover_of(record) if record.pk else None
    found.append(("consent_date", "handover.consent_date", getattr(handover, "consent_date", None), {}))
    if record.pk:
        for view in related(record, "parent_views", record.parent_views.select_related("person")):
            found.append(
                (
                    f"parent_{view.person_id}_discussed_date",
                    "parent_view.discussed_date",
                    view.discussed_date,
                    {"person": view.person.full_name},
                )
            )
    return found


DATE_SECTIONS = {
    "decision_date": Section.REASON,
    "child_discussed_date": Section.CHILD_VIEWS,
    "interpreted_on": Section.INTERPRETING,
    "consent_date": Section.HANDOVER,
}


def check_dates(record: ClosureRecord):
    """Every date on the record makes sense (date_rules): none in the future, none before the child
    was born or the referral, none after the case closed. At authorisation "today" is the
    authorisation date, so no view or interpreting is dated after the record was authorised."""
    context = date_rules.context_for(record=record)
    for field, rule, value, names in date_checks(record):
        if field == "decision_date" and value and value < record.episode.referral_date:
            continue  # rule 8630, in check_census
        message = date_rules.check(rule, value, context, **names)
        if message:
            yield Problem(DATE_SECTIONS.get(field, Section.PARENT_VIEWS), f"{message}.", field)
    future = False
    for contact in related(record.episode, "contacts", record.episode.contacts.all()):
        message = date_rules.check("contact.occurred_at", contact.occurred_at, context)
        if message and message.endswith("must be in the past"):
            future = True  # said once, below
        elif message:
            yield Problem(
                Section.INTERVENTIONS,
                f"A contact: {message[0].lower()}{message[1:]}. Correct it on the case.",
                "",
            )
    if future:  # the case closes, at the latest, when authorised: nothing is dated after today
        yield Problem(
            Section.INTERVENTIONS,
            "The date of a contact must be today or in the past. Correct it on the case: nothing can be "
            "recorded after closure.",
        )


def check_addendum(record: ClosureRecord):
    if _blank(record.addendum_text):
        yield Problem(Section.ADDENDUM, "Write the correction to the authorised record.", "addendum_text")


def check_letter(record: ClosureRecord):
    """The letter to the child is optional: nothing about it stops a record being submitted. Its
    absence for a child of 5 or over is a note on check answers and the manager's review
    (closures.selectors.letter_note), never a problem."""
    return iter(())


def check_comments(record: ClosureRecord):
    """Each of the manager's comments is answered and marked dealt with before the record goes back:
    a return loop closes only when the worker has said what they did about every comment."""
    comments = related(record, "comments", record.comments.filter(resolved=False).order_by("pk"))
    for comment in sorted((c for c in comments if not c.resolved), key=lambda comment: comment.pk):
        yield Problem(
            comment.section,
            "Answer the manager's comment and mark it dealt with: “" + _quote(comment.text) + "”",
            "",
            rule="comment",
        )


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def check_signatures(record: ClosureRecord, digest_of: Callable[[ClosureRecord], str]):
    """A signature is bound to what was signed (its SHA-256). Once the record says something else,
    the signature no longer covers it: the person signs again, or the worker records why their
    signature still stands (documents.services.signature_keep), before submit and authorisation.

    digest_of: the record's digest now (sections.signed_sha256), worked out only when there is a
    signature to compare it with: it builds everything the record says."""
    signatures = related(record, "signatures", record.signatures.all())
    digest = digest_of(record) if signatures else ""
    for signature in signatures:
        if signature.is_out_of_date(digest):
            yield Problem(
                SIGNATURES,
                f"{signature.signer_name}'s signature is out of date: the record changed after they "
                "signed. Ask them to sign again, or record why their signature still stands.",
                "",
                rule="signature",
            )
