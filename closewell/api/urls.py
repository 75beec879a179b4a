"""/api/v1: one module per resource. Every view authenticates by token, so the pages' login
redirect (LoginRequiredMiddleware) is switched off for them; the schema alone needs no token."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularJSONAPIView

from . import children, closures, contacts, copies, episodes, handovers, people

app_name = "api"


class SchemaView(SpectacularJSONAPIView):
    authentication_classes = []
    permission_classes = []


@csrf_exempt
@login_not_required
def not_found(request, rest=""):
    """Anything else under /api/v1 is a 404 in the API's error shape, not the HTML page."""
    return JsonResponse({"errors": {"detail": ["Not found."]}}, status=404)


def api(view):
    return login_not_required(view.as_view())


urlpatterns = [
    path("openapi.json", login_not_required(SchemaView.as_view()), name="schema"),
    path("children/", api(children.ChildList), name="children"),
    path("children/<int:pk>/", api(children.ChildDetail), name="child"),
    path("children/<int:pk>/people/", api(people.ChildPeople), name="child-people"),
    path("children/<int:pk>/domestic-abuse/", api(people.ChildDomesticAbuse), name="child-domestic-abuse"),
    path("disclosure-profiles/", api(copies.DisclosureProfiles), name="disclosure-profiles"),
    path("episodes/", api(episodes.EpisodeList), name="episodes"),
    path("episodes/<int:pk>/", api(episodes.EpisodeDetail), name="episode"),
    path("episodes/<int:pk>/plans/", api(episodes.EpisodePlans), name="episode-plans"),
    path("episodes/<int:pk>/contacts/", api(contacts.EpisodeContacts), name="episode-contacts"),
    path("contacts/<int:pk>/", api(contacts.ContactDetail), name="contact"),
    path("closure-records/", api(closures.RecordList), name="records"),
    path("closure-records/<int:pk>/", api(closures.RecordDetail), name="record"),
    path(
        "closure-records/<int:pk>/sections/<str:section>/", api(closures.RecordSection), name="record-section"
    ),
    path(
        "closure-records/<int:pk>/comments/<int:comment_pk>/",
        api(closures.RecordComment),
        name="record-comment",
    ),
    path("closure-records/<int:pk>/submit/", api(closures.RecordSubmit), name="record-submit"),
    path("closure-records/<int:pk>/return/", api(closures.RecordReturn), name="record-return"),
    path("closure-records/<int:pk>/authorise/", api(closures.RecordAuthorise), name="record-authorise"),
    path("closure-records/<int:pk>/copies/", api(copies.RecordCopies), name="record-copies"),
    path("closure-records/<int:pk>/copies/preview/", api(copies.CopyPreview), name="record-copy-preview"),
    path("closure-records/<int:pk>/copies/<int:copy_pk>/pdf/", api(copies.CopyDownload), name="copy-pdf"),
    path(
        "closure-records/<int:pk>/copies/<int:copy_pk>/release/", api(copies.CopyRelease), name="copy-release"
    ),
    path("handovers/", api(handovers.HandoverList), name="handovers"),
    path("handovers/<int:pk>/", api(handovers.HandoverDetail), name="handover"),
    path("handovers/<int:pk>/acknowledge/", api(handovers.HandoverAcknowledge), name="handover-acknowledge"),
    re_path(r"^(?P<rest>[\s\S]*)$", not_found),  # any path, line breaks included
]
