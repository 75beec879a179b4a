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
        "Every row is checked first: an error in any row and nothing is imported; rows with a warning are "
        "skipped or mapped as the warning says and the rest is imported. The report lists each, with its "
        "file and line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The folder holding the extract's CSV files.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument("--report", help="Where to write the report of errors and warnings (CSV).")
        parser.add_argument(
            "--encoding",
            help="The files' encoding (e.g. utf-8, cp1252, latin-1); without it, each file's is detected.",
        )
        parser.add_argument("--user", help="The username recorded in the audit trail as running it.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, path, dry_run, report, user, no_progress, encoding=None, **options):
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

        result = import_extract(folder, actor=actor, dry_run=dry_run, progress=progress, encoding=encoding)
        report_path = None
        if result.problems or result.warnings:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            report_path = write_report(
                result.problems + result.warnings,
                report or Path(settings.VAR_DIR) / "ssd-reports" / f"import-{stamp}.csv",
            )
        for name, label in result.encodings.items():
            self.stdout.write(f"Read {name} as {label}.")
        if not result.ok:
            for problem in result.problems[:20]:
                self.stderr.write(str(problem))
            more = len(result.problems) - 20
            if more > 0:
                self.stderr.write(f"… and {more} more.")
            raise CommandError(
                f"{len(result.problems)} error(s) found: nothing was imported. Every error (and "
                f"{len(result.warnings)} warning(s)) is listed in {report_path}."
            )
        if dry_run:
            self.stdout.write("Dry run: no row has an error. Nothing was written.")
        for line in summary_lines(result):
            self.stdout.write(line)
        if result.warnings:
            for problem in result.warnings[:20]:
                self.stdout.write(str(problem))
            verb = "would be" if dry_run else "were"
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.warnings)} warning(s): the rest {verb} imported. "
                    f"Each is listed in {report_path}."
                )
            )
        if result.run:
            self.stdout.write(self.style.SUCCESS(f"Imported. Recorded as import run {result.run.pk}."))
