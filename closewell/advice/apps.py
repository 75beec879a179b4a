from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "closewell.advice"
    verbose_name = "Writing advice"
