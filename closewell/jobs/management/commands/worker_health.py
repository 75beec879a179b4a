"""worker_health: exit 0 when a worker ran the heartbeat recently, 1 otherwise (for monitoring)."""

import json

from django.core.management.base import BaseCommand

from closewell.jobs.health import worker_health


class Command(BaseCommand):
    help = "Print the worker's last heartbeat and the tasks waiting; exit 1 when it is too old."

    def handle(self, *args, **options):
        health = worker_health()
        self.stdout.write(json.dumps(health.as_dict(), indent=2))
        if not health.ok:
            raise SystemExit(1)
