from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "closewell.documents"
    verbose_name = "Signatures and copies"
