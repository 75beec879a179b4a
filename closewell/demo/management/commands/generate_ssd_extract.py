"""generate_ssd_extract: write an invented SSD extract, for trying and measuring the import."""

from django.core.management.base import BaseCommand

from closewell.demo.ssd_extract import generate_extract


class Command(BaseCommand):
    help = "Write an invented SSD extract (every table, every column) to a folder. No real data."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--children", type=int, default=12)
        parser.add_argument("--visits", type=int, default=4, help="Statutory visits per child.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, path, children, visits, seed, **options):
        generate_extract(path, children=children, visits=visits, seed=seed)
        self.stdout.write(f"Wrote an extract of {children} children to {path}.")
