"""The case pages' URLs, in the 'cases' namespace (Child.get_absolute_url uses cases:child)."""

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.my_cases, name="my_cases"),
    path("team/", views.team_cases, name="team_cases"),
    path("search/", views.search, name="search"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("children/<int:pk>/episodes/<int:episode_pk>/contacts/", views.contacts, name="episode_contacts"),
    path("children/<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("children/<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("children/<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("children/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("children/<int:pk>/people/add/", views.person_add, name="person_add"),
    path("children/<int:pk>/people/<int:person_pk>/", views.person_edit, name="person_edit"),
    path("children/<int:pk>/places/add/", views.place_add, name="place_add"),
    path("children/<int:pk>/places/<int:place_pk>/remove/", views.place_remove, name="place_remove"),
]
