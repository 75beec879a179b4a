from django.urls import path

from . import views

app_name = "familyhelp"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover"),
    path("records/<int:pk>/add/", views.handover_add, name="add"),
]
