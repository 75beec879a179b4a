"""Pages for a Closure Record's signatures, its copies and its PDF (namespace 'documents')."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("records/<int:pk>/signatures/", views.signatures, name="signatures"),
    path(
        "records/<int:pk>/signatures/<int:signature_pk>/remove/",
        views.signature_remove,
        name="signature_remove",
    ),
    path(
        "records/<int:pk>/signatures/<int:signature_pk>/keep/",
        views.signature_keep,
        name="signature_keep",
    ),
    path(
        "records/<int:pk>/signatures/<int:signature_pk>/image.png",
        views.signature_image,
        name="signature_image",
    ),
    path("records/<int:pk>/copies/", views.copies, name="copies"),
    path("records/<int:pk>/copies/give/", views.copy_give, name="copy_give"),
    path("records/<int:pk>/copies/<int:copy_pk>.pdf", views.copy_download, name="copy_download"),
    path("records/<int:pk>/copies/<int:copy_pk>/release/", views.copy_release, name="copy_release"),
    path("records/<int:pk>/withholdings/", views.withholdings, name="withholdings"),
    path(
        "records/<int:pk>/withholdings/<int:withholding_pk>/remove/",
        views.withholding_remove,
        name="withholding_remove",
    ),
    path("records/<int:pk>/record.pdf", views.record_pdf, name="record_pdf"),
]
