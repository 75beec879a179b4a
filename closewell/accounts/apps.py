from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "closewell.accounts"
    verbose_name = "People and teams"
