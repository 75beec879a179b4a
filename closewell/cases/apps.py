from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "closewell.cases"
