"""Demo and generated data: invented people for trying, testing and measuring Closewell. Not domain code."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "closewell.demo"
    verbose_name = "Demo data"
