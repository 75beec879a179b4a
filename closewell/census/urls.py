"""Census pages (mounted at /census/)."""

from django.urls import path

from . import views

app_name = "census"
urlpatterns = [
    path("quality/", views.quality, name="quality"),
    path("download/", views.download, name="download"),
]
