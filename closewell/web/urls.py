"""Page URLs. The case pages are in the 'cases' namespace (Child.get_absolute_url uses cases:child)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

case_patterns = [
    path("cases/", views.my_cases, name="my_cases"),
    path("team/", views.team_cases, name="team_cases"),
    path("search/", views.search, name="search"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("children/<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("children/<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("children/<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("children/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("children/<int:pk>/people/add/", views.person_add, name="person_add"),
    path("children/<int:pk>/people/<int:person_pk>/", views.person_edit, name="person_edit"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("favicon.ico", login_not_required(RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg"))),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("", include((case_patterns, "cases"))),
]
