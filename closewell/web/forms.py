"""GOV.UK form rendering through Django's own form renderer.

One field template (govuk/forms/field.html) renders every widget the GOV.UK way; one include
(govuk/includes/error_summary.html) lists a form's errors. Forms of the pages inherit GovukForm.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.formats import date_format

from closewell.core import date_rules
from closewell.core.errors import DomainError
from closewell.core.text import TEXT_MAX, clean_text, too_long_message
from closewell.drafts.current import current_draft

from .widgets import GovukDateWidget

# The widgets of text a person types: they get the free-text limit and cleaning (closewell.core.text).
TYPED = (forms.TextInput, forms.Textarea, forms.EmailInput, forms.URLInput)

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

    def get_initial_for_field(self, field, field_name):
        """An unbound form on a page with the user's kept draft (closewell.drafts) starts from what
        they typed and had not saved, field by field, instead of what is saved."""
        draft = current_draft()
        name = self.add_prefix(field_name)
        if (
            draft is not None
            and not self.is_bound
            and not field.widget.value_omitted_from_data(draft, {}, name)
        ):
            return field.widget.value_from_datadict(draft, {}, name)
        return super().get_initial_for_field(field, field_name)

    def date_context(self) -> date_rules.DateContext:
        """What this form's dates are checked against; forms that know the case override it."""
        return date_rules.context_for()

    def clean(self):
        """Every date field with a rule (date_rules.dated) is checked against it, so a date that
        makes no sense is refused with the other errors of the page."""
        data = super().clean()
        context = None
        for name, field in self.fields.items():
            rule = getattr(field, "date_rule", None)
            if not rule or name in self.errors or data.get(name) in (None, ""):
                continue
            context = context or self.date_context()
            message = date_rules.check(rule, data[name], context, **getattr(field, "date_names", {}))
            if message:
                self.add_error(name, message)
        return data

    def full_clean(self):
        """Every text box has a limit (closewell.core.text) and its text is cleaned of bidi overrides
        and invisible control characters, on every form, fields added after __init__ included."""
        for name, field in self.fields.items():
            # Text a person types (not hidden data such as a drawn signature, nor a password).
            if not isinstance(field, forms.CharField) or not isinstance(field.widget, TYPED):
                continue
            if field.max_length is None:
                field.max_length = TEXT_MAX
                field.validators.append(MaxLengthValidator(TEXT_MAX))
            if "max_length" not in field.error_messages:
                field.error_messages["max_length"] = too_long_message(
                    self.error_name(name, field), field.max_length
                )
        super().full_clean()

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str) and name in self.fields and isinstance(self.fields[name].widget, TYPED):
                self.cleaned_data[name] = clean_text(value)

    def error_name(self, name: str, field: forms.Field) -> str:
        """What a message calls a field: its error_name, long label, or label unless that is a question."""
        if getattr(field, "error_name", ""):
            return field.error_name
        label = str(getattr(field, "long_label", "") or field.label or name.replace("_", " ").capitalize())
        return f"Your answer to “{label}”" if label.endswith("?") else label

    def add_domain_error(self, error: DomainError | ValidationError) -> None:
        """Put a service's refusal on the field it names, or on the form when there is no such field."""
        if isinstance(error, DomainError):
            for field, message in (error.errors or {None: error.message}).items():
                self.add_error(field if field in self.fields else None, message)
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
