"""generate_caseload: add an invented council's caseload for load testing (bulk inserts, no audit)."""

import time

from django.core.management.base import BaseCommand, CommandError

from closewell.demo.caseload import PRESETS, generate_caseload


class Command(BaseCommand):
    help = (
        "Add an invented council: N children (LA child IDs GEN0000001 upwards) with years of episodes, "
        "family, assessments, plans, actions and contacts, and the workers (15-25 open cases each, teams "
        "of 6-8) and managers (1-2 teams) who hold them. --preset average is 15,000 children (about 2,600 "
        "open), --preset large 100,000. Bulk inserts, no audit events: load-test data only. A second run "
        "adds more children after the last GEN ID."
    )

    def add_arguments(self, parser):
        size = parser.add_mutually_exclusive_group(required=True)
        size.add_argument("--children", type=int, help="How many children to add.")
        size.add_argument("--preset", choices=sorted(PRESETS), help="A council's size: average or large.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--batch", type=int, default=1000, help="Children written per transaction (default 1000)."
        )

    def handle(self, *args, children, preset, seed, batch, **options):
        children = PRESETS[preset] if preset else children
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
