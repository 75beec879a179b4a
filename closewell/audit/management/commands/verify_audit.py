"""verify_audit: exit 0 when the audit chain is intact, 1 naming the first broken event."""

import sys

from django.core.management.base import BaseCommand

from closewell.audit.services import ChainBroken, verify_chain


class Command(BaseCommand):
    help = "Check the hash chain of the audit trail."

    def handle(self, *args, **options):
        try:
            count = verify_chain()
        except ChainBroken as broken:
            self.stderr.write(f"Audit chain broken: {broken}")
            sys.exit(1)
        self.stdout.write(f"Audit chain intact: {count} events.")
