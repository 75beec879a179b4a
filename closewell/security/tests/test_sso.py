"""Single sign-on through a real OpenID provider on loopback (the `oidc_provider` fixture: a second
Django process with django-oauth-toolkit): the mapped role and team, losing access when taken out of
the group, an unmapped group refused with a clear message, state and nonce checked, the provider's
second factor, local sign-in as the council allows, lockouts, the idle sign-out and the audit trail;
and the group mappings' two administrators."""

import datetime as dt
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from closewell.accounts.models import Role, Team, User
from closewell.accounts.tests.factories import AdministratorFactory, TeamFactory, UserFactory
from closewell.audit.models import AuditEvent
from closewell.core.errors import DomainError, NotPermitted
from closewell.security import checks, services
from closewell.security.models import ExternalIdentity, GroupMapping, MappingStatus
from closewell.security.tests.oidc_provider.management.commands.provider_user import PASSWORD
from closewell.security.tests.test_properties import SETTINGS

pytestmark = pytest.mark.slow

EAST_WORKERS = "closewell-east-workers"
MANAGERS = "closewell-east-west-managers"


def approved(*, group, role, team=None, managed_teams=(), asker=None, approver=None):
    """A mapping asked for by one administrator and approved by another."""
    asker = asker or AdministratorFactory(username="it.admin")
    approver = approver or AdministratorFactory(username="ig.admin")
    mapping = services.group_mapping_request(
        actor=asker, group=group, label="", role=role, team=team, managed_teams=managed_teams
    )
    return services.group_mapping_approve(actor=approver, mapping=mapping)


@pytest.fixture
def east(db):
    return TeamFactory(name="Northmoor East Family Support")


@pytest.fixture
def west(db):
    return TeamFactory(name="Northmoor West Safeguarding")


@pytest.fixture
def mappings(east, west):
    asker, approver = AdministratorFactory(username="it.admin"), AdministratorFactory(username="ig.admin")
    return [
        approved(group=EAST_WORKERS, role=Role.SOCIAL_WORKER, team=east, asker=asker, approver=approver),
        approved(
            group=MANAGERS, role=Role.TEAM_MANAGER, managed_teams=[east, west], asker=asker, approver=approver
        ),
    ]


def provider_redirect(provider, authorize_url: str, username: str, password: str = PASSWORD) -> str:
    """Be the person's browser at the provider: follow the authorisation request to its sign-in
    page, sign in, and return where the provider sends the browser back (Closewell's callback)."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert "/accounts/login/" in page.url, page.text[:300]
    answer = browser.post(
        page.url,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["provider_csrf"],
        },
        allow_redirects=False,
        timeout=10,
    )
    while answer.is_redirect and answer.headers["Location"].startswith(("/", provider.url)):
        answer = browser.get(
            requests.compat.urljoin(provider.url, answer.headers["Location"]),
            allow_redirects=False,
            timeout=10,
        )
    assert answer.is_redirect, answer.text[:300]
    return answer.headers["Location"]


def start(client, next_url="") -> str:
    response = client.get("/sso/start/", {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def callback(client, url: str):
    parts = urlsplit(url)
    assert parts.path == "/sso/callback/"
    return client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})


def sign_in(client, provider, username, next_url=""):
    return callback(client, provider_redirect(provider, start(client, next_url), username))


# --- Signing in ----------------------------------------------------------------------------------------


def test_the_sign_in_page_offers_the_council_provider(sso, db):
    page = Client().get("/login/").content.decode()
    assert "Sign in with Northmoor council account" in page
    assert 'href="/sso/start/"' in page
    assert "Or sign in with a Closewell password" in page


def test_without_single_sign_on_the_page_is_as_before_and_sso_answers_404(db):
    client = Client()
    page = client.get("/login/").content.decode()
    assert "Sign in with" not in page and 'name="password"' in page
    assert client.get("/sso/start/").status_code == 404
    assert client.get("/sso/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_sign_in_through_the_provider_gets_the_mapped_role_and_team(sso, mappings, east, west):
    sso.user("jo.bloggs", EAST_WORKERS, first="Jo", last="Bloggs")
    client = Client()
    response = sign_in(client, sso, "jo.bloggs", next_url="/cases/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    user = User.objects.get(username="jo.bloggs")
    assert (user.role, user.team, user.is_active) == (Role.SOCIAL_WORKER, east, True)
    assert (user.first_name, user.last_name) == ("Jo", "Bloggs")
    assert not user.has_usable_password()
    assert user.external_identity.issuer == sso.issuer
    assert user.external_identity.groups == [EAST_WORKERS]
    assert client.get("/cases/").status_code == 200
    trail = list(
        AuditEvent.objects.filter(object_type="accounts.User", object_id=str(user.pk)).order_by("pk")
    )
    assert trail[0].actor is None and "first sign-in through Northmoor council account" in trail[0].summary
    assert trail[-1].actor == user and trail[-1].summary == "Signed in through Northmoor council account"

    sso.user("mo.manager", MANAGERS, "some-other-group")
    sign_in(Client(), sso, "mo.manager")
    manager = User.objects.get(username="mo.manager")
    assert manager.role == Role.TEAM_MANAGER
    assert set(manager.managed_teams.all()) == {east, west}


def test_a_user_taken_out_of_the_group_loses_access_at_next_sign_in(sso, mappings, east):
    sso.user("sam.leaver", EAST_WORKERS)
    first = Client()
    sign_in(first, sso, "sam.leaver")
    user = User.objects.get(username="sam.leaver")
    assert user.is_active

    sso.user("sam.leaver")  # the council's IT takes them out of every group
    again = Client()
    response = sign_in(again, sso, "sam.leaver")
    assert response.status_code == 403
    assert "not in a group that gives access to Closewell" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert again.get("/cases/").status_code == 302  # not signed in
    assert first.get("/cases/").status_code == 302  # and the earlier session has ended too
    event = AuditEvent.objects.filter(object_id=str(user.pk), summary__startswith="Switched off").get()
    assert event.actor is None and event.after["is_active"] is False

    sso.user("sam.leaver", EAST_WORKERS)  # put back: the sign-in switches on what it switched off
    assert sign_in(Client(), sso, "sam.leaver").status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_an_account_an_administrator_switched_off_stays_off(sso, mappings):
    sso.user("kit.suspended", EAST_WORKERS)
    sign_in(Client(), sso, "kit.suspended")
    User.objects.filter(username="kit.suspended").update(is_active=False)
    response = sign_in(Client(), sso, "kit.suspended")
    assert response.status_code == 403
    assert "switched off by an administrator" in response.content.decode()


def test_a_role_change_in_the_provider_is_made_at_next_sign_in_and_audited(sso, mappings, east, west):
    sso.user("ali.promoted", EAST_WORKERS)
    sign_in(Client(), sso, "ali.promoted")
    sso.user("ali.promoted", MANAGERS)
    sign_in(Client(), sso, "ali.promoted")
    user = User.objects.get(username="ali.promoted")
    assert user.role == Role.TEAM_MANAGER and user.team is None
    event = AuditEvent.objects.filter(object_id=str(user.pk), summary__startswith="Set the access").get()
    assert event.actor is None
    assert event.before["role"] == Role.SOCIAL_WORKER and event.after["role"] == Role.TEAM_MANAGER
    assert "Role: Social worker → Team manager" in event.summary


def test_an_unmapped_group_gets_no_access_with_a_clear_message(sso, mappings):
    sso.user("pat.stranger", "finance-team")
    response = sign_in(Client(), sso, "pat.stranger")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot sign in" in page
    assert "not in a group that gives access to Closewell" in page
    assert "IT service desk" in page
    assert not User.objects.filter(username="pat.stranger").exists()


def test_groups_that_disagree_get_no_access(sso, mappings):
    sso.user("robin.both", EAST_WORKERS, MANAGERS)
    response = sign_in(Client(), sso, "robin.both")
    assert response.status_code == 403
    assert "different roles in Closewell (Social worker, Team manager)" in response.content.decode()
    assert not User.objects.filter(username="robin.both").exists()


def test_a_local_account_of_the_same_name_is_never_taken_over(sso, mappings, east):
    UserFactory(username="lee.local", team=east)
    sso.user("lee.local", EAST_WORKERS)
    response = sign_in(Client(), sso, "lee.local")
    assert response.status_code == 403
    assert "already a Closewell account called lee.local" in response.content.decode()
    assert not ExternalIdentity.objects.exists()


# --- State and nonce -------------------------------------------------------------------------------------


def _with(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_tampered_state_fails(sso, mappings):
    sso.user("tam.state", EAST_WORKERS)
    client = Client()
    back = provider_redirect(sso, start(client), "tam.state")
    response = callback(client, _with(back, state="tampered"))
    assert response.status_code == 400
    assert "Signing in did not complete" in response.content.decode()
    assert client.get("/cases/").status_code == 302
    assert not User.objects.filter(username="tam.state").exists()


def test_a_callback_from_another_browser_fails(sso, mappings):
    sso.user("tam.session", EAST_WORKERS)
    back = provider_redirect(sso, start(Client()), "tam.session")
    response = callback(Client(), back)  # the victim's browser never started this sign-in
    assert response.status_code == 400
    assert not User.objects.filter(username="tam.session").exists()


def test_a_callback_is_never_replayed(sso, mappings):
    sso.user("tam.replay", EAST_WORKERS)
    client = Client()
    back = provider_redirect(sso, start(client), "tam.replay")
    assert callback(client, back).status_code == 302
    client.logout()
    assert callback(client, back).status_code == 400


def test_a_nonce_that_does_not_match_the_id_token_fails(sso, mappings):
    sso.user("tam.nonce", EAST_WORKERS)
    client = Client()
    authorize = start(client)
    session = client.session
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    states = session["oidc_states"]
    states[state]["nonce"] = "not-the-nonce-sent"
    session["oidc_states"] = states
    session.save()
    response = callback(client, provider_redirect(sso, authorize, "tam.nonce"))
    assert response.status_code == 400
    assert client.get("/cases/").status_code == 302


def test_a_token_for_another_issuer_fails(sso, mappings, settings):
    sso.user("tam.issuer", EAST_WORKERS)
    settings.OIDC_OP_ISSUER = "https://login.microsoftonline.com/another-tenant/v2.0"
    client = Client()
    response = callback(client, provider_redirect(sso, start(client), "tam.issuer"))
    assert response.status_code == 400
    assert not User.objects.filter(username="tam.issuer").exists()


def test_failed_callbacks_do_not_lock_the_office_out(sso, mappings, settings):
    """django-axes counts password failures by username and address; a refused callback is not one,
    so six of them from the office's address do not lock out the next person's single sign-on."""
    settings.AXES_ENABLED = True
    for _ in range(6):
        assert Client().get("/sso/callback/", {"code": "x", "state": "forged"}).status_code == 400
    sso.user("next.person", EAST_WORKERS)
    assert sign_in(Client(), sso, "next.person").status_code == 302


# --- Second factor, local sign-in, idle sign-out -----------------------------------------------------------


def test_the_providers_second_factor_counts_and_without_it_closewell_asks(sso, mappings, settings):
    settings.REQUIRE_TWO_FACTOR = True
    sso.user("mfa.manager", MANAGERS, "mfa")
    client = Client()
    sign_in(client, sso, "mfa.manager")
    assert client.get("/team/").status_code == 200

    sso.user("pwd.manager", MANAGERS)
    client = Client()
    sign_in(client, sso, "pwd.manager")
    response = client.get("/team/")
    assert response.status_code == 302 and response["Location"] == "/two-factor/"


@pytest.mark.parametrize("local", ["none", "administrators"])
def test_local_sign_in_as_the_council_allows(sso, settings, local, east):
    settings.LOCAL_SIGN_IN = local
    UserFactory(username="wendy", team=east)
    AdministratorFactory(username="break.glass")
    client = Client()
    page = client.get("/login/").content.decode()
    assert ('name="password"' in page) == (local == "administrators")
    password = {"password": "correct-horse-battery"}
    client.post("/login/", {"username": "wendy", **password})
    assert client.get("/cases/").status_code == 302
    client.post("/admin/login/", {"username": "break.glass", **password})
    assert (client.get("/admin/").status_code == 200) == (local == "administrators")


def test_local_passwords_work_as_before_without_single_sign_on(db, east):
    UserFactory(username="wendy", team=east)
    client = Client()
    assert (
        client.post("/login/", {"username": "wendy", "password": "correct-horse-battery"}).status_code == 302
    )
    assert client.get("/cases/").status_code == 200


def test_password_lockout_still_works_with_single_sign_on_on(sso, settings, east):
    settings.AXES_ENABLED = True
    UserFactory(username="wendy", team=east)
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "wendy", "password": "wrong-password-here"})
    response = client.post("/login/", {"username": "wendy", "password": "correct-horse-battery"})
    assert response.status_code == 429


def test_an_sso_session_signs_out_when_idle(sso, mappings, time_machine):
    sso.user("idle.worker", EAST_WORKERS)
    client = Client()
    sign_in(client, sso, "idle.worker")
    assert client.get("/cases/").status_code == 200
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=31))
    assert client.get("/cases/").status_code == 302


# --- The mappings: two administrators -------------------------------------------------------------------


def test_a_mapping_is_in_force_only_when_a_second_administrator_approves_it(db, east):
    asker, other = AdministratorFactory(username="it.admin"), AdministratorFactory(username="ig.admin")
    mapping = services.group_mapping_request(
        actor=asker, group=EAST_WORKERS, label="East", role=Role.SOCIAL_WORKER, team=east, managed_teams=[]
    )
    with pytest.raises(DomainError):
        services.access_from_groups([EAST_WORKERS])  # waiting: gives nothing yet
    with pytest.raises(NotPermitted, match="You asked for this mapping"):
        services.group_mapping_approve(actor=asker, mapping=mapping)
    services.group_mapping_approve(actor=other, mapping=mapping)
    assert services.access_from_groups([EAST_WORKERS.upper()]).team == east

    west = TeamFactory(name="West")
    change = services.group_mapping_request(
        actor=other, group=EAST_WORKERS, label="", role=Role.SOCIAL_WORKER, team=west, managed_teams=[]
    )
    assert services.access_from_groups([EAST_WORKERS]).team == east  # the old one stays in force
    services.group_mapping_approve(actor=asker, mapping=change)
    assert services.access_from_groups([EAST_WORKERS]).team == west
    mapping.refresh_from_db()
    assert mapping.status == MappingStatus.REPLACED

    services.group_mapping_remove(actor=asker, mapping=change)  # taking access away: at once
    with pytest.raises(DomainError, match="not in a group"):
        services.access_from_groups([EAST_WORKERS])
    assert AuditEvent.objects.filter(object_type="security.GroupMapping").count() == 5


def test_an_administrator_in_the_group_does_not_approve_its_mapping(db):
    asker, member = AdministratorFactory(username="it.admin"), AdministratorFactory(username="ig.admin")
    ExternalIdentity.objects.create(
        user=member, issuer="https://idp", subject="1", groups=["closewell-admins"]
    )
    mapping = services.group_mapping_request(
        actor=asker, group="Closewell-Admins", label="", role=Role.ADMINISTRATOR, team=None, managed_teams=[]
    )
    with pytest.raises(NotPermitted, match="You are in this group"):
        services.group_mapping_approve(actor=member, mapping=mapping)


def test_only_an_administrator_asks_for_a_mapping(db):
    worker = UserFactory()
    with pytest.raises(NotPermitted):
        services.group_mapping_request(
            actor=worker, group="g", label="", role=Role.ADMINISTRATOR, team=None, managed_teams=[]
        )


def test_the_admin_asks_and_another_administrator_approves(db, east):
    asker, other = AdministratorFactory(username="it.admin"), AdministratorFactory(username="ig.admin")
    client = Client()
    client.force_login(asker)
    response = client.post(
        "/admin/security/groupmapping/add/",
        {"group": EAST_WORKERS, "label": "East workers", "role": Role.SOCIAL_WORKER, "team": east.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping = GroupMapping.objects.get()
    assert mapping.status == MappingStatus.PENDING and mapping.requested_by == asker
    client.post("/admin/security/groupmapping/", {"action": "approve", "_selected_action": [mapping.pk]})
    mapping.refresh_from_db()
    assert mapping.status == MappingStatus.PENDING
    client.force_login(other)
    client.post("/admin/security/groupmapping/", {"action": "approve", "_selected_action": [mapping.pk]})
    mapping.refresh_from_db()
    assert mapping.status == MappingStatus.APPROVED and mapping.decided_by == other
    assert Team.objects.count() == 1


# --- What a provider sends is input too -------------------------------------------------------------------

TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from("\x00\ud800\u202e\n@.")), max_size=320)
CLAIM = st.one_of(
    st.none(), TEXT, st.integers(), st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2)
)


@SETTINGS
@given(
    claims=st.fixed_dictionaries(
        {
            "sub": st.one_of(TEXT, st.integers(), CLAIM),
            "preferred_username": CLAIM,
            "given_name": CLAIM,
            "family_name": CLAIM,
            "email": st.one_of(CLAIM, st.just("jo@example.invalid")),
            "amr": CLAIM,
            "groups": st.one_of(
                CLAIM, st.lists(st.one_of(TEXT, st.just(EAST_WORKERS), st.integers()), max_size=4)
            ),
        }
    )
)
def test_any_claims_sign_in_or_are_refused_in_words(mappings, claims):
    """Whatever the claims hold (NUL, lone surrogates, bidi controls, huge or wrong types), signing in
    makes or updates a user, or refuses with a message for the person: never a server error."""
    try:
        user = services.sso_sign_in(issuer="https://idp.example.invalid", claims=claims)
    except services.SignInRefused as refusal:
        assert refusal.message
    else:
        user.refresh_from_db()
        assert user.is_active and user.role == Role.SOCIAL_WORKER
        assert "\x00" not in user.first_name + user.last_name + user.username


# --- Checks of the configuration -------------------------------------------------------------------------


def test_a_half_configured_single_sign_on_is_an_error_at_start_up(settings):
    settings.OIDC_ENABLED, settings.OIDC_OP_TOKEN_ENDPOINT = True, ""
    settings.OIDC_RP_CLIENT_SECRET = settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "set"
    settings.OIDC_OP_JWKS_ENDPOINT = "set"
    [error] = checks.single_sign_on_complete(None)
    assert error.id == "security.E901" and "OIDC_OP_TOKEN_ENDPOINT" in error.msg
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.microsoftonline.com/tenant/oauth2/v2.0/token"
    assert checks.single_sign_on_complete(None) == []


def test_plain_http_endpoints_are_a_deploy_warning(sso):
    [warning] = checks.single_sign_on_over_https(None)
    assert warning.id == "security.W902"
