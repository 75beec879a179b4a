from django.apps import AppConfig


class FamilyHelpConfig(AppConfig):
    name = "closewell.familyhelp"
    verbose_name = "Family Help"
