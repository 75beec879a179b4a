"""Two-factor sign-in pages (mounted at /two-factor/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("setup/", views.setup, name="two_factor_setup"),
    path("", views.verify, name="two_factor_verify"),
]
