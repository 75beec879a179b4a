from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "closewell.core"
