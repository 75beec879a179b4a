"""Background work's pages (mounted at /jobs/)."""

from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.index, name="index"),
    path("census-export/", views.census_export, name="census_export"),
    path("ssd-import/", views.ssd_import, name="ssd_import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file/", views.download, name="download"),
]
