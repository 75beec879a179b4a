"""Closure Record pages (namespace 'closures'; ClosureRecord.get_absolute_url uses closures:record)."""

from django.urls import path

from . import views

app_name = "closures"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("start/<int:episode_pk>/", views.start, name="start"),
    path("<int:pk>/", views.record_detail, name="record"),
    path("<int:pk>/section/<str:section>/", views.section_edit, name="section"),
    path("<int:pk>/comments/<int:comment_pk>/", views.comment, name="comment"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/authorise/", views.authorise, name="authorise"),
    path("<int:pk>/authorised/", views.authorised, name="authorised"),
    path("<int:pk>/addendum/", views.addendum, name="addendum"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/history/", views.history, name="history"),
]
