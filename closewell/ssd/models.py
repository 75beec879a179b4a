"""ImportRun: one committed import of an SSD extract, with what it created and changed."""

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """A successful import. Failed and dry runs change nothing, so they leave no row (their report is
    a file); this row is what the run's single audit event points at."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    source = models.CharField("extract folder", max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows_read = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, help_text="Per model: created, updated and unchanged rows.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"SSD import of {self.source} at {self.started_at:%d %B %Y %H:%M}"
