"""Forms of the case pages: contacts, planned actions and people. Each error says what to do.

The forms only check what a person typed; the services (closewell.cases.services) apply the rules
of the case and save. `service_fields()` gives the keyword arguments the service takes.
"""

from django import forms
from django.utils.formats import date_format

from closewell.core.date_rules import context_for, dated
from closewell.core.text import LIMITS
from closewell.web.forms import GovukForm, VersionedForm
from closewell.web.widgets import GovukDateField, GovukDateTimeField

from .codes import DIMENSION_DOMAIN, Dimension, Domain, Parent
from .models import ContactType, Person, PlaceKind, Relationship, Responsible, WorkKind

UNPLANNED = "unplanned"


def date_errors(what: str) -> dict:
    """GOV.UK date messages naming the date: what = 'the date the action started'."""
    return {
        "required": f"Enter {what}",
        "incomplete": f"{what[0].upper()}{what[1:]} must include a {{missing}}",
        "invalid": f"{what[0].upper()}{what[1:]} must be a real date",
        "year": f"The year of {what} must include 4 numbers",
    }


class ContactForm(VersionedForm):
    occurred_at = dated(
        GovukDateTimeField(
            label="When was the contact?",
            help_text="For example, 14 3 2026 and 14:30",
            error_messages={
                **date_errors("the date of the contact"),
                "required": "Enter the date and time of the contact",
                "time_required": "Enter the time of the contact",
                "time_invalid": "Enter the time of the contact as a real time, for example 14:30",
            },
        ),
        "contact.occurred_at",
    )
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=ContactType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of contact",
            "invalid_choice": "Select the type of contact from the list",
        },
    )
    work = forms.ChoiceField(
        label="Was it direct or indirect work?",
        choices=WorkKind.choices,
        widget=forms.RadioSelect,
        initial=WorkKind.DIRECT,
        error_messages={
            "required": "Select whether the contact was direct or indirect work",
            "invalid_choice": "Select whether the contact was direct or indirect work from the list",
        },
    )
    child_seen = forms.BooleanField(label="The child was seen", required=False)
    child_seen_alone = forms.BooleanField(label="The child was seen alone", required=False)
    people_seen = forms.ModelMultipleChoiceField(
        label="Who else was seen?",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only people linked to the child are listed.",
        error_messages={
            "invalid_choice": "Choose only people linked to this child",
            "invalid_pk_value": "Choose only people linked to this child",
        },
    )
    note = forms.CharField(
        label="Note of the contact",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happened, in words the child and family can read later.",
        error_messages={"required": "Enter a note of the contact"},
    )

    def __init__(self, *args, family, episode=None, **kwargs):
        """family: the child's ChildPerson links; people seen are chosen among them. episode: the
        case the contact is on, whose dates it must fall within."""
        super().__init__(*args, **kwargs)
        self.episode = episode
        labels = {
            link.person_id: f"{link.person.full_name} ({link.get_relationship_display().lower()})"
            for link in family
        }
        field = self.fields["people_seen"]
        field.queryset = Person.objects.filter(pk__in=labels).order_by("last_name", "first_name")
        field.label_from_instance = lambda person: labels.get(person.pk, person.full_name)

    def date_context(self):
        return context_for(episode=self.episode)

    def clean(self):
        data = super().clean()
        if data.get("child_seen_alone") and not data.get("child_seen"):
            self.add_error(
                "child_seen_alone", "Tick 'The child was seen' as well, or untick 'The child was seen alone'"
            )
        return data


def dimension_choices() -> list:
    """Dimensions grouped under their Assessment Framework domain, as the Closure Record orders them."""
    return [("", "Choose an area")] + [
        (domain.label, [(d.value, d.label) for d in Dimension if DIMENSION_DOMAIN[d] == domain])
        for domain in Domain
    ]


class ActionForm(VersionedForm):
    plan = forms.ChoiceField(
        label="Which plan is this part of?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the plan this action is part of, or 'Not in a plan'",
            "invalid_choice": "Select one of the plans listed",
        },
    )
    dimension = forms.ChoiceField(
        label="Area of the child's needs",
        choices=dimension_choices,
        help_text="The dimension of the Assessment Framework this action addresses.",
        error_messages={
            "required": "Select the area of the child's needs this action addresses",
            "invalid_choice": "Select the area of the child's needs this action addresses from the list",
        },
    )
    parent = forms.ChoiceField(
        label="Whose parenting does it address?",
        choices=Parent.choices,
        widget=forms.RadioSelect,
        initial=Parent.BIRTH_FAMILY,
        help_text="For a looked-after child, the council is the corporate parent.",
        error_messages={
            "required": "Select whose parenting this action addresses",
            "invalid_choice": "Select whose parenting this action addresses from the list",
        },
    )
    description = forms.CharField(
        label="Action or service",
        max_length=LIMITS["cases.PlannedAction.description"],
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the action or service"},
    )
    responsible = forms.ChoiceField(
        label="Who was responsible for it?",
        choices=Responsible.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who was responsible for the action",
            "invalid_choice": "Select who was responsible for the action from the list",
        },
    )
    responsible_name = forms.CharField(
        label="Name of the person or service responsible (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    planned_level = forms.CharField(
        label="Planned level of service (optional)",
        required=False,
        max_length=200,
        help_text="For example, weekly for 12 weeks",
        error_messages={"max_length": "The planned level must be 200 characters or fewer"},
    )
    start_date = dated(
        GovukDateField(
            label="Start date (optional)",
            required=False,
            help_text="For example, 27 3 2026",
            error_messages=date_errors("the start date"),
        ),
        "action.start_date",
    )
    end_date = dated(
        GovukDateField(
            label="End date (optional)",
            required=False,
            help_text="For example, 30 6 2026",
            error_messages=date_errors("the end date"),
        ),
        "action.end_date",
    )
    actual_level = forms.CharField(
        label="Level of service actually received (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "The level received must be 200 characters or fewer"},
    )
    outcome = forms.CharField(
        label="Outcome (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    impact = forms.CharField(
        label="Impact of the unplanned service (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, plans, episode=None, **kwargs):
        """plans: the episode's plans, the only ones an action can belong to."""
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.plans = {str(plan.pk): plan for plan in plans}
        self.fields["plan"].choices = [
            (pk, f"{plan.get_kind_display()} from {date_format(plan.start_date, 'j F Y')}")
            for pk, plan in self.plans.items()
        ] + [(UNPLANNED, "Not in a plan (an unplanned service)")]

    def date_context(self):
        return context_for(episode=self.episode)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return data

    def service_fields(self) -> dict:
        data = super().service_fields()
        choice = data.pop("plan")
        data["plan"] = self.plans.get(choice)
        data["is_unplanned"] = choice == UNPLANNED
        return data


class PersonForm(VersionedForm):
    first_name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Enter their first name",
            "max_length": "The first name must be 100 characters or fewer",
        },
    )
    last_name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Enter their last name",
            "max_length": "The last name must be 100 characters or fewer",
        },
    )
    relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=[("", "Choose a relationship"), *Relationship.choices],
        error_messages={
            "required": "Select how they are related to the child",
            "invalid_choice": "Select how they are related to the child from the list",
        },
    )
    has_parental_responsibility = forms.BooleanField(label="Has parental responsibility", required=False)
    lives_with_child = forms.BooleanField(label="Lives with the child", required=False)
    may_share_contact_details = forms.BooleanField(
        label="Their contact details may be given in other family members' copies",
        required=False,
        help_text="Only when they agree, for example parents who live together. Otherwise copies for "
        "the child and other family members leave them out. Never given to someone who has harmed "
        "a member of the family.",
    )
    first_language = forms.CharField(
        max_length=60,
        initial="English",
        error_messages={
            "required": "Enter their first language",
            "max_length": "The language must be 60 characters or fewer",
        },
    )
    reads_english = forms.BooleanField(label="Speaks and reads English", required=False, initial=True)
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    address = forms.CharField(
        label="Address (optional)",
        required=False,
        max_length=LIMITS["cases.Person.address"],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"The address must be {LIMITS['cases.Person.address']:,} characters or fewer"
        },
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}
        ),
        error_messages={"max_length": "The phone number must be 40 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    contact_details_sensitive = forms.BooleanField(
        label="The address and contact details are sensitive",
        required=False,
        help_text="They are then left out of copies for people who must not see them, "
        "for example a domestic abuse victim's address.",
    )
    sensitivity_reason = forms.CharField(
        label="Why are they sensitive?",
        required=False,
        max_length=200,
        help_text="Needed when the details are sensitive.",
        error_messages={"max_length": "The reason must be 200 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("contact_details_sensitive") and not data.get("sensitivity_reason", "").strip():
            self.add_error("sensitivity_reason", "Enter why the address and contact details are sensitive")
        return data


class PlaceForm(GovukForm):
    kind = forms.ChoiceField(
        label="What kind of place is it?",
        choices=PlaceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of place it is"},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="As it is usually written, for example St Aidan's Primary.",
        error_messages={
            "required": "Enter the place's name",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    also_known_as = forms.CharField(
        label="Other names for it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How people write it, one a line: for example Nana's house, St Aidan's.",
    )
    address = forms.CharField(
        label="Address (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)
