"""The date rules: which dates make sense for each kind of date, in one place, in one GOV.UK style.

Forms (GovukFormMixin applies the rule attached to a date field), the API serializers
(DateRulesSerializerMixin), the services (which refuse what the pages refuse, so every way in
agrees), the Closure Record's submit checks and the SSD importer (`row_date_errors`) all ask here.

The rules:
- no date in the future, unless the date is for a plan (a planned end, an expected birth);
- no date before the child's date of birth (work with a family referred before the birth may be
  earlier: that is `pre_birth`);
- activity dates inside the episode: on or after the referral, on or before the closure;
- the record's own dates (views, interpreting, signatures) on or before its authorisation; copies
  on or after it.

Each check gives one message, the first rule broken, written as the GOV.UK Design System writes
date errors: "The date closure was discussed with Jayden must be today or in the past".
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from .dates import long_date
from .errors import DatesRefused

# No date of a child's case is before this (a year such as 1900 is a typing slip, not a date).
EARLIEST = dt.date(1900, 1, 2)


@dataclass(frozen=True)
class DateRule:
    """What a date field may hold. `what` names the date in messages ("the date of the contact");
    {child} and {person} are filled in from the context."""

    what: str
    plan: bool = False  # a planned or expected date: may be in the future
    since_birth: bool = True  # not before the child's date of birth
    pre_birth: bool = False  # ... unless the case was referred before the birth (work with the family)
    in_episode: bool = False  # on or after the referral, on or before the closure
    until_authorised: bool = False  # on or before the record's authorisation
    from_authorised: bool = False  # on or after the record's authorisation
    has_time: bool = False  # a date and time: "in the past" is compared to the minute


@dataclass(frozen=True)
class DateContext:
    """What a date is checked against. Unknown parts (no child yet, not authorised) are None."""

    today: dt.date
    now: dt.datetime | None = None
    child_name: str = ""
    date_of_birth: dt.date | None = None
    referral_date: dt.date | None = None
    closure_date: dt.date | None = None
    authorised_on: dt.date | None = None


# Every kind of date the product keeps, by "<thing>.<field>". Forms and serializers name one of
# these for each of their date fields; a test walks them all and fails on a date field without one.
RULES: dict[str, DateRule] = {
    # The case register.
    "child.date_of_birth": DateRule("the date of birth", since_birth=False),
    "child.expected_date_of_birth": DateRule("the expected date of birth", plan=True, since_birth=False),
    "child.date_of_death": DateRule("the date of death"),
    "episode.referral_date": DateRule("the referral date", pre_birth=True),
    "episode.closure_date": DateRule("the closure date", pre_birth=True, in_episode=True),
    "assessment.start_date": DateRule("the date the assessment started", pre_birth=True, in_episode=True),
    "assessment.authorisation_date": DateRule(
        "the date the assessment was authorised", pre_birth=True, in_episode=True
    ),
    "section47.start_date": DateRule(
        "the date the section 47 enquiry started", pre_birth=True, in_episode=True
    ),
    "section47.icpc_target_date": DateRule(
        "the target date of the initial child protection conference",
        plan=True,
        pre_birth=True,
        in_episode=True,
    ),
    "section47.icpc_date": DateRule(
        "the date of the initial child protection conference", pre_birth=True, in_episode=True
    ),
    "plan.start_date": DateRule("the date the plan started", pre_birth=True, in_episode=True),
    "plan.end_date": DateRule("the date the plan ended", plan=True, pre_birth=True, in_episode=True),
    "action.start_date": DateRule("the start date", plan=True, pre_birth=True, in_episode=True),
    "action.end_date": DateRule("the end date", plan=True, pre_birth=True, in_episode=True),
    "contact.occurred_at": DateRule(
        "the date and time of the contact", pre_birth=True, in_episode=True, has_time=True
    ),
    "domestic_abuse.expected_release_date": DateRule(
        "the expected release date", plan=True, since_birth=False
    ),
    # The Closure Record.
    "closure.decision_date": DateRule(
        "the date the decision to close was made", pre_birth=True, in_episode=True, until_authorised=True
    ),
    "closure.child_discussed_date": DateRule(
        "the date closure was discussed with {child}", in_episode=True, until_authorised=True
    ),
    "parent_view.discussed_date": DateRule(
        "the date closure was discussed with {person}", pre_birth=True, in_episode=True, until_authorised=True
    ),
    "closure.interpreted_on": DateRule(
        "the date the record was explained", pre_birth=True, in_episode=True, until_authorised=True
    ),
    # The handover to Family Help (familyhelp): the family's consent to share, given before closing.
    "handover.consent_date": DateRule(
        "the date the family agreed to share information",
        pre_birth=True,
        in_episode=True,
        until_authorised=True,
    ),
    # Signatures and copies.
    "signature.signed_on": DateRule(
        "the date they signed", pre_birth=True, in_episode=True, until_authorised=True
    ),
    "copy.given_on": DateRule("the date the copy was given", from_authorised=True),
}


def rule_for(rule: "DateRule | str") -> DateRule:
    return RULES[rule] if isinstance(rule, str) else rule


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def describe(rule: "DateRule | str", context: DateContext, **names: str) -> str:
    """The rule's `what` with the names filled in: "the date closure was discussed with Jayden"."""
    rule = rule_for(rule)
    return rule.what.format(child=context.child_name or "the child", person=names.get("person", "them"))


def check(rule: "DateRule | str", value, context: DateContext, *, what: str = "", **names: str) -> str | None:
    """The message for the first rule `value` breaks, or None when it makes sense (or is empty)."""
    if value is None or value == "":
        return None
    rule = rule_for(rule)
    what = _capital(what or describe(rule, context, **names))
    if isinstance(value, dt.datetime):
        moment = value
        day = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    else:
        moment, day = None, value
    if not rule.plan:
        if rule.has_time and moment is not None:
            now = context.now or timezone.now()
            if moment > now:
                return f"{what} must be in the past"
        elif day > context.today:
            return f"{what} must be today or in the past"
    birth = context.date_of_birth
    pre_birth_case = rule.pre_birth and context.referral_date is not None and birth is not None
    pre_birth_case = pre_birth_case and context.referral_date < birth
    if rule.since_birth and birth is not None and day < birth and not pre_birth_case:
        name = context.child_name
        who = f"{_possessive(name)} date of birth" if name else "the child's date of birth"
        return f"{what} must be on or after {who}, {long_date(birth)}"
    if rule.in_episode and context.referral_date is not None and day < context.referral_date:
        return f"{what} must be on or after the referral date, {long_date(context.referral_date)}"
    if day < EARLIEST:
        return f"{what} must be after 1900"
    if rule.in_episode and context.closure_date is not None and day > context.closure_date:
        return f"{what} must be on or before the date the case closed, {long_date(context.closure_date)}"
    authorised = context.authorised_on
    if rule.until_authorised and authorised is not None and day > authorised:
        return f"{what} must be on or before the date the record was authorised, {long_date(authorised)}"
    if rule.from_authorised and authorised is not None and day < authorised:
        return f"{what} must be on or after the date the record was authorised, {long_date(authorised)}"
    return None


def errors(context: DateContext, checks: Iterable[tuple]) -> dict[str, str]:
    """{field: message} for each (field, rule, value[, names]) that breaks its rule."""
    found = {}
    for field, rule, value, *rest in checks:
        names = rest[0] if rest else {}
        message = check(rule, value, context, **names)
        if message:
            found[field] = message
    return found


def refuse(context: DateContext, checks: Iterable[tuple]) -> None:
    """Refuse (DatesRefused, a DomainError) naming each field whose date breaks its rule: pages show
    each on its field, the API answers 400 naming them."""
    found = errors(context, checks)
    if found:
        raise DatesRefused(found)


# --- Contexts, from the objects of the case (read by attribute: core imports no other app) -------


def context_for(
    *, child=None, episode=None, record=None, today: dt.date | None = None, now: dt.datetime | None = None
) -> DateContext:
    """The context of a child, an episode or a Closure Record (each implies the ones before it).

    An authorised record's dates are checked against its authorisation; the episode's closure date
    bounds its activity."""
    if record is not None:
        episode = record.episode
    if episode is not None:
        child = episode.child
    authorised_at = getattr(record, "authorised_at", None)
    return DateContext(
        today=today or timezone.localdate(),
        now=now,
        child_name=getattr(child, "first_name", "") or "",
        date_of_birth=getattr(child, "date_of_birth", None),
        referral_date=getattr(episode, "referral_date", None),
        closure_date=getattr(episode, "closure_date", None),
        authorised_on=timezone.localdate(authorised_at) if authorised_at else None,
    )


def row_date_errors(kind: str, values: dict, context: DateContext) -> dict[str, str]:
    """For an importer: {field: message} for the dates of one row of `kind` ("contact", "episode" …)
    that break their rule. Fields without a rule are not checked."""
    return errors(
        context,
        [
            (name, RULES[f"{kind}.{name}"], value)
            for name, value in values.items()
            if f"{kind}.{name}" in RULES
        ],
    )


# --- Forms and serializers --------------------------------------------------------------------------


def dated(field, rule: str, **names: str):
    """Attach a rule to a form's date field (GovukFormMixin checks it in clean()); returns the field."""
    if rule not in RULES:
        raise KeyError(f"No date rule {rule!r}")
    field.date_rule = rule
    field.date_names = names
    return field


def undated(field, reason: str):
    """Mark a date field that is not a fact about a child (a report's period): no rule, and why."""
    field.date_rule = None
    field.date_rule_exempt = reason
    return field
