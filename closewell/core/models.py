"""The shared base model: every row knows when it was created and last changed, and cleans its text."""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from .text import clean_model_text


@cache
def _labels(field: models.Field) -> dict:
    """A field's choices as a dictionary of labels, made once a process (a field's choices are fixed)."""
    return dict(make_hashable(field.flatchoices))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """get_FOO_display(), as Django's, without making the field's dictionary of labels again on
        every call (a case page asks for about sixty). A label still follows the active language."""
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)

    def clean_fields(self, exclude=None):
        """Every service calls full_clean() before saving, so typed text is cleaned and its limits
        kept here (closewell.core.text), whether it came from a page, the API or an import."""
        errors = {
            name: messages
            for name, messages in clean_model_text(self).items()
            if not exclude or name not in exclude
        }
        try:
            super().clean_fields(exclude=[*(exclude or []), *errors])
        except ValidationError as error:
            errors = {**error.message_dict, **errors}
        if errors:
            raise ValidationError(errors)


class VersionedModel(TimeStampedModel):
    """A row edited through forms: the version a form was opened at must still be current on save,
    so that two people editing the same thing never silently overwrite each other."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
