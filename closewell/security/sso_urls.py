"""Single sign-on (mounted at /sso/): off to the council's identity provider, and back."""

from django.urls import path

from . import views

urlpatterns = [
    path("start/", views.SsoStart.as_view(), name="sso_start"),
    path("callback/", views.sso_callback, name="oidc_authentication_callback"),
]
