"""ApiToken: a key another system uses to act as one user; only its SHA-256 is stored."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A token acts with its user's role and team, exactly as the user would on the pages.

    The key is shown once when created; the database keeps only its SHA-256, so a copy of the
    database gives no one a working token. Every token expires (API_TOKEN_DAYS after it is made,
    unless made for fewer days): a token is for another system, so it skips the people's two-factor
    step, and a forgotten one must not work for ever. Revoked and expired tokens are kept for the
    audit trail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The key's first characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user"], name="apitoken_user", condition=Q(revoked_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @staticmethod
    def new_key() -> str:
        return "cw_" + secrets.token_urlsafe(32)
