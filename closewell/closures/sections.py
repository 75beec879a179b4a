"""The Closure Record's sections, each declared once as a SectionSpec: everything else loops over them.

A section has many faces: its title, the fields it writes, its form and page, when it is due, its rule,
its part of the frozen record, its card on the HTML record and the check-answers page, its printed
layout on the family's copy, its writing advice and its API request body. Each face is derived from
the spec here (or from a default), so a section cannot reach one face and miss another; the test
closures/tests/test_sections.py walks SECTIONS and proves each reaches every face.

To add a section: README.md, "How to add a section".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from closewell.cases.models import PlannedAction
from closewell.core.prefetch import related
from closewell.core.printing import date_words, paragraphs
from closewell.familyhelp import checks as handover_checks
from closewell.familyhelp import content as handover
from closewell.familyhelp.forms import HandoverForm
from closewell.familyhelp.models import Handover

from . import checks, content, forms
from .models import ClosureRecord, ParentView, Section

# --- When a section is due --------------------------------------------------------------------------


def on_record(record: ClosureRecord) -> bool:
    """Every Closure Record has it (an addendum is its correction only)."""
    return record.addendum_to_id is None


def on_addendum(record: ClosureRecord) -> bool:
    return record.addendum_to_id is not None


def when_domestic_abuse(record: ClosureRecord) -> bool:
    """Mandatory where any assessment in the episode identified domestic abuse."""
    return on_record(record) and content.identified_domestic_abuse(record.episode)


def when_interpreter_needed(record: ClosureRecord) -> bool:
    """Where a parent or carer does not speak or read English."""
    return on_record(record) and bool(content.needs_interpreter(record.episode))


# Asked when the record is started (who decided, and when): they do not make the reason section written.
DECIDED_AT_START = frozenset({"decision_date", "decision_maker", "decision_by", "decision_by_role"})

DEFAULT_CARD = "closures/record/_fields.html"
DEFAULT_TEMPLATE = "closures/sections/_section.html"

# --- Parts of a spec --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """A section that writes rows other than the record's own (the episode's planned actions, each
    parent's views). Its `data` is {row key: {field: value}}."""

    model: type[models.Model]
    fields: tuple[str, ...]
    of: Callable[[ClosureRecord], Iterable[models.Model]]
    key: str  # the attribute `data` names each row by
    missing: str  # the refusal when `data` names a row that is not this record's
    # For a section of one row the record may not have yet (the handover): the new, unsaved row,
    # made on the first save of the section (when `data` names the record's own id).
    make: Callable[[ClosureRecord], models.Model] | None = None


@dataclass(frozen=True)
class AdviceTarget:
    """One piece of the section's prose the writing advice reads, and the checks it asks for."""

    name: str
    label: str
    text: str
    checks: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SectionSpec:
    """One section of the Closure Record, declared once.

    section: its key (the URL slug, the frozen record's key) and its one title (models.Section).
    form: the page's form (closures/forms.py), holding exactly `fields` (or the `rows` fields).
    fields: the ClosureRecord fields the section writes (closure_update accepts these only).
    rows: for a section that writes other rows instead.
    check: its rule, yielding checks.Problem (closures/checks.py).
    due: when the section is part of the record (the conditional sections' conditions).
    build: its part of the frozen record; default {field: value}.
    content_key: where that part sits in the frozen record; default the key.
    printed: its part as the copy prints it; default the fields as labelled text ("fields" layout).
    layout: the layout in documents/templates/documents/record.typ that prints `printed`.
    card: the template of its card on the HTML record and the check-answers page.
    template: its page.
    page_context: what its page shows beside the form, from the case.
    advice_fields, min_words, about: the prose the writing advice reads; `advice` for any other choice.
    clear: puts the record (or each row) in one mind: the answer a yes/no rules out is cleared.
    numbered: printed with its number (1 to 8, as in DOMAIN.md); the handover, the letter and the
        addendum are not, so what follows the sections keeps 9, 10 and 11.
    optional: never required: its task shows "Optional" until written, and an unwritten one is not
        printed on the copies (the letter to the child).
    """

    section: Section
    form: type[forms.SectionForm]
    check: Callable[[ClosureRecord], Iterable]
    fields: tuple[str, ...] = ()
    rows: Rows | None = None
    due: Callable[[ClosureRecord], bool] = on_record
    build: Callable[[ClosureRecord], Any] | None = None
    content_key: str = ""
    printed: Callable[[Any, dict], Any] | None = None
    layout: str = "fields"
    card: str = DEFAULT_CARD
    template: str = DEFAULT_TEMPLATE
    page_context: Callable[[ClosureRecord], dict] | None = None
    advice_fields: tuple[str, ...] = ()
    min_words: int = 0
    about: str = "this"
    advice: Callable[[ClosureRecord, SectionSpec], list[AdviceTarget]] | None = None
    clear: Callable[[Any], None] | None = None
    numbered: bool = True
    optional: bool = False

    @property
    def key(self) -> str:
        return self.section.value

    @property
    def title(self) -> str:
        """The one title: task list, page heading, record card, copy heading, error messages."""
        return self.section.label

    @property
    def part_key(self) -> str:
        return self.content_key or self.key

    @property
    def number(self) -> int | None:
        return NUMBERS.get(self.key)

    @property
    def heading(self) -> str:
        """The copy's heading: '3. Review of planned actions'."""
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def written_fields(self) -> tuple[str, ...]:
        """Every field the section writes, on the record or on its rows."""
        return self.rows.fields if self.rows else self.fields

    def is_due(self, record: ClosureRecord) -> bool:
        return self.due(record)

    def problems(self, record: ClosureRecord) -> list:
        return list(self.check(record))

    @property
    def conditional(self) -> bool:
        return self.due not in (on_record, on_addendum)

    @property
    def correction(self) -> bool:
        """The addendum's section: what an addendum is made of, and no Closure Record shows."""
        return self.due is on_addendum

    def content_of(self, record: ClosureRecord) -> Any:
        """The section's part of what the record says. A conditional section's part says whether it
        was required, so the frozen record shows it only then."""
        if self.build is not None:
            return self.build(record)
        part = {name: getattr(record, name) for name in self.fields}
        if self.conditional:
            part["required"] = self.is_due(record)
        return part

    def shown_rows(self, part: dict) -> list[tuple[str, str]]:
        """A default part as (label, value in words) rows, for the HTML card and the copy."""
        rows = []
        for name in self.fields:
            model_field = ClosureRecord._meta.get_field(name)
            value = (part or {}).get(name)
            if model_field.choices and value:
                value = dict(model_field.flatchoices).get(value, value)
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            elif model_field.get_internal_type() == "DateField":
                value = date_words(value)
            rows.append((str(model_field.verbose_name).capitalize(), str(value or "")))
        return rows

    def print_part(self, part: Any, said: dict) -> Any:
        """The section's part as the copy's template (record.typ, `layout`) prints it."""
        if self.printed is not None:
            return self.printed(part, said)
        return [{"label": label, "paragraphs": paragraphs(value)} for label, value in self.shown_rows(part)]

    def started(self, record: ClosureRecord) -> bool:
        """Anything written yet (fields the record always has, such as the decision, do not count)."""
        if self.rows:
            return any(
                getattr(row, name) not in (None, "")
                for row in self.rows.of(record)
                for name in self.rows.fields
            )
        return any(
            getattr(record, name) not in (None, "")
            for name in self.fields
            if ClosureRecord._meta.get_field(name).blank and name not in DECIDED_AT_START
        )

    def unread(self, record: ClosureRecord) -> bool:
        """Holds what the case put in (pre-filled), and nobody has opened and saved it on this record
        yet: the task list says "Check", and the record cannot be submitted until it is saved."""
        return not self.optional and self.key not in record.confirmed_sections and self.started(record)

    @property
    def advises(self) -> bool:
        return bool(self.advice_fields or self.advice)

    def advice_targets(self, record: ClosureRecord) -> list[AdviceTarget]:
        """The prose the writing advice reads on this record."""
        if self.advice is not None:
            return self.advice(record, self)
        return [
            AdviceTarget(
                name,
                str(ClosureRecord._meta.get_field(name).verbose_name).capitalize(),
                getattr(record, name),
                {"min_words": self.min_words, "about": self.about},
            )
            for name in self.advice_fields
        ]

    def context(self, record: ClosureRecord) -> dict:
        return self.page_context(record) if self.page_context else {}


# --- Section by section: what differs from the defaults ---------------------------------------------


def _discussed(discussed, date, reason: str, who: str) -> str:
    if discussed is True:
        return (
            f"Closure was discussed with {who} on {date_words(date)}."
            if date
            else f"Closure was discussed with {who}."
        )
    if discussed is False:
        return f"Closure was not discussed with {who}: {(reason or '').strip()}"
    return f"Not recorded whether closure was discussed with {who}."


def _first_name(said: dict) -> str:
    return said["child"]["name"].split()[0]


def print_written(part: str, said: dict) -> list:
    return paragraphs(part)


def print_interventions(part: dict, said: dict) -> dict:
    return {
        "narrative": paragraphs(part["narrative"]),
        "since": date_words(part["since"]),
        "every_contact": bool(part["every_contact"]),
        "child": {
            "name": part["child"]["name"],
            "dates": [
                {
                    "date": date_words(r["date"]),
                    "kind": r["kind"],
                    "alone": "Yes" if r["seen_alone"] else "No",
                }
                for r in part["child"]["dates"]
            ],
        },
        "people": [
            {
                "name": p["name"],
                "relationship": p["relationship"] or "Other",
                "dates": [{"date": date_words(r["date"]), "kind": r["kind"]} for r in p["dates"]],
            }
            for p in part["people"]
        ],
    }


def print_review(part: dict, said: dict) -> dict:
    return {
        "groups": [
            {
                "title": g["title"],
                "dimensions": [
                    {
                        "dimension": dim["dimension"],
                        "actions": [
                            {
                                "description": a["description"],
                                "responsible": a["responsible"] or "",
                                "planned_level": a["planned_level"] or "",
                                "actual_level": a["actual_level"] or "",
                                "outcome": a["outcome"] or "",
                            }
                            for a in dim["actions"]
                        ],
                    }
                    for dim in g["dimensions"]
                ],
            }
            for g in part["groups"]
        ],
        "unplanned": [
            {"description": a["description"], "dimension": a["dimension"], "impact": a["impact"] or ""}
            for a in part["unplanned"]
        ],
    }


def print_reason(part: dict, said: dict) -> dict:
    return {
        "text": paragraphs(part["text"]),
        "code": f"{part['code']} – {part['code_label']}" if part["code"] else "Not recorded",
    }


def print_child_views(part: dict, said: dict) -> dict:
    return {
        "first_name": _first_name(said),
        "discussed": _discussed(
            part["discussed"], part["date"], part["not_discussed_reason"], _first_name(said)
        ),
        "views": paragraphs(part["views"]),
    }


def print_parent_views(part: list, said: dict) -> list:
    return [
        {
            "person": v["person"],
            "relationship": v["relationship"],
            "discussed": _discussed(v["discussed"], v["date"], v["not_discussed_reason"], v["person"]),
            "views": paragraphs(v["views"]),
        }
        for v in part
    ]


def print_domestic_abuse(part: dict, said: dict) -> list:
    return [
        {"label": "Work done with the perpetrator", "paragraphs": paragraphs(part["work_with_perpetrator"])},
        {
            "label": "If the perpetrator is released from custody",
            "paragraphs": paragraphs(part["if_released"]),
        },
        {
            "label": "If the victim and perpetrator resume their relationship",
            "paragraphs": paragraphs(part["if_resumed"]),
        },
    ]


def print_interpreting(part: dict, said: dict) -> list:
    return [
        ["Language", part["language"]],
        ["Interpreter", part["interpreter"]],
        ["Date", date_words(part["date"])],
        ["Explained to", part["explained_to"]],
    ]


def clear_child_views(record: ClosureRecord) -> None:
    """Only the answer that goes with yes or no is kept, so the record says one thing."""
    if record.child_discussed is True:
        record.child_not_discussed_reason = ""
    elif record.child_discussed is False:
        record.child_discussed_date, record.child_views = None, ""


def clear_parent_view(view: ParentView) -> None:
    """As for the child: yes keeps the date and views, no keeps why not."""
    if view.discussed is True:
        view.not_discussed_reason = ""
    elif view.discussed is False:
        view.discussed_date, view.views = None, ""


def short(text: str, limit: int = 50) -> str:
    """A field's text cut to a label's length at a word."""
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


MIN_OUTCOME_WORDS = 5
# What a parent may be called in their views instead of their name ("mum"), by relationship.
RELATION_WORDS = {"mother": "mum", "father": "dad", "step_parent": "", "carer": "", "foster_carer": ""}


def review_advice(record: ClosureRecord, spec: SectionSpec) -> list[AdviceTarget]:
    """Each planned action's outcome (with a measure or a date), each unplanned service's impact."""
    targets = []
    for action in content.actions_by_start(record.episode):
        name = short(action.description)
        if action.is_unplanned:
            targets.append(
                AdviceTarget(
                    f"impact_{action.pk}", f"Impact of “{name}”", action.impact, {"about": "the impact"}
                )
            )
        else:
            targets.append(
                AdviceTarget(
                    f"outcome_{action.pk}",
                    f"Outcome of “{name}”",
                    action.outcome,
                    {"min_words": MIN_OUTCOME_WORDS, "about": "the outcome", "outcome": True},
                )
            )
    return targets


def child_views_advice(record: ClosureRecord, spec: SectionSpec) -> list[AdviceTarget]:
    """The child's views in their own words; or, when closure was not discussed, why not."""
    if record.child_discussed is False:
        return [
            AdviceTarget(
                "child_not_discussed_reason", "Child not discussed reason", record.child_not_discussed_reason
            )
        ]
    child = record.episode.child
    return [
        AdviceTarget(
            "child_views",
            "Child views",
            record.child_views,
            {
                "who": child.first_name,
                "voice_of": [child.first_name, child.last_name, child.preferred_name],
                "min_words": spec.min_words,
                "about": spec.about,
            },
        )
    ]


def parent_views_advice(record: ClosureRecord, spec: SectionSpec) -> list[AdviceTarget]:
    """Each parent's views in their own words; or why closure was not discussed with them."""
    relation = {link.person_id: link.relationship for link in content.parents_and_carers(record.episode)}
    targets = []
    for view in related(record, "parent_views", record.parent_views.select_related("person")):
        person = view.person
        text = view.views if view.discussed is not False else view.not_discussed_reason
        voice = {}
        if view.discussed is not False:
            relationship = relation.get(person.pk, "")
            voice = {
                "who": person.full_name,
                "voice_of": [
                    person.first_name,
                    person.last_name,
                    relationship,
                    RELATION_WORDS.get(relationship, ""),
                ],
                "min_words": spec.min_words,
                "about": spec.about,
            }
        targets.append(AdviceTarget(f"parent_{person.pk}_views", f"Views of {person.full_name}", text, voice))
    return targets


def age_on(date_of_birth, today) -> int | None:
    if not date_of_birth:
        return None
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - before_birthday


# A child under this age (on the day the copy is given) gets the letter alone as their copy, where
# a letter was written; an older child gets the letter as the first page, then the whole record.
LETTER_ALONE_UNDER = 12
# For a child of this age or over, a record without a letter says so (a note, never a problem).
LETTER_EXPECTED_FROM = 5


def letter_page(record: ClosureRecord) -> dict:
    from django.utils import timezone

    age = age_on(record.episode.child.date_of_birth, timezone.localdate())
    return {
        "child_age": age,
        "letter_alone": age is not None and age < LETTER_ALONE_UNDER,
        "letter_alone_under": LETTER_ALONE_UNDER,
    }


def letter_advice(record: ClosureRecord, spec: SectionSpec) -> list[AdviceTarget]:
    """The letter gets every check the other prose gets, with a reading ease for the child's age,
    and a reminder to write to the child as "you"."""
    from django.utils import timezone

    child = record.episode.child
    return [
        AdviceTarget(
            "letter_to_child",
            f"Letter to {child.first_name}",
            record.letter_to_child,
            {
                "min_words": spec.min_words,
                "about": spec.about,
                "child_age": age_on(child.date_of_birth, timezone.localdate()),
                "to_child": child.first_name,
            },
        )
    ]


# The handover's prose, in the order the writing advice reads it.
HANDOVER_PROSE = ("summary", "signs_to_watch", "continuing_support", "outstanding_actions", "consent_scope")


def handover_advice(record: ClosureRecord, spec: SectionSpec) -> list[AdviceTarget]:
    """The handover's prose, written for someone outside children's social care."""
    row = handover.handover_of(record) or Handover(record=record)
    return [
        AdviceTarget(
            name,
            str(Handover._meta.get_field(name).verbose_name).capitalize(),
            getattr(row, name),
            {"min_words": spec.min_words if name == "summary" else 0, "about": spec.about},
        )
        for name in HANDOVER_PROSE
    ]


# --- The registry -----------------------------------------------------------------------------------

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        Section.INVOLVEMENT,
        form=forms.InvolvementForm,
        check=checks.check_involvement,
        fields=("reason_for_involvement",),
        build=lambda record: record.reason_for_involvement,
        printed=print_written,
        layout="written",
        card="closures/record/written.html",
        template="closures/sections/involvement.html",
        advice_fields=("reason_for_involvement",),
        min_words=40,
        about="why services were provided",
    ),
    SectionSpec(
        Section.INTERVENTIONS,
        form=forms.InterventionsForm,
        check=checks.check_interventions,
        fields=("interventions",),
        build=content.interventions_content,
        printed=print_interventions,
        layout="interventions",
        card="closures/record/interventions.html",
        template="closures/sections/interventions.html",
        page_context=lambda record: {"seen": content.dates_seen(record.episode)},
        advice_fields=("interventions",),
        min_words=40,
        about="the work done and when people were seen",
    ),
    SectionSpec(
        Section.REVIEW,
        form=forms.ReviewForm,
        check=checks.check_review,
        rows=Rows(
            model=PlannedAction,
            fields=("actual_level", "outcome", "impact"),
            of=lambda record: record.episode.actions.all(),
            key="pk",
            missing="That action is not part of this episode.",
        ),
        build=content.review_content,
        printed=print_review,
        layout="review",
        card="closures/record/review.html",
        template="closures/sections/review.html",
        advice=review_advice,
    ),
    SectionSpec(
        Section.REASON,
        form=forms.ReasonForm,
        check=checks.check_reason,
        fields=(
            "decision_date",
            "decision_maker",
            "decision_by",
            "decision_by_role",
            "reason_for_closure",
            "reason_code",
        ),
        build=content.reason_content,
        printed=print_reason,
        layout="reason",
        card="closures/record/reason.html",
        template="closures/sections/reason.html",
        advice_fields=("reason_for_closure",),
        min_words=30,
        about="why the case is closing and the progress made",
    ),
    SectionSpec(
        Section.CHILD_VIEWS,
        form=forms.ChildViewsForm,
        check=checks.check_child_views,
        fields=("child_discussed", "child_discussed_date", "child_not_discussed_reason", "child_views"),
        build=content.child_views_content,
        printed=print_child_views,
        layout="child_views",
        card="closures/record/child_views.html",
        template="closures/sections/child_views.html",
        advice=child_views_advice,
        min_words=15,
        about="what the child thinks",
        clear=clear_child_views,
    ),
    SectionSpec(
        Section.PARENT_VIEWS,
        form=forms.ParentViewsForm,
        check=checks.check_parent_views,
        rows=Rows(
            model=ParentView,
            fields=("discussed", "discussed_date", "not_discussed_reason", "views"),
            of=lambda record: record.parent_views.all(),
            key="person_id",
            missing="That person is not a parent or carer on this record.",
        ),
        build=content.parent_views_content,
        printed=print_parent_views,
        layout="parent_views",
        card="closures/record/parent_views.html",
        template="closures/sections/parent_views.html",
        advice=parent_views_advice,
        min_words=15,
        about="what they think",
        clear=clear_parent_view,
    ),
    SectionSpec(
        Section.DOMESTIC_ABUSE,
        form=forms.DomesticAbuseForm,
        check=checks.check_domestic_abuse,
        due=when_domestic_abuse,
        fields=("da_work_with_perpetrator", "da_if_released", "da_if_resumed"),
        build=content.domestic_abuse_content,
        printed=print_domestic_abuse,
        layout="fields",
        card="closures/record/domestic_abuse.html",
        template="closures/sections/domestic_abuse.html",
        advice_fields=("da_work_with_perpetrator", "da_if_released", "da_if_resumed"),
        min_words=15,
    ),
    SectionSpec(
        Section.INTERPRETING,
        form=forms.InterpretingForm,
        check=checks.check_interpreting,
        due=when_interpreter_needed,
        fields=("interpreter_language", "interpreter_name", "interpreted_on", "explained_to"),
        build=content.interpreting_content,
        printed=print_interpreting,
        layout="facts",
        card="closures/record/interpreting.html",
        template="closures/sections/interpreting.html",
        # Names, a language and a date: nothing for the writing advice to read.
    ),
    SectionSpec(
        Section.HANDOVER,
        form=HandoverForm,
        check=handover_checks.check_handover,
        due=handover.handover_due,
        rows=Rows(
            model=Handover,
            fields=(
                "lead_practitioner",
                "lead_contact",
                "consent_given",
                "consent_by",
                "consent_date",
                "consent_scope",
                "continuing_support",
                "outstanding_actions",
                "signs_to_watch",
                "summary",
            ),
            of=lambda record: [row] if (row := handover.handover_of(record)) else [],
            key="record_id",
            missing="Give the handover by the record's own id.",
            make=lambda record: Handover(record=record),
        ),
        build=handover.handover_content,
        printed=handover.print_handover,
        layout="fields",
        card="familyhelp/record/handover.html",
        template="familyhelp/section.html",
        advice=handover_advice,
        min_words=40,
        about="what the lead practitioner needs to know",
        # Not one of the eight statutory sections: a number would move Signatures, Authorisation and
        # Copies given off 9, 10 and 11.
        numbered=False,
    ),
    SectionSpec(
        Section.LETTER,
        form=forms.LetterForm,
        check=checks.check_letter,
        fields=("letter_to_child",),
        build=lambda record: record.letter_to_child,
        content_key="letter_to_child",
        printed=print_written,
        layout="written",
        card="closures/record/letter.html",
        template="closures/sections/letter.html",
        page_context=letter_page,
        advice=letter_advice,
        min_words=40,
        about="why we were involved, what changed and who to contact",
        numbered=False,
        optional=True,
    ),
    SectionSpec(
        Section.ADDENDUM,
        form=forms.AddendumForm,
        check=checks.check_addendum,
        due=on_addendum,
        fields=("addendum_text",),
        build=lambda record: record.addendum_text,
        content_key="addendum_text",
        printed=print_written,
        layout="written",
        card="closures/record/written.html",
        advice_fields=("addendum_text",),
        min_words=10,
        about="the correction",
        numbered=False,
    ),
)

BY_KEY: dict[str, SectionSpec] = {spec.key: spec for spec in SECTIONS}
NUMBERS: dict[str, int] = {spec.key: n for n, spec in enumerate((s for s in SECTIONS if s.numbered), start=1)}
# What follows the sections on a printed record, numbered on from them (9, 10 and 11 in DOMAIN.md).
AFTER_SECTIONS = ("signatures", "authorisation", "copies")


def get(key: str) -> SectionSpec | None:
    """The spec of a section key, or None for a key that is not a section."""
    return BY_KEY.get(key)


def due(record: ClosureRecord) -> list[SectionSpec]:
    """The sections this record has, in order (conditional ones only when their condition holds)."""
    return [spec for spec in SECTIONS if spec.is_due(record)]


def unread(record: ClosureRecord) -> list[SectionSpec]:
    """The due sections holding pre-filled content that nobody has opened and saved yet."""
    return [spec for spec in due(record) if spec.unread(record)]


def section_required(record: ClosureRecord, key: str) -> bool:
    spec = get(key)
    return spec is not None and spec.is_due(record)


def problems(record: ClosureRecord) -> list:
    """Every problem that stops a record being submitted or authorised, in section order: each due
    section's rule, then (on a Closure Record, not an addendum) the CIN census rules and the case's
    dates."""
    found = [problem for spec in due(record) for problem in spec.problems(record)]
    found += [checks.Problem(spec.key, "read it and save it", lead="Check ") for spec in unread(record)]
    if on_record(record):
        found += [*checks.check_census(record), *checks.check_dates(record)]
    found += checks.check_comments(record)
    if not record.is_authorised:
        found += checks.check_signatures(record, signed_sha256)
    order = [spec.key for spec in SECTIONS] + [checks.SIGNATURES]
    return sorted(found, key=lambda p: order.index(p.section))


def build_content(record: ClosureRecord) -> dict:
    """What the record says, as plain data, assembled now from the record and the case: what is
    frozen at authorisation (services.freeze), and what a record not yet authorised shows."""
    return {
        **content.record_header(record),
        **{spec.part_key: spec.content_of(record) for spec in SECTIONS},
    }


def content_now(record: ClosureRecord) -> dict:
    """build_content for the pages: built once per record object and version (the task list, the
    signatures task, the checks and the card all ask on one page; every save of a section moves
    the version on). What is frozen at authorisation is built afresh (services.freeze)."""
    kept = getattr(record, "_content_now", None)
    if kept and kept[0] == (record.version, record.status):
        return kept[1]
    said = build_content(record)
    record._content_now = ((record.version, record.status), said)
    return said


def json_safe(content):
    """Content as JSON holds it (dates as ISO strings): what is frozen and what is hashed."""
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def canonical_sha256(content) -> str:
    """The SHA-256 of content serialised one way only (keys sorted, no spaces, UTF-8), so the same
    content always has the same digest."""
    canonical = json.dumps(json_safe(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def signed_part(said: dict) -> dict:
    """What a person signs of what a record says: all of it, less what changes by itself (the child's
    age today) and what is added only at authorisation (who authorised it, when)."""
    said = {key: value for key, value in said.items() if key != "authorisation"}
    if "child" in said:
        said["child"] = {key: value for key, value in said["child"].items() if key != "age"}
    return said


def signed_sha256(record: ClosureRecord) -> str:
    """The digest a signature taken now is bound to (the record as built now; once authorised, as
    frozen): when it differs from the one a signature holds, the record changed after they signed.
    Worked out once for the content a page holds (the checks and the signatures task both ask)."""
    said = record.snapshot if record.is_authorised and record.snapshot else content_now(record)
    kept = getattr(record, "_signed_sha256", None)
    if kept and kept[0] is said:
        return kept[1]
    digest = canonical_sha256(signed_part(said))
    record._signed_sha256 = (said, digest)
    return digest


def shown(said: dict) -> list[tuple[SectionSpec, Any]]:
    """The sections a record's content shows, with each one's part, in order: an addendum its
    correction; a Closure Record each of its sections, less a conditional one whose part says it
    was not required (so a record frozen long ago shows as it was authorised)."""
    if said.get("addendum_to"):
        specs = [spec for spec in SECTIONS if spec.correction]
    else:
        specs = [
            spec
            for spec in SECTIONS
            if not spec.correction
            and spec.part_key in said
            and not (isinstance(said[spec.part_key], dict) and said[spec.part_key].get("required") is False)
        ]
    return [(spec, said[spec.part_key]) for spec in specs if spec.part_key in said]


def printed(said: dict, *, leave_out: tuple[str, ...] = ()) -> list[dict]:
    """Each section the copy prints: its heading, its layout in record.typ and its data. An optional
    section left unwritten is not printed; `leave_out` names sections this copy does not carry."""
    return [
        {
            "key": spec.key,
            "heading": spec.heading,
            "layout": spec.layout,
            "data": spec.print_part(part, said),
        }
        for spec, part in shown(said)
        if spec.key not in leave_out and not (spec.optional and not part)
    ]


def after_numbers() -> dict[str, str]:
    """The numbers of what follows the sections on the copy: signatures 9, authorisation 10, copies 11."""
    first = len(NUMBERS) + 1
    return {name: str(first + n) for n, name in enumerate(AFTER_SECTIONS)}
