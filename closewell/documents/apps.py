from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "closewell.documents"
    verbose_name = "Signatures and copies"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
