"""The worker's health: when it last ran the heartbeat task, and how many tasks wait in the queue."""

from dataclasses import asdict, dataclass

import django_rq
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import Heartbeat


@dataclass
class WorkerHealth:
    queue: str
    waiting: int | None  # tasks queued and due; None when the queue cannot be asked
    last_heartbeat: str | None
    seconds_since: int | None
    ok: bool
    problem: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def queue_depth() -> int:
    """Tasks waiting in the queue now (due, not yet started)."""
    if settings.TASK_QUEUE == "redis":
        return django_rq.get_queue("default").count
    return DBTaskResult.objects.ready().count()


def worker_health() -> WorkerHealth:
    """Healthy when a worker ran the heartbeat within WORKER_STALE_SECONDS (the scheduler queues one
    every WORKER_HEARTBEAT_SECONDS): no worker, a stuck one, a dead scheduler or an unreachable queue
    all show as a heartbeat too old."""
    beat = Heartbeat.objects.filter(pk=1).first()
    try:
        waiting, problem = queue_depth(), ""
    except Exception as error:  # noqa: BLE001 (any failure to reach the queue is the answer)
        waiting, problem = None, f"The queue did not answer: {error}"
    if beat is None:
        return WorkerHealth(
            settings.TASK_QUEUE, waiting, None, None, False, problem or "No worker has run yet."
        )
    age = int((timezone.now() - beat.at).total_seconds())
    stale = age > settings.WORKER_STALE_SECONDS
    if stale and not problem:
        problem = f"The last heartbeat was {age} seconds ago (more than {settings.WORKER_STALE_SECONDS})."
    return WorkerHealth(
        settings.TASK_QUEUE, waiting, beat.at.isoformat(), age, not stale and waiting is not None, problem
    )
