"""run_scheduler: the one process that queues the periodic tasks (run exactly one of it)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from closewell.jobs.services import jobs_prune, worker_heartbeat
from closewell.outbox.services import outbox_sweep

SWEEP_SECONDS = 300
PRUNE_SECONDS = 24 * 60 * 60


class Command(BaseCommand):
    help = (
        "Queue the periodic tasks: the worker's heartbeat every WORKER_HEARTBEAT_SECONDS, emails whose "
        "task was lost every 5 minutes, old job files deleted daily. Run one, beside the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do each thing once, then stop.")

    def handle(self, *args, once, **options):
        due = {"heartbeat": 0.0, "sweep": 0.0, "prune": 0.0}
        every = {
            "heartbeat": settings.WORKER_HEARTBEAT_SECONDS,
            "sweep": SWEEP_SECONDS,
            "prune": PRUNE_SECONDS,
        }
        while True:
            now = time.monotonic()
            for name, at in due.items():
                if now >= at:
                    self.run(name)
                    due[name] = now + every[name]
            if once:
                return
            time.sleep(max(1.0, min(due.values()) - time.monotonic()))
            close_old_connections()  # as a request would: a long-lived process reconnects when it must

    def run(self, name: str) -> None:
        if name == "heartbeat":
            worker_heartbeat.enqueue()
        elif name == "sweep":
            count = outbox_sweep()
            if count:
                self.stdout.write(f"Queued {count} email(s) again.")
        elif name == "prune":
            count = jobs_prune()
            if count:
                self.stdout.write(f"Deleted the files of {count} old job(s).")
