"""The handover section's form (a SectionForm, as every section of the Closure Record) and the lead
practitioner's answer."""

from django import forms

from closewell.accounts.models import Role, User
from closewell.closures.forms import SectionForm, as_bool, as_choice, optional_date, text, textarea
from closewell.closures.models import ClosureRecord
from closewell.web.forms import GovukForm

from .content import handover_of
from .models import Acknowledgement, Handover


def lead_practitioners():
    return User.objects.filter(role=Role.LEAD_PRACTITIONER, is_active=True).order_by(
        "last_name", "first_name"
    )


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        name = user.get_full_name() or user.username
        return f"{name} ({user.organisation})" if user.organisation else name


class HandoverForm(SectionForm):
    """One handover per record: its fields are the Handover row's (the section's `rows`)."""

    lead_practitioner = LeadChoiceField(
        label="Who is the Family Help lead practitioner?",
        help_text="The person who takes on the family's support. If they are not listed, ask an "
        "administrator to add them.",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a lead practitioner",
        error_messages={"invalid_choice": "Choose a Family Help lead practitioner from the list"},
    )
    lead_contact = text(
        "How can the family and others reach them?",
        "A work telephone number or email address",
        300,
    )
    consent_given = forms.ChoiceField(
        label="Did the family agree to share information with the lead practitioner?",
        choices=[("yes", "Yes"), ("no", "No")],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select yes if the family agreed to share information"},
    )
    consent_by = text("Who gave consent?", "For example, Jess Hale (mother) and Ruby Hale", 200)
    consent_date = optional_date(
        "When did they agree?", "the date the family agreed to share information", "handover.consent_date"
    )
    consent_scope = textarea(
        "What did the family agree to share?",
        "What the lead practitioner may be told, and anything the family asked to keep back.",
        rows=4,
    )
    continuing_support = textarea(
        "What support continues, and who provides it?",
        "For example, weekly sessions with the school's family support worker until the summer.",
        rows=5,
    )
    outstanding_actions = textarea(
        "What is still to do?", "Actions not finished, and who will do each.", rows=5
    )
    signs_to_watch = textarea(
        "What signs would mean the family needs more help again, and what should happen then?",
        "Describe what someone would see or hear, and who to call. Anyone reading this if the family "
        "is referred again will see it first.",
        rows=6,
        name="Signs to watch for",
    )
    summary = textarea(
        "Summary for the lead practitioner",
        "A short summary written for someone outside children's social care: plain words, no "
        "abbreviations, people by their names.",
        rows=8,
    )

    def add_fields(self) -> None:
        self.fields["lead_practitioner"].queryset = lead_practitioners()

    @classmethod
    def initial_for(cls, record: ClosureRecord) -> dict:
        handover = handover_of(record) or Handover(record=record)
        initial = {"version": record.version}
        for name in cls.base_fields:
            if name != "version":
                initial[name] = getattr(handover, name)
        initial["lead_practitioner"] = handover.lead_practitioner_id
        initial["consent_given"] = as_choice(handover.consent_given)
        return initial

    def service_data(self) -> dict:
        """{record id: the row's fields}: the section's one row is the record's handover."""
        values = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        lead = values["lead_practitioner"]
        values["lead_practitioner"] = lead.pk if lead else None
        values["consent_given"] = as_bool(values["consent_given"])
        return {self.record.pk: values}


class AcknowledgeForm(GovukForm):
    """The lead practitioner's answer: they take it on, or say why they cannot."""

    answer = forms.ChoiceField(
        label="Can you take on this family's support?",
        choices=[
            (Acknowledgement.ACCEPTED, "Yes, I accept the handover"),
            (Acknowledgement.DECLINED, "No, I cannot take it on"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if you accept the handover",
            "invalid_choice": "Select yes if you accept the handover",
        },
    )
    declined_reason = forms.CharField(
        label="Why can you not take it on?",
        help_text="The closing team will see this and find the family another lead practitioner.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("answer") == Acknowledgement.DECLINED
            and not (cleaned.get("declined_reason") or "").strip()
        ):
            self.add_error("declined_reason", "Say why you cannot take on the family's support")
        return cleaned
