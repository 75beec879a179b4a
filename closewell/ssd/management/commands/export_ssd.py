"""export_ssd: write the Standard Safeguarding Dataset tables Closewell holds (a folder of CSV files)."""

from django.core.management.base import BaseCommand, CommandError

from closewell.accounts.models import User
from closewell.ssd.exporter import export_extract


class Command(BaseCommand):
    help = (
        "Write the SSD tables Closewell holds (ssd_person.csv, ssd_cin_episodes.csv …) into a folder: the "
        "inverse of import_ssd, which reads the folder back changing nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The folder to write the CSV files into (created if need be).")
        parser.add_argument("--user", help="The username recorded in the audit trail as running it.")

    def handle(self, *args, path, user, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user}.")
        counts = export_extract(path, actor=actor)
        for table, count in counts.items():
            self.stdout.write(f"ssd_{table}.csv: {count} rows")
