"""/drafts/: the session keep-alive and the drafts of forms."""

from django.urls import path

from . import views

app_name = "drafts"
urlpatterns = [
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("save/", views.save, name="save"),
    path("discard/", views.discard, name="discard"),
]
