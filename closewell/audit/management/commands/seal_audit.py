"""seal_audit: chain the audit events written since the last seal; --every N keeps doing so."""

import time

from django.core.management.base import BaseCommand

from closewell.audit.services import seal_pending


class Command(BaseCommand):
    help = (
        "Seal pending audit events into the hash chain (run from a scheduler, or with --every as a process)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, help="seconds between seals; 0 seals once and exits"
        )

    def handle(self, *args, **options):
        while True:
            sealed = seal_pending(wait=True)
            if options["verbosity"] > 1 or not options["every"]:
                self.stdout.write(f"Sealed {sealed} audit events.")
            if not options["every"]:
                return
            time.sleep(options["every"])
