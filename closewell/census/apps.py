from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "closewell.census"
    verbose_name = "CIN census"
