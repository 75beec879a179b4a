from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "closewell.reports"
    verbose_name = "Reports"
