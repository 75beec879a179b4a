"""The shared base model: every row knows when it was created and last changed."""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A row edited through forms: the version a form was opened at must still be current on save,
    so that two people editing the same thing never silently overwrite each other."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
