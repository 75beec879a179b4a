"""run_worker: run the tasks of the queue TASK_QUEUE names (emails, exports, imports)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run background tasks: on the database queue (TASK_QUEUE=database, the default) django-tasks' "
        "db_worker; on Redis (TASK_QUEUE=redis) an RQ worker with its scheduler (for retries set for later)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Run what is waiting, then stop.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at an empty database queue."
        )

    def handle(self, *args, burst, interval, **options):
        verbosity = options["verbosity"]
        if settings.TASK_QUEUE == "redis":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",  # runs the task as django-tasks defines it
                with_scheduler=True,
                burst=burst,
                verbosity=verbosity,
            )
        else:
            call_command(
                "db_worker",
                queue_name="default",
                interval=interval,
                batch=burst,
                reload=False,
                verbosity=verbosity,
            )
