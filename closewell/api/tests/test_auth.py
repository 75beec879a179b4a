"""Tokens: created by the command and shown once, stored hashed, revocable, acting as their user."""

import datetime as dt
import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from closewell.api.models import ApiToken

URL = "/api/v1/episodes/"


def test_command_prints_a_token_once_and_stores_only_its_hash(case, capsys):
    call_command("create_api_token", "w", "--name", "Case system sync")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=case.worker)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(list(ApiToken.objects.values_list()))
    assert token.prefix == key[:8] and token.name == "Case system sync"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(URL).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(URL).status_code == 200


def test_revoked_token_stops_working(case, capsys):
    call_command("create_api_token", "w")
    key = capsys.readouterr().out.strip()
    call_command("create_api_token", "w", "--revoke")
    assert "Revoked 1 token" in capsys.readouterr().out
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"errors": {"detail": ["The token is not valid or has been revoked."]}}
    call_command("create_api_token", "w", "--list")
    assert "revoked" in capsys.readouterr().out


def test_inactive_user_has_no_token(case):
    case.worker.is_active = False
    case.worker.save()
    with pytest.raises(CommandError, match="cannot sign in"):
        call_command("create_api_token", "w")


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer", "Basic dzpw", "Bearer a b"])
def test_no_or_bad_token_is_401_not_a_login_redirect(case, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()["errors"]


def test_a_session_does_not_authenticate_the_api(case, client):
    client.force_login(case.worker)
    assert client.get(URL).status_code == 401


def test_schema_needs_no_token(db):
    response = APIClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/closure-records/{id}/authorise/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_a_token_expires(case, capsys, settings):
    settings.API_TOKEN_DAYS = 30
    call_command("create_api_token", "w", "--days", "7")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=case.worker)
    assert dt.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(URL).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(URL)
    assert response.status_code == 401
    assert "expired" in response.json()["errors"]["detail"][0]
    call_command("create_api_token", "w", "--list")
    assert "expired" in capsys.readouterr().out


def test_a_token_works_for_at_most_api_token_days(case, capsys, settings):
    settings.API_TOKEN_DAYS = 30
    with pytest.raises(CommandError, match="between 1 and 30 days"):
        call_command("create_api_token", "w", "--days", "31")
    call_command("create_api_token", "w")
    token = ApiToken.objects.get(user=case.worker)
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
