"""export_cin_census: write the CIN census XML return for a census year."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from closewell.census.queries import stream_children
from closewell.census.services import census_header, export_audit
from closewell.census.writer import write_census


class Command(BaseCommand):
    help = "Write the CIN census return for the year ending 31 March of --year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Census year, e.g. 2027.")
        parser.add_argument("--output", required=True, help="The XML file to write.")
        parser.add_argument("--la", default=None, help="3-digit LA code (default: COUNCIL_LA_CODE).")
        parser.add_argument("--serial", default="001", help="Serial number of this return (default 001).")

    def handle(self, *args, year, output, la, serial, **options):
        la = la or settings.COUNCIL_LA_CODE
        if not (len(la) == 3 and la.isdigit()):
            raise CommandError("The LA code is three digits, for example 999.")
        if not (2000 < year < 2100):
            raise CommandError("Give the census year as four digits, for example 2027.")
        started = timezone.now()
        header = census_header(year=year, la_code=la, serial_no=serial)
        with Path(output).open("wb") as out:
            count = write_census(out, header, stream_children(year))
        export_audit(actor=None, year=year, children=count, how="command")
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"Wrote {count} children to {output} in {seconds:.1f}s.")
