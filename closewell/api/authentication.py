"""Token authentication for the API: `Authorization: Bearer <key>` (or `Token <key>`)."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from closewell.accounts.permissions import user_permissions

from .models import ApiToken, hash_key

# Writing last_used_at on every request would make each read a write; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """The token's user, with their role and team: the API sees and does what the pages let them."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Authorization: Bearer <token>.")
        try:
            key = header[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("The token is not valid.") from error
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is not valid or has been revoked.")
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                f"The token expired on {token.expires_at:%Y-%m-%d}. Ask an administrator for a new one."
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ReachesView(permissions.BasePermission):
    """A role confined to a few endpoints (the Family Help lead practitioner: their handovers) gets
    404 from every other, as from the pages (UserPermissions.may_reach)."""

    def has_permission(self, request, view) -> bool:
        if request.user and not user_permissions(request.user).may_reach(request.resolver_match):
            raise exceptions.NotFound()
        return True


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A key from `python manage.py create_api_token USERNAME`.",
        }
