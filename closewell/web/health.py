"""GET /healthz: says whether the database answered, for load balancers and monitoring.
GET /healthz?worker=1 adds the background worker's last heartbeat and the tasks waiting (503 when
the heartbeat is older than WORKER_STALE_SECONDS), for the monitoring of the worker processes."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from closewell.jobs.health import worker_health


@login_not_required
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    if request.GET.get("worker"):
        worker = worker_health()
        body = {"status": "ok" if worker.ok else "unavailable", "database": "ok", "worker": worker.as_dict()}
        return JsonResponse(body, status=200 if worker.ok else 503)
    return JsonResponse({"status": "ok", "database": "ok"})
