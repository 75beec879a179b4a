from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "closewell.audit"
    verbose_name = "Audit trail"
