"""create_api_token: make a token for a user (shown once), or revoke their tokens."""

from django.core.management.base import BaseCommand, CommandError

from closewell.accounts.models import User
from closewell.api.models import ApiToken
from closewell.api.services import token_create, token_revoke
from closewell.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it once (only its SHA-256 is kept). "
        "--revoke revokes the user's tokens (or the one starting with --prefix); --list lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'Liquidlogic sync'.")
        parser.add_argument(
            "--days", type=int, help="How many days the token works (default and most: API_TOKEN_DAYS, 90)."
        )
        parser.add_argument("--revoke", action="store_true", help="Revoke instead of creating.")
        parser.add_argument("--prefix", help="With --revoke: only the token whose key starts so.")
        parser.add_argument("--list", action="store_true", dest="list_tokens", help="List the user's tokens.")

    def handle(self, *args, username, name, days, revoke, prefix, list_tokens, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        tokens = ApiToken.objects.filter(user=user)
        if list_tokens:
            for t in tokens:
                if t.revoked_at:
                    state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}"
                else:
                    state = f"{'active' if t.is_active else 'expired'}, expires {t.expires_at:%Y-%m-%d}"
                used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
                self.stdout.write(f"{t.prefix}…  {state}, {used}  {t.name}")
            return
        if revoke:
            chosen = tokens.filter(revoked_at__isnull=True)
            if prefix:
                chosen = chosen.filter(prefix__startswith=prefix[:8])
            count = 0
            for token in chosen:
                token_revoke(actor=None, token=token)
                count += 1
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
            return
        try:
            token, key = token_create(actor=None, user=user, name=name, days=days)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stderr.write(
            f"API token for {username} ({user.get_role_display()}), working until "
            f"{token.expires_at:%Y-%m-%d %H:%M}. It is shown only this once:"
        )
        self.stdout.write(key)
