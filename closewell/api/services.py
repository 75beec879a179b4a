"""Writes for API tokens: create one (its key shown once), revoke one or all of a user's."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.core.errors import DomainError

from .models import ApiToken, hash_key


@transaction.atomic
def token_create(*, actor, user, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`, working for `days` (at most, and by default, API_TOKEN_DAYS);
    returns it and its key. Only the key's SHA-256 is stored, so the key is shown this once and
    cannot be recovered: a lost key is revoked and replaced."""
    if not user.is_active:
        raise DomainError(f"{user.username} cannot sign in, so cannot have a token.")
    longest = settings.API_TOKEN_DAYS
    days = longest if days is None else days
    if not 1 <= days <= longest:
        raise DomainError(f"A token works for between 1 and {longest} days.", field="days")
    key = ApiToken.new_key()
    token = ApiToken(
        user=user,
        name=name[:100],
        key_hash=hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=token,
        summary=f"Created an API token ({token.prefix}…) for {user.username}",
        after={"user": user.pk, "name": token.name, "prefix": token.prefix, "expires_at": token.expires_at},
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token: it stops working at once and is kept, with when it was last used."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event(
            actor=actor,
            action=Action.UPDATE,
            obj=token,
            summary=f"Revoked the API token {token.prefix}… of {token.user.username}",
            after={"revoked_at": token.revoked_at},
        )
    return token
