"""The service's own URLs: start page, sign in and out, accessibility; case pages from closewell.cases."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg")),
        name="favicon",
    ),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("overview/", views.overview, name="overview"),
    path("", include("closewell.cases.urls")),
]
