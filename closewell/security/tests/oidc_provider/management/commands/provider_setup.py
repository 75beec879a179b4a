"""Register Closewell as the provider's client (confidential, code flow, RS256, no consent screen)."""

from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

CLIENT_ID = "closewell-test"
CLIENT_SECRET = "closewell-test-client-secret"
REDIRECT_URIS = " ".join(f"http://{host}/sso/callback/" for host in ("testserver", "localhost", "127.0.0.1"))


class Command(BaseCommand):
    def handle(self, *args, **options):
        Application.objects.filter(client_id=CLIENT_ID).delete()
        Application.objects.create(
            name="Closewell",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=REDIRECT_URIS,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
