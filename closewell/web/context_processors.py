"""Template context shared by every page: the council's and the service's names."""

from django.conf import settings


def service(request):
    return {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME}
