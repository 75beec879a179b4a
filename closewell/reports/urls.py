"""Report pages (mounted at /reports/)."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>.csv", views.figure_csv, name="csv"),
]
