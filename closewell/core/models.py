"""The shared base model: every row knows when it was created and last changed, and cleans its text."""

from django.core.exceptions import ValidationError
from django.db import models

from .text import clean_model_text


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

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
