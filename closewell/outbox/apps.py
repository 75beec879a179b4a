"""The outbox: every email the product sends, written with the change it tells of, sent by a task."""

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "closewell.outbox"
    label = "outbox"
    verbose_name = "Emails"
