"""manage.py issue_enrolment_code USERNAME: a two-factor enrolment code, issued on the server.

For the first administrator, whom no other administrator can give one (and for a council's IT when
no administrator is at hand). Printed once; only its hash is kept; audited as issued on the server.
"""

from django.core.management.base import BaseCommand, CommandError

from closewell.accounts.models import User
from closewell.security.services import enrolment_code_issue


class Command(BaseCommand):
    help = "Print a one-time code that lets USERNAME set up an authenticator app (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username}.")
        if not user.is_active:
            raise CommandError(f"{username}'s account is switched off.")
        code = enrolment_code_issue(actor=None, user=user)
        self.stdout.write(f"Enrolment code for {username} (shown once): {code}")
