"""The Standard Safeguarding Dataset importer: a council's case-system extract into the case register."""

from django.apps import AppConfig


class SsdConfig(AppConfig):
    name = "closewell.ssd"
    label = "ssd"
    verbose_name = "Standard Safeguarding Dataset import"
