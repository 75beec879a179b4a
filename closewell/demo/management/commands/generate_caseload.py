"""generate_caseload: add many synthetic children for load testing (bulk inserts, no audit)."""

import time

from django.core.management.base import BaseCommand, CommandError

from closewell.demo.caseload import generate_caseload


class Command(BaseCommand):
    help = (
        "Add N synthetic children (LA child IDs GEN0000001 upwards) with episodes, family, an "
        "assessment, a plan with actions and about 20 contacts each. Bulk inserts, no audit "
        "events: load-test data only. A second run adds more children after the last GEN ID."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True, help="How many children to add.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--batch", type=int, default=1000, help="Children written per transaction (default 1000)."
        )

    def handle(self, *args, children, seed, batch, **options):
        if children < 1:
            raise CommandError("--children must be at least 1.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        started = time.monotonic()
        totals = generate_caseload(
            children=children,
            seed=seed,
            batch_children=batch,
            progress=lambda line: self.stderr.write(f"  {line} ({time.monotonic() - started:.0f}s)"),
        )
        seconds = time.monotonic() - started
        rows = sum(totals.values())
        for name, count in totals.items():
            self.stdout.write(f"{name:>15}: {count}")
        self.stdout.write(
            f"Wrote {rows} rows in {seconds:.1f}s ({rows / seconds:,.0f} rows/s; "
            f"{totals['contacts'] / seconds:,.0f} contacts/s)."
        )
