"""verify_audit: exit 0 when the audit chain is intact, 1 naming the first broken event."""

import sys

from django.core.management.base import BaseCommand

from closewell.audit.models import AuditEvent
from closewell.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check the hash chain of the audit trail."

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is not None:
            self.stderr.write(f"Audit chain broken at event {broken.pk} ({broken.at:%Y-%m-%d %H:%M:%S}).")
            sys.exit(1)
        self.stdout.write(f"Audit chain intact: {AuditEvent.objects.count()} events.")
