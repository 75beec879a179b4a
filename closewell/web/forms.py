"""GOV.UK form rendering through Django's own form renderer."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with the GOV.UK templates in closewell/web/templates."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
