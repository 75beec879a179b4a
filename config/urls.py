"""URL map: the pages, the admin and the health check."""

from django.contrib import admin
from django.urls import include, path

from closewell.web.health import healthz

handler404 = "closewell.web.views.page_not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("closewell.api.urls")),
    path("documents/", include("closewell.documents.urls")),
    path("closures/", include("closewell.closures.urls")),
    path("census/", include("closewell.census.urls")),
    path("reports/", include("closewell.reports.urls")),
    path("family-help/", include("closewell.familyhelp.urls")),
    path("jobs/", include("closewell.jobs.urls")),
    path("two-factor/", include("closewell.security.urls")),
    path("sso/", include("closewell.security.sso_urls")),
    path("drafts/", include("closewell.drafts.urls")),
    path("", include("closewell.web.urls")),
]
