"""The security tests' scenario: the documents tests' authorised Closure Record (the Closure Record
tests' domestic-abuse case, signed and authorised), with a copy given and an administrator; and a real
OpenID provider on loopback for the single sign-on tests."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from closewell.documents.tests.conftest import (  # noqa: F401 (fixtures)
    authorised,
    case,
    complete_record,
    people,
    signed_record,
)

# --- A real OpenID provider on loopback, for the single sign-on tests ----------------------------------

PROVIDER_SETTINGS = "closewell.security.tests.oidc_provider.settings"
ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Provider:
    """The test provider (closewell/security/tests/oidc_provider/) running on loopback."""

    url: str
    env: dict

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def manage(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 (our own interpreter and commands)
            [sys.executable, "-m", "django", *args], cwd=ROOT, env=self.env, check=True, capture_output=True
        )

    def user(self, username: str, *groups: str, first: str = "", last: str = "") -> None:
        """Make the provider user (or change them) with exactly these groups."""
        self.manage("provider_user", username, "--groups", ",".join(groups), "--first", first, "--last", last)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """Starts the provider (a second Django process with django-oauth-toolkit's OpenID Connect
    provider) on a free loopback port with its own SQLite database, for the whole test run."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": PROVIDER_SETTINGS,
        "PYTHONPATH": str(ROOT),
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc_provider") / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": key.decode(),
        "OIDC_PROVIDER_ISSUER": f"{url}/o",
    }
    env.pop("DATABASE_URL", None)
    provider = Provider(url=url, env=env)
    provider.manage("migrate", "--noinput")
    provider.manage("provider_setup")
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and provider)
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("The test OpenID provider did not start.")
            time.sleep(0.2)
        yield provider
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def sso(settings, oidc_provider):
    """Closewell with single sign-on through the test provider, configured as a council would
    (endpoints from the provider's discovery document)."""
    discovery = requests.get(f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "closewell-test"
    settings.OIDC_RP_CLIENT_SECRET = "closewell-test-client-secret"
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_PROVIDER_NAME = "Northmoor council account"
    return oidc_provider
