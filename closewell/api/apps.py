"""The JSON API for the council's other systems: /api/v1, token authenticated."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "closewell.api"
    label = "api"
    verbose_name = "API"
