"""load_demo: add the invented Northmoor demo (teams, users, nine cases) and print the logins."""

from django.core.management.base import BaseCommand

from closewell.demo.demo import DEMO_PASSWORD, load_demo, logins_table


class Command(BaseCommand):
    help = (
        "Load the invented demo data (fictional people in the fictional town of Northmoor). "
        "Safe to run again: users are refreshed, cases already loaded are left alone."
    )

    def handle(self, *args, **options):
        result = load_demo()
        if result["created"]:
            self.stdout.write(f"Loaded demo cases: {', '.join(result['created'])}")
        if result["skipped"]:
            self.stdout.write(f"Already loaded, left as they are: {', '.join(result['skipped'])}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (every demo user's password is {DEMO_PASSWORD}):")
        self.stdout.write(logins_table(result["users"]))
