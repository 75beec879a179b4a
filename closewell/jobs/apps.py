"""Background work: the worker and its heartbeat, the scheduler, exports and imports started from pages."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "closewell.jobs"
    label = "jobs"
    verbose_name = "Background work"
