"""Forms of the signatures and copies pages. They check what was typed; the services apply the rules."""

import base64
import binascii
import re

from django import forms

from closewell.cases.forms import date_errors
from closewell.core.date_rules import context_for, dated
from closewell.web.forms import GovukForm
from closewell.web.widgets import GovukDateField

from .models import CopyMethod, NotSignedReason, RecipientKind, SignatureMethod, WithholdReason
from .services import MAX_DRAWN_BYTES, MAX_SCAN_BYTES

DATA_URL_PREFIX = "data:image/png;base64,"


class SignatureForm(GovukForm):
    signer = forms.ChoiceField(
        label="Who is signing?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who is signing",
            "invalid_choice": "Select the child or one of their parents or carers",
        },
    )
    method = forms.ChoiceField(
        label="How did they sign?",
        choices=SignatureMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they signed, or that they did not sign"},
    )
    signed_on = dated(
        GovukDateField(
            label="Date",
            help_text="The day they signed, or were asked to. For example, 22 11 2026",
            error_messages=date_errors("the date"),
        ),
        "signature.signed_on",
    )
    image = forms.CharField(widget=forms.HiddenInput, required=False)
    scan = forms.FileField(
        label="Scan of the signed page",
        required=False,
        help_text="A PDF, JPG or PNG file, smaller than 10 MB.",
        widget=forms.FileInput(
            attrs={
                "class": "govuk-file-upload",
                "accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png",
            }
        ),
        error_messages={"empty": "The chosen file is empty"},
    )
    not_signed_reason = forms.ChoiceField(
        label="Why did they not sign?",
        choices=NotSignedReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    not_signed_detail = forms.CharField(
        label="More about why they did not sign (needed for 'Another reason')",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    comment = forms.CharField(
        label="Their comment (optional)",
        help_text="What they want to say about the record, in their own words. It is printed beside "
        "their signature on the record and on every copy.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, signers: list[tuple[str, str]], record=None, **kwargs):
        """signers: (value, label) of the child and each parent or carer still to sign."""
        super().__init__(*args, **kwargs)
        self.fields["signer"].choices = signers
        self.record = record

    def date_context(self):
        return context_for(record=self.record)

    def clean_image(self) -> bytes:
        text = self.cleaned_data.get("image") or ""
        if not text:
            return b""
        if not text.startswith(DATA_URL_PREFIX) or len(text) > MAX_DRAWN_BYTES * 4 // 3 + 100:
            raise forms.ValidationError("The signature could not be read: ask the person to sign again")
        try:
            return base64.b64decode(text[len(DATA_URL_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(
                "The signature could not be read: ask the person to sign again"
            ) from None

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and scan.size > MAX_SCAN_BYTES:
            raise forms.ValidationError("The scan must be smaller than 10 MB")
        return scan

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == SignatureMethod.DRAWN and not data.get("image") and "image" not in self.errors:
            self.add_error("method", "Ask the person to sign in the box, or choose another way")
        if method == SignatureMethod.PAPER and not data.get("scan") and "scan" not in self.errors:
            self.add_error("scan", "Choose the scan of the signed page")
        if method == SignatureMethod.NOT_SIGNED and not data.get("not_signed_reason"):
            self.add_error("not_signed_reason", "Select why they did not sign")
        if (
            method == SignatureMethod.NOT_SIGNED
            and data.get("not_signed_reason") == NotSignedReason.OTHER
            and not (data.get("not_signed_detail") or "").strip()
        ):
            self.add_error("not_signed_detail", "Say why they did not sign")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        method = data["method"]
        scan = data.get("scan")
        return {
            "signer": data["signer"],
            "method": method,
            "signed_on": data["signed_on"],
            "image": data.get("image", b"") if method == SignatureMethod.DRAWN else b"",
            "scan": scan.read() if scan and method == SignatureMethod.PAPER else b"",
            "scan_name": scan.name if scan and method == SignatureMethod.PAPER else "",
            "not_signed_reason": data.get("not_signed_reason", "")
            if method == SignatureMethod.NOT_SIGNED
            else "",
            "not_signed_detail": data.get("not_signed_detail", "")
            if method == SignatureMethod.NOT_SIGNED
            else "",
            "comment": data.get("comment", ""),
        }


class SignatureKeepForm(GovukForm):
    """Why an out-of-date signature still stands for the record as it says now."""

    reason = forms.CharField(
        label="Why does their signature still stand?",
        help_text="For example, a misspelt street name was put right; nothing they read and signed "
        "changed in meaning. If what they read changed, ask them to sign again instead.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why their signature still stands for the record as changed"},
    )


class FindingKeysField(forms.MultipleChoiceField):
    """Keys of the preview's findings (documents.disclosure.hit_key): the service checks they apply."""

    def valid_value(self, value) -> bool:
        return bool(re.fullmatch(r"[0-9a-f]{12}", str(value)))


class CopyForm(GovukForm):
    recipient = forms.ChoiceField(
        label="Who is the copy for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who the copy is for",
            "invalid_choice": "Select who the copy is for from the list",
        },
    )
    name = forms.CharField(
        label="Their name",
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    role = forms.CharField(
        label="Their role and organisation",
        required=False,
        max_length=200,
        help_text="For example, designated safeguarding lead, St Aidan's Primary",
        error_messages={"max_length": "The role must be 200 characters or fewer"},
    )
    given_on = dated(
        GovukDateField(
            label="Date given",
            help_text="For example, 22 11 2026",
            error_messages=date_errors("the date the copy was given"),
        ),
        "copy.given_on",
    )
    method = forms.ChoiceField(
        label="How was it given?",
        choices=CopyMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the copy was given"},
    )

    overrides = FindingKeysField(
        label="Show in this copy after all",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Look at the preview again: what you chose to show has changed"},
    )
    override_reason = forms.CharField(
        label="Why may this person be given what you chose to show?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A team manager reads this before releasing the copy.",
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )
    confirm_risk = forms.BooleanField(
        label="I have checked the preview: nothing in it could help this person find the child or "
        "anyone in the family",
        required=False,
    )

    def __init__(self, *args, family: list[dict], record=None, **kwargs):
        """family: the snapshot's family (the people on the record as authorised)."""
        super().__init__(*args, **kwargs)
        self.family = {str(p["person_id"]): p for p in family}
        self.record = record
        self.fields["recipient"].choices = [
            (RecipientKind.CHILD.value, "The child or young person"),
            *[(f"person:{p['person_id']}", recipient_label(p)) for p in family],
            (RecipientKind.PROFESSIONAL.value, "Another professional"),
            (RecipientKind.SUBJECT_ACCESS.value, "The young person as an adult (subject access request)"),
            (RecipientKind.FILE.value, "The record (the child's file)"),
        ]

    def is_perpetrator(self) -> bool:
        kind, _, person_id = (self.data.get("recipient") or "").partition(":")
        return kind == RecipientKind.PERSON and bool(self.family.get(person_id, {}).get("perpetrator"))

    def date_context(self):
        return context_for(record=self.record)

    def clean(self):
        data = super().clean()
        if data.get("recipient") == RecipientKind.PROFESSIONAL:
            if not (data.get("name") or "").strip():
                self.add_error("name", "Enter the professional's name")
            if not (data.get("role") or "").strip():
                self.add_error("role", "Enter the professional's role and organisation")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        recipient = data["recipient"]
        kind, _, person_id = recipient.partition(":")
        return {
            "recipient_kind": kind,
            "person_id": int(person_id) if person_id else None,
            "name": data.get("name", "") if kind == RecipientKind.PROFESSIONAL else "",
            "role": data.get("role", "") if kind == RecipientKind.PROFESSIONAL else "",
            "given_on": data["given_on"],
            "method": data["method"],
        }

    def override_fields(self) -> dict:
        return {
            "overrides": list(self.cleaned_data.get("overrides") or []),
            "override_reason": self.cleaned_data.get("override_reason", ""),
        }


def recipient_label(person: dict) -> str:
    """A family member as a copy's recipient; one who harmed a member of the family says so."""
    label = f"{person['name']} ({person['relationship'].lower()})"
    if person.get("perpetrator"):
        label += " — has harmed a member of the family: a restricted copy a team manager must release"
    return label


class WithholdingForm(GovukForm):
    text = forms.CharField(
        label="Words to withhold",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Copy them from the record. They are withheld wherever they appear, whatever the "
        "spacing or capitals.",
        error_messages={
            "required": "Enter the words to withhold",
            "max_length": "The passage must be 2,000 characters or fewer",
        },
    )
    recipients = forms.MultipleChoiceField(
        label="Withhold them from",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select whom to withhold the words from",
            "invalid_choice": "Select whom to withhold the words from, from the list",
        },
    )
    reason = forms.ChoiceField(
        label="The reason printed in their place",
        choices=WithholdReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason printed in their place"},
    )

    def __init__(self, *args, recipients: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = recipients
