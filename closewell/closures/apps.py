from django.apps import AppConfig


class ClosuresConfig(AppConfig):
    name = "closewell.closures"
