"""GOV.UK form rendering through Django's own form renderer.

One field template (govuk/forms/field.html) renders every widget the GOV.UK way; one include
(govuk/includes/error_summary.html) lists a form's errors. Forms of the pages inherit GovukForm.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.formats import date_format

from closewell.core.errors import DomainError

from .widgets import GovukDateWidget

# GOV.UK class of each widget type (BoundField.widget_type).
WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "number": "govuk-input",
    "password": "govuk-input",
    "url": "govuk-input",
    "search": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
}


class GovukFormRenderer(DjangoTemplates):
    """Renders every form and field with the GOV.UK templates in closewell/web/templates.

    Built on Django's own template engine for forms, so Django's widget templates (used by the
    admin) are found beside ours without 'django.forms' in INSTALLED_APPS.
    """

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class GovukBoundField(BoundField):
    """Adds the GOV.UK classes, error state and the id the error summary links to."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        base = WIDGET_CLASSES.get(self.widget_type)
        if base:
            classes = [base, widget.attrs.get("class", ""), attrs.get("class", "")]
            if self.errors:
                classes.append(f"{base}--error")
            attrs["class"] = " ".join(c for c in classes if c)
        if isinstance(widget, GovukDateWidget) and self.errors:
            attrs["data-govuk-error"] = "1"
        return attrs

    @property
    def anchor(self) -> str:
        """The id of the first input of this field: where the error summary's link goes."""
        if self.widget_type in ("radioselect", "checkboxselectmultiple"):
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    @property
    def describedby(self) -> str:
        return self.aria_describedby or ""


class GovukFormMixin:
    """GOV.UK markup, no browser validation (GOV.UK shows its own errors), one error summary."""

    bound_field_class = GovukBoundField
    use_required_attribute = False
    # Where an error on a hidden field (such as a stale version) links to; "" for no link.
    hidden_error_anchor = ""
    # Where an error about the whole form links to; "" for no link.
    non_field_error_anchor = ""

    def add_domain_error(self, error: DomainError | ValidationError) -> None:
        """Put a service's refusal on the field it names, or on the form when there is no such field."""
        if isinstance(error, DomainError):
            self.add_error(error.field if error.field in self.fields else None, error.message)
            return
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)

    def error_list(self) -> list[tuple[str, str]]:
        """(message, anchor) for the error summary, in the order of the fields on the page."""
        items = []
        for message in self.non_field_errors():
            items.append((message, self.non_field_error_anchor))
        for name in self.fields:
            bound = self[name]
            anchor = self.hidden_error_anchor if bound.is_hidden else bound.anchor
            for message in bound.errors:
                items.append((message, anchor))
        return items


class GovukForm(GovukFormMixin, forms.Form):
    """A page form."""


def display_value(field: forms.Field, value) -> str:
    """A saved value as its form shows it: choice labels, dates in words, Yes or No."""
    if value in (None, "", []):
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(field.label_from_instance(p) for p in field.queryset.filter(pk__in=value))
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        return str(labels.get(str(value), value))
    return str(value)


class VersionedForm(GovukForm):
    """A form that edits something saved, carrying the version it was opened at so that a save from
    a stale page is refused (no lost update). Case forms and Closure Record sections both inherit it;
    web/editing.py's versioned_edit() is the one flow that shows them."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "Reload the page and make your change again"},
    )
    # A stale save links to the panel showing what is saved now (web/_saved_now.html).
    hidden_error_anchor = "saved-now"

    def service_fields(self) -> dict:
        """The cleaned fields for the service, with the version when the form has one."""
        data = dict(self.cleaned_data)
        if data.get("version") is None:
            data.pop("version", None)
        return data

    def saved_values(self, current: dict) -> list[tuple[str, str]]:
        """What is saved now, label by label, to show beside what the user typed."""
        return [
            (getattr(field, "long_label", field.label), display_value(field, current.get(name)))
            for name, field in self.fields.items()
            if name != "version"
        ]
