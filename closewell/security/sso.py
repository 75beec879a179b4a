"""Single sign-on with the council's identity provider (OpenID Connect, e.g. Microsoft Entra ID).

mozilla-django-oidc does the protocol: the authorisation request with state, nonce and PKCE
(views.sso_start), the code exchanged for tokens, the ID token's signature checked against the
provider's keys and its nonce against the session's. Here on top: the issuer and audience are checked
too, the person is found by the provider's stable subject id (never by email), and their role and team
come from their groups through the mappings administrators approved (services.sso_sign_in).

Password sign-in goes through PasswordBackend, which keeps to LOCAL_SIGN_IN when single sign-on is on.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from closewell.core.rows import one_row

from .services import asserts_mfa, sso_sign_in  # noqa: F401 (asserts_mfa: the views ask it)

BACKEND = "closewell.security.sso.Backend"


def session_user(user_id):
    """The user a session names, or None. Read on every signed-in request, with the backends' own
    lookup (the user by primary key) written out as SQL (core.rows): building it through the ORM cost
    several times the database's answer. Never cached: a deactivated user loses access at their next
    request."""
    return one_row(get_user_model(), "id = %s", [user_id])


def enabled() -> bool:
    return settings.OIDC_ENABLED


def local_sign_in_allowed(user=None) -> bool:
    """May `user` (anyone, when None) sign in with a Closewell password? Always without single
    sign-on; with it, as LOCAL_SIGN_IN says: everyone, administrators only (a break-glass account
    for when the provider is down) or nobody."""
    if not enabled() or settings.LOCAL_SIGN_IN == "all":
        return True
    if settings.LOCAL_SIGN_IN == "administrators":
        return user is None or getattr(user, "is_administrator", False)
    return False


class PasswordBackend(ModelBackend):
    """Django's password backend, refusing the people LOCAL_SIGN_IN does not let in with a password
    (the sign-in page and the admin's alike)."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and local_sign_in_allowed(user)

    def get_user(self, user_id):
        """As ModelBackend's: a deactivated user, or one LOCAL_SIGN_IN no longer lets in, is signed out."""
        user = session_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class Backend(OIDCAuthenticationBackend):
    """Authenticates only when the callback view calls it with the state's nonce (never from a
    username and password); a switched-off account's sessions end at their next request."""

    def authenticate(self, request, *, sso_callback=False, nonce=None, code_verifier=None, **kwargs):
        self.claims = {}
        if not sso_callback or not enabled():
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def verify_token(self, token, **kwargs):
        """The library checks the signature and nonce; the token must also be from our provider
        (iss) and for Closewell (aud, and azp when it names several audiences)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("ID token from another issuer.")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client.")
        if len(audiences) > 1 and payload.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token authorised for another client.")
        if "exp" not in payload:
            raise SuspiciousOperation("ID token without an expiry.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """The verified ID token's claims (with the userinfo endpoint's, if one is set and it is about
        the same person) decide who this is and what they may do."""
        claims = dict(payload)
        if settings.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") == payload.get("sub"):
                for name, value in userinfo.items():
                    claims.setdefault(name, value)
        self.claims = claims
        return sso_sign_in(issuer=payload["iss"], claims=claims)

    def get_user(self, user_id):
        user = session_user(user_id)
        return user if user is not None and user.is_active else None
