"""The security app: middleware for faults and headers, two-factor pages, and the tests that prove them."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "closewell.security"
    label = "security"
    verbose_name = "Security"
