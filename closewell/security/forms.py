"""The two-factor code form: six digits from the authenticator app."""

from django import forms

from closewell.web.forms import GovukForm


class CodeForm(GovukForm):
    non_field_error_anchor = "id_code"
    code = forms.RegexField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your authenticator app shows now.",
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "invalid": "Enter the code as 6 digits, like 123456",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class EnrolmentCodeForm(GovukForm):
    non_field_error_anchor = "id_enrolment_code"
    enrolment_code = forms.CharField(
        label="Enrolment code",
        help_text="The 12-character code an administrator gave you, like ABCD-EFGH-JKMN.",
        max_length=40,
        error_messages={"required": "Enter the enrolment code an administrator gave you"},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}
        ),
    )
