"""Draft: the unsaved fields of one form (one page) for one user. Not the record: never read by
anyone else, never changes the record or its version, and gone once the form is saved or a day has
passed."""

from django.conf import settings
from django.db import models

from closewell.core.models import TimeStampedModel


class DraftSource(models.TextChoices):
    AUTOSAVE = "autosave", "Saved while typing"
    EXPIRED_POST = "expired_post", "Sent after the session ended"


class Draft(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    # The page the form is on (its path): a draft belongs to one form of one page.
    path = models.CharField(max_length=300)
    # The form's fields as posted: {name: [value, ...]} (passwords, files and the CSRF token left out).
    data = models.JSONField(default=dict)
    source = models.CharField(max_length=20, choices=DraftSource.choices, default=DraftSource.AUTOSAVE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="one_draft_per_user_and_page")]

    def __str__(self) -> str:
        return f"Draft of {self.path}"
