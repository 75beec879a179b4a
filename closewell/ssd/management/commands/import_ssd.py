"""import_ssd: import a Standard Safeguarding Dataset extract (a folder of CSV files)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from closewell.accounts.models import User
from closewell.ssd.importer import import_extract, summary_lines, write_report


class Command(BaseCommand):
    help = (
        "Import an SSD extract (one CSV per table, e.g. ssd_person.csv) into the case register. "
        "Every row is checked first; if any is bad nothing is imported and a report lists each one."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The folder holding the extract's CSV files.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument("--report", help="Where to write the report of bad rows (CSV).")
        parser.add_argument("--user", help="The username recorded in the audit trail as running it.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, path, dry_run, report, user, no_progress, **options):
        folder = Path(path)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user}.")
        show = not no_progress and sys.stderr.isatty()

        def progress(iterable=None, **kwargs):
            return tqdm(iterable, disable=not show, leave=False, file=sys.stderr, **kwargs)

        result = import_extract(folder, actor=actor, dry_run=dry_run, progress=progress)
        if not result.ok:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            report_path = write_report(
                result.problems, report or Path(settings.VAR_DIR) / "ssd-reports" / f"import-{stamp}.csv"
            )
            for problem in result.problems[:20]:
                self.stderr.write(str(problem))
            more = len(result.problems) - 20
            if more > 0:
                self.stderr.write(f"… and {more} more.")
            raise CommandError(
                f"{len(result.problems)} problem(s) found: nothing was imported. "
                f"Every problem is listed in {report_path}."
            )
        if dry_run:
            self.stdout.write("Dry run: every row is good. Nothing was written.")
        for line in summary_lines(result):
            self.stdout.write(line)
        if result.run:
            self.stdout.write(self.style.SUCCESS(f"Imported. Recorded as import run {result.run.pk}."))
