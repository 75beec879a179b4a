"""The drafts app: what a worker typed but has not saved, kept for them alone until they save it."""

from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "closewell.drafts"
    label = "drafts"
    verbose_name = "Drafts"
