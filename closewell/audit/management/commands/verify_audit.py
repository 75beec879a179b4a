"""verify_audit: seal what is pending, then exit 0 if the trail is intact, 1 naming the first broken event."""

import sys

from django.core.management.base import BaseCommand

from closewell.audit.services import ChainBroken, seal_pending, verify_chain


class Command(BaseCommand):
    help = "Check the audit trail: every event's digest and the hash chain of seals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-seal", action="store_true", help="check as it stands, without sealing pending events first"
        )

    def handle(self, *args, **options):
        if not options["no_seal"]:
            seal_pending(wait=True)
        try:
            sealed, pending = verify_chain()
        except ChainBroken as broken:
            self.stderr.write(f"Audit chain broken: {broken}")
            sys.exit(1)
        self.stdout.write(f"Audit chain intact: {sealed + pending} events ({pending} not yet sealed).")
