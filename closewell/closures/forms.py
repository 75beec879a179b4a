"""Forms of the Closure Record pages: one form per section, holding exactly the fields its
SectionSpec writes (sections.py names each section's form), plus the start, return and withdraw forms.

The forms only check what was typed (dates are real dates, a choice is one offered). The rules of
a complete record are services' and checks': a draft may be saved half-written, and an answer that
contradicts a yes or no is cleared by the service (closure_update), for the pages and the API alike.
"""

from functools import cached_property

from django import forms

from closewell.cases.codes import ReasonForClosure
from closewell.cases.forms import date_errors
from closewell.core.date_rules import context_for, dated
from closewell.web.forms import GovukForm, VersionedForm
from closewell.web.widgets import GovukDateField

from .content import review_groups
from .models import ClosureRecord

YES_NO = [("yes", "Yes"), ("no", "No")]
SOMEONE_ELSE = "other"


def textarea(label: str, hint: str = "", rows: int = 8, name: str = "") -> forms.CharField:
    """A free-text box; `name` is what its error messages call it (its label may be a question)."""
    field = forms.CharField(
        label=label, help_text=hint, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )
    field.error_name = name
    return field


def text(label: str, hint: str = "", max_length: int = 200, width: str = "") -> forms.CharField:
    attrs = {"class": f"govuk-input--width-{width}"} if width else {}
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def optional_date(
    label: str, what: str, rule: str, hint: str = "For example, 27 3 2026", **names
) -> GovukDateField:
    field = GovukDateField(label=label, help_text=hint, required=False, error_messages=date_errors(what))
    return dated(field, rule, **names)


def yes_no(label: str, who: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": f"Select yes if closure was discussed with {who}"},
    )


def as_choice(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def as_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def decision_fields() -> tuple[forms.Field, forms.Field, forms.Field]:
    """The three fields of "Who made the decision?", declared on each form that asks it."""
    maker = forms.ChoiceField(
        label="Who made the decision?",
        help_text="The team manager who agreed that the case should close.",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who made the decision to close",
            "invalid_choice": "Select who made the decision to close",
        },
    )
    return (
        maker,
        text("Their name", width="20"),
        text("Their role", "For example, independent reviewing officer", width="20"),
    )


class DecisionMakerFields:
    """ "Who made the decision?": a team manager of the case's team (radios), or "Someone else",
    which reveals their name and role. Stored as the manager (ClosureRecord.decision_maker) or the
    name and role (decision_by, decision_by_role); the service checks the manager is the team's."""

    def add_decision_fields(self, episode) -> None:
        """The radios' choices: the team's managers, then "Someone else"."""
        managers = episode.team.managers.filter(is_active=True).order_by("first_name", "last_name", "pk")
        self.fields["decision_maker"].choices = [(str(m.pk), f"{m} (team manager)") for m in managers] + [
            (SOMEONE_ELSE, "Someone else")
        ]

    def clean_decision(self, cleaned: dict) -> None:
        if cleaned.get("decision_maker") != SOMEONE_ELSE:
            return
        if not (cleaned.get("decision_by") or "").strip():
            self.add_error("decision_by", "Enter the name of the person who made the decision")
        if not (cleaned.get("decision_by_role") or "").strip():
            self.add_error("decision_by_role", "Enter the role of the person who made the decision")

    def decision_data(self) -> dict:
        """The decision as the services take it: a manager's id, or None with a name and role."""
        chosen = self.cleaned_data["decision_maker"]
        if chosen == SOMEONE_ELSE:
            return {
                "decision_maker": None,
                "decision_by": self.cleaned_data["decision_by"].strip(),
                "decision_by_role": self.cleaned_data["decision_by_role"].strip(),
            }
        return {"decision_maker": int(chosen), "decision_by": "", "decision_by_role": ""}

    @staticmethod
    def decision_initial(record: ClosureRecord) -> dict:
        if record.decision_maker_id:
            chosen = str(record.decision_maker_id)
        else:
            chosen = SOMEONE_ELSE if record.decision_by else ""
        return {
            "decision_maker": chosen,
            "decision_by": record.decision_by,
            "decision_by_role": record.decision_by_role,
        }


class StartForm(DecisionMakerFields, GovukForm):
    decision_date = dated(
        GovukDateField(
            label="When was the decision to close made?",
            help_text="Start the Closure Record as soon as the decision is made. For example, 27 3 2026",
            error_messages=date_errors("the date the decision to close was made"),
        ),
        "closure.decision_date",
    )
    decision_maker, decision_by, decision_by_role = decision_fields()

    def __init__(self, *args, episode=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.add_decision_fields(episode)

    def clean(self):
        cleaned = super().clean()
        self.clean_decision(cleaned)
        return cleaned

    def service_fields(self) -> dict:
        return {"decision_date": self.cleaned_data["decision_date"], **self.decision_data()}

    def date_context(self):
        return context_for(episode=self.episode)


class SectionForm(VersionedForm):
    """A section of a record, carrying the version it was opened at so a stale save is refused."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Reload the page and make your change again",
            "invalid": "Reload the page and make your change again",
        },
    )

    def __init__(self, *args, record: ClosureRecord, **kwargs):
        self.record = record
        super().__init__(*args, **kwargs)
        self.add_fields()

    def add_fields(self) -> None:
        """Fields that depend on the record (people, actions)."""

    def date_context(self):
        return context_for(record=self.record)

    @classmethod
    def initial_for(cls, record: ClosureRecord) -> dict:
        names = [name for name in cls.base_fields if name != "version"]
        return {"version": record.version, **{name: getattr(record, name) for name in names}}

    def service_data(self) -> dict:
        """The `data` closure_update takes for this section."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @classmethod
    def versions_for(cls, record: ClosureRecord) -> dict[str, str]:
        """The hidden version fields as they are now: a stale form moves to them, keeping the text,
        so that saving again replaces what is saved."""
        return {"version": str(record.version)}


class InvolvementForm(SectionForm):
    reason_for_involvement = textarea(
        "Why were services provided?",
        "Why services were provided: the original referral reason, the outcome of assessments, "
        "needs identified while services were provided. Write it so the family, and the child when "
        "grown up, can follow it.",
        rows=12,
        name="Reason for involvement",
    )


class LetterForm(SectionForm):
    letter_to_child = textarea(
        "Your letter",
        "Write to the child as “you”, in short sentences and everyday words. Say why we were "
        "involved, what changed, why we are stopping and who to contact if they need help. You can "
        "leave this blank: it is optional.",
        rows=14,
    )


class InterventionsForm(SectionForm):
    interventions = textarea(
        "What direct and indirect work was done?",
        "The work done with the child and each family member since the assessment, admission or last "
        "review: visits, direct work sessions, meetings, letters and calls, and the services arranged.",
        rows=12,
        name="Details of interventions",
    )


class ReasonForm(DecisionMakerFields, SectionForm):
    reason_for_closure = textarea(
        "Why is the case closing now?",
        "Why it has been decided to close the case at this time: the progress and success made, and what "
        "the family know about getting back in touch.",
        rows=10,
        name="Reason for closure",
    )
    reason_code = forms.ChoiceField(
        label="Reason for closure (CIN census)",
        help_text="The reason that goes to the Department for Education's children in need census.",
        choices=[(code, f"{code}: {label}") for code, label in ReasonForClosure.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the reason for closure from the list"},
    )
    decision_date = dated(
        GovukDateField(
            label="When was the decision to close made?",
            help_text="For example, 27 3 2026",
            error_messages=date_errors("the date the decision to close was made"),
        ),
        "closure.decision_date",
    )
    decision_maker, decision_by, decision_by_role = decision_fields()

    def add_fields(self) -> None:
        self.add_decision_fields(self.record.episode)

    def clean(self):
        cleaned = super().clean()
        self.clean_decision(cleaned)
        return cleaned

    @classmethod
    def initial_for(cls, record: ClosureRecord) -> dict:
        return {**super().initial_for(record), **cls.decision_initial(record)}

    def service_data(self) -> dict:
        return {**super().service_data(), **self.decision_data()}


class ChildViewsForm(SectionForm):
    """Yes or no, then either the date and their views or why closure was not discussed."""

    child_discussed = yes_no("Was closure discussed with the child?", "the child")
    child_discussed_date = optional_date(
        "When was it discussed?", "the date closure was discussed", "closure.child_discussed_date"
    )
    child_views = textarea(
        "Their views",
        "In their own words where you can: whether closing the case is right now, and what they "
        "thought of the help they received.",
        name="The child's views",
    )
    child_not_discussed_reason = textarea(
        "Why was closure not discussed?", rows=4, name="Why closure was not discussed"
    )

    def add_fields(self) -> None:
        child = self.record.episode.child
        name = child.first_name
        self.fields["child_discussed"].label = f"Was closure discussed with {name}?"
        self.fields["child_discussed"].error_messages["invalid_choice"] = (
            f"Select yes if closure was discussed with {name}"
        )
        self.fields["child_views"].label = f"{name}'s views"
        self.fields["child_not_discussed_reason"].label = f"Why was closure not discussed with {name}?"
        age = child.age()
        if age is not None:
            self.fields[
                "child_not_discussed_reason"
            ].help_text = f"{name} is {age}. For example, too young to understand, or could not be reached."

    @classmethod
    def initial_for(cls, record: ClosureRecord) -> dict:
        initial = super().initial_for(record)
        initial["child_discussed"] = as_choice(record.child_discussed)
        return initial

    def service_data(self) -> dict:
        data = super().service_data()
        data["child_discussed"] = as_bool(data["child_discussed"])
        return data


class ParentViewsForm(SectionForm):
    """One fieldset per parent or carer: parent_<person id>_discussed and so on."""

    def add_fields(self) -> None:
        self.people = []
        for view in self.record.parent_views.select_related("person"):
            person = view.person
            prefix = f"parent_{person.pk}_"
            name = person.full_name
            self.fields[f"{prefix}discussed"] = yes_no(f"Was closure discussed with {name}?", name)
            self.fields[f"{prefix}discussed_date"] = optional_date(
                "When was it discussed?",
                f"the date closure was discussed with {name}",
                "parent_view.discussed_date",
                person=name,
            )
            self.fields[f"{prefix}views"] = textarea(
                f"{person.first_name}'s views",
                "In their own words where you can: whether closing the case is right now, and what "
                "they thought of the help the family received.",
                rows=6,
            )
            self.fields[f"{prefix}not_discussed_reason"] = textarea(
                f"Why was closure not discussed with {name}?", rows=3
            )
            for suffix, label in (
                ("discussed_date", "date discussed"),
                ("views", "views"),
                ("not_discussed_reason", "why not discussed"),
            ):
                self.fields[f"{prefix}{suffix}"].long_label = f"{name}: {label}"
            self.fields[f"{prefix}discussed"].long_label = f"{name}: discussed"
            self.people.append({"person": person, "prefix": prefix})

    def fieldsets(self):
        """One yes/no with its revealed fields per parent or carer, for the page."""
        for entry in self.people:
            prefix = entry["prefix"]
            yield {
                "key": prefix.rstrip("_"),
                "discussed": self[f"{prefix}discussed"],
                "date": self[f"{prefix}discussed_date"],
                "views": self[f"{prefix}views"],
                "reason": self[f"{prefix}not_discussed_reason"],
            }

    @classmethod
    def initial_for(cls, record: ClosureRecord) -> dict:
        initial = {"version": record.version}
        for view in record.parent_views.all():
            prefix = f"parent_{view.person_id}_"
            initial[f"{prefix}discussed"] = as_choice(view.discussed)
            initial[f"{prefix}discussed_date"] = view.discussed_date
            initial[f"{prefix}views"] = view.views
            initial[f"{prefix}not_discussed_reason"] = view.not_discussed_reason
        return initial

    def service_data(self) -> dict:
        data = {}
        for entry in self.people:
            prefix = entry["prefix"]
            data[entry["person"].pk] = {
                "discussed": as_bool(self.cleaned_data[f"{prefix}discussed"]),
                "discussed_date": self.cleaned_data[f"{prefix}discussed_date"],
                "views": self.cleaned_data[f"{prefix}views"],
                "not_discussed_reason": self.cleaned_data[f"{prefix}not_discussed_reason"],
            }
        return data


class ReviewForm(SectionForm):
    """Per planned action its actual level and outcome; per unplanned service its impact.

    Field names carry the action's id (outcome_12), as the checks' problems name them."""

    def add_fields(self) -> None:
        self.actions = list(self.record.episode.actions.all().order_by("pk"))
        for action in self.actions:
            what = action.description[:60]
            # Each action's own version: an outcome changed on the action's page meanwhile is not
            # overwritten by this page (the record's version alone does not cover the actions).
            # (Optional: a post without it is still protected by the record's version, which a
            # change to an action moves on too.)
            self.fields[f"action_version_{action.pk}"] = forms.IntegerField(
                required=False,
                widget=forms.HiddenInput,
                min_value=1,
                max_value=2**31 - 1,
                error_messages={
                    "required": "Reload the page and make your change again",
                    "invalid": "Reload the page and make your change again",
                    "min_value": "Reload the page and make your change again",
                    "max_value": "Reload the page and make your change again",
                },
            )
            if action.is_unplanned:
                self.fields[f"impact_{action.pk}"] = textarea(
                    "Impact", "What difference the service made to the child and family.", rows=3
                )
                self.fields[f"impact_{action.pk}"].long_label = f"{what}: impact"
                continue
            self.fields[f"actual_level_{action.pk}"] = text(
                "Actual level received", "For example, 10 of 12 sessions"
            )
            self.fields[f"outcome_{action.pk}"] = textarea("Outcome", rows=3)
            self.fields[f"actual_level_{action.pk}"].long_label = f"{what}: actual level received"
            self.fields[f"outcome_{action.pk}"].long_label = f"{what}: outcome"

    @cached_property
    def review(self) -> dict:
        """The actions grouped by domain (content.review_groups), each with its fields, for the page."""
        return self.attach(review_groups(self.record.episode))

    def attach(self, review: dict) -> dict:
        """content.review_groups with each action's bound fields, for the page."""
        for group in review["groups"]:
            for dimension in group["dimensions"]:
                for row in dimension["actions"]:
                    row["fields"] = [self[f"actual_level_{row['id']}"], self[f"outcome_{row['id']}"]]
        for row in review["unplanned"]:
            row["fields"] = [self[f"impact_{row['id']}"]]
        return review

    @classmethod
    def initial_for(cls, record: ClosureRecord) -> dict:
        initial = {"version": record.version}
        for action in record.episode.actions.all():
            initial[f"action_version_{action.pk}"] = action.version
            for name in ("actual_level", "outcome", "impact"):
                initial[f"{name}_{action.pk}"] = getattr(action, name)
        return initial

    @classmethod
    def versions_for(cls, record: ClosureRecord) -> dict[str, str]:
        versions = super().versions_for(record)
        for action in record.episode.actions.all():
            versions[f"action_version_{action.pk}"] = str(action.version)
        return versions

    def service_data(self) -> dict:
        data = {}
        for action in self.actions:
            names = ("impact",) if action.is_unplanned else ("actual_level", "outcome")
            data[action.pk] = {name: self.cleaned_data[f"{name}_{action.pk}"] for name in names}
            data[action.pk]["version"] = self.cleaned_data[f"action_version_{action.pk}"]
        return data


class DomesticAbuseForm(SectionForm):
    da_work_with_perpetrator = textarea(
        "What work was done with the perpetrator?",
        "The work done with the person who was abusive, or why none was possible.",
        rows=6,
        name="Work done with the perpetrator",
    )
    da_if_released = textarea(
        "What must happen if the perpetrator is released from custody?",
        "Who must be told, by whom, and what they must do.",
        rows=6,
        name="What must happen if the perpetrator is released",
    )
    da_if_resumed = textarea(
        "What must happen if the victim and perpetrator resume their relationship?",
        "Who must be told, by whom, and what they must do.",
        rows=6,
        name="What must happen if the relationship resumes",
    )


class InterpretingForm(SectionForm):
    interpreter_language = text("Language", "The language the record was explained in", 60, "20")
    interpreter_name = text("Interpreter's name", width="20")
    interpreted_on = optional_date(
        "When was the record explained?", "the date the record was explained", "closure.interpreted_on"
    )
    explained_to = text(
        "Who was the record explained to?",
        "The child, where of an age and understanding to follow it, and each parent or carer. "
        "For example, Ruby and her mother Jess Hale",
        300,
    )


class AddendumForm(SectionForm):
    addendum_text = textarea(
        "Correction",
        "What the authorised record got wrong or left out, and what it should say. The authorised "
        "record does not change: this correction is shown beneath it once it is authorised.",
        rows=10,
        name="Correction",
    )


# A page's "Add another comment" stops here on one section (the API takes any number).
MAX_COMMENTS_PER_SECTION = 20
RETURN_FORM_ID = "return-form"


class ReturnForm(GovukForm):
    """A manager's comments, written beside the sections they are about: each section's card on the
    review page has a box ("Add a comment"), and "Add another comment" gives it one more, so a
    section takes any number. Empty boxes are ignored; at least one comment is needed.

    The boxes sit beside the cards, outside the form element, and belong to it by its id
    (RETURN_FORM_ID); `counts` says how many boxes each section has ({section: n})."""

    def __init__(self, *args, sections: list[tuple[str, str]], counts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_titles = dict(sections)
        self.counts = {}
        for key, title in sections:
            n = _count((counts or {}).get(key))
            self.counts[key] = n
            for i in range(1, n + 1):
                self.fields[f"comment_{key}_{i}"] = forms.CharField(
                    label=f"Comment on “{title}”" if n == 1 else f"Comment {i} on “{title}”",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3, "form": RETURN_FORM_ID}),
                )
        if sections:
            self.non_field_error_anchor = f"id_comment_{sections[0][0]}_1"

    def boxes(self, key: str) -> list:
        """The comment boxes beside one section's card."""
        return [self[f"comment_{key}_{i}"] for i in range(1, self.counts.get(key, 0) + 1)]

    def has_text(self, key: str) -> bool:
        return any((box.value() or "").strip() for box in self.boxes(key))

    def clean(self):
        cleaned = super().clean()
        if not any((value or "").strip() for name, value in cleaned.items() if name.startswith("comment_")):
            raise forms.ValidationError("Write a comment beside each section that needs amending")
        return cleaned

    def comments(self) -> list[tuple[str, str]]:
        """(section, text) of each comment written, in the record's order."""
        return [
            (key, self.cleaned_data[f"comment_{key}_{i}"])
            for key, n in self.counts.items()
            for i in range(1, n + 1)
            if (self.cleaned_data.get(f"comment_{key}_{i}") or "").strip()
        ]


class AddendumReasonForm(GovukForm):
    """Why an addendum is needed, asked before it is made: kept on it and in the audit trail."""

    reason = forms.CharField(
        label="Why does the authorised record need an addendum?",
        help_text="What it got wrong or left out, in a sentence or two. For example, the date Ruby's "
        "views were discussed is wrong: it was 3 March, not 13 March.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the authorised record needs an addendum"},
    )


def _count(value) -> int:
    """How many boxes a section has, from the page (a number the browser sent back): 1 to the most."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(n, MAX_COMMENTS_PER_SECTION))


def return_counts(data, sections: list[tuple[str, str]]) -> tuple[dict, str]:
    """The boxes each section had on the page posted, plus one on the section whose "Add another
    comment" was pressed (that section's key, or "")."""
    counts = {key: _count(data.get(f"count_{key}")) for key, _ in sections}
    added = data.get("add", "")
    if added in counts:
        counts[added] = min(counts[added] + 1, MAX_COMMENTS_PER_SECTION)
    else:
        added = ""
    return counts, added


class CommentAnswerForm(GovukForm):
    """The worker's answer to one of the manager's comments, and whether it is dealt with."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label="Your answer",
        help_text="Say what you changed, or why you did not change anything.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dealt_with = forms.BooleanField(label="I have dealt with this comment", required=False)

    def __init__(self, *args, comment, **kwargs):
        kwargs.setdefault("prefix", f"comment-{comment.pk}")
        kwargs.setdefault(
            "initial", {"version": comment.version, "answer": comment.answer, "dealt_with": comment.resolved}
        )
        super().__init__(*args, **kwargs)
        self.comment = comment
        self.non_field_error_anchor = self["answer"].anchor

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("dealt_with") and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", "Write your answer before marking the comment dealt with")
        return cleaned


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is the Closure Record being withdrawn?",
        help_text="For example, the family asked for more help and the case stays open.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the record is being withdrawn"},
    )
