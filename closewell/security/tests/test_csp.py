"""Content-Security-Policy: sent on every page, no inline script in any template, and the main
pages work under it in a real browser (no violation reported in the console)."""

import re
from pathlib import Path

import pytest
from csp.decorators import csp_update
from csp.utils import build_policy
from django import urls
from django.contrib.auth.decorators import login_not_required
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts.models import Role, User
from closewell.security import middleware
from closewell.security.middleware import settings_policy_headers
from closewell.security.services import enrolment_code_issue
from closewell.web.tests.browser import check_page

PACKAGE = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in PACKAGE.glob("*/templates/**/*.html"))
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def directives(header: str) -> dict[str, set[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/accessibility/"])
def test_every_page_sends_the_policy(path):
    response = Client().get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["base-uri"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["form-action"] == {"'self'"}
    assert policy["img-src"] == {"'self'", "data:"}
    assert policy["style-src"] == {"'self'"}
    # Inline style *attributes* only (the reports' SVG charts); never inline or eval'd script.
    assert policy["style-src-attr"] == {"'unsafe-inline'"}
    assert not any(
        "unsafe" in value for name, values in policy.items() if name != "style-src-attr" for value in values
    )


@login_not_required
def policy_view(request):
    return HttpResponse("page")


@login_not_required
@csp_update({"img-src": ["https://maps.example.invalid"]})
def updated_view(request):
    return HttpResponse("page")


# The URLconf of the tests marked with it: two pages of their own, then the project's.
urlpatterns = [
    urls.path("plain/", policy_view),
    urls.path("updated/", updated_view),
    urls.path("", urls.include("config.urls")),
]


@pytest.mark.urls(__name__)
def test_the_header_is_django_csps_built_once_a_process(monkeypatch):
    """Built from the settings once, not twice on every response; exactly what django-csp builds."""
    settings_policy_headers.cache_clear()
    built = []
    monkeypatch.setattr(middleware, "build_policy", lambda **kw: built.append(kw) or build_policy(**kw))
    responses = [Client().get("/plain/") for _ in range(3)]
    assert [r["Content-Security-Policy"] for r in responses] == [build_policy()] * 3
    assert len(built) == 2  # the policy and the (empty) report-only policy, once
    assert all("Content-Security-Policy-Report-Only" not in r for r in responses)


@pytest.mark.urls(__name__)
def test_changed_settings_and_decorated_views_get_their_own_policy(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": ["'none'"]}}
    response = Client().get("/plain/")
    policy = directives(response["Content-Security-Policy"])
    assert policy == {"default-src": {"'self'"}, "img-src": {"'self'"}}
    assert directives(response["Content-Security-Policy-Report-Only"])["script-src"] == {"'none'"}
    updated = directives(Client().get("/updated/")["Content-Security-Policy"])
    assert updated["img-src"] == {"'self'", "https://maps.example.invalid"}
    settings.CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"] = ["/plain/"]
    settings.CONTENT_SECURITY_POLICY = dict(settings.CONTENT_SECURITY_POLICY)  # a change the signal sees
    assert "Content-Security-Policy" not in Client().get("/plain/")


def test_the_templates_are_found():
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "login.html", "503.html"} <= names


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_template_has_inline_script(template):
    text = template.read_text()
    for match in SCRIPT.finditer(text):
        assert "src=" in match.group(1), f"inline <script> in {template}: {match.group(0)}"
    assert not EVENT_HANDLER.search(text), f"on*= event handler attribute in {template}"
    assert not JS_URL.search(text), f"javascript: URL in {template}"


# --- In the browser -------------------------------------------------------------------------------

PASSWORD = "closewell-demo"  # noqa: S105 (the demo's printed password)


def visit_all(page, base: str, paths: list[str], violations: list[str]) -> None:
    for path in paths:
        response = page.goto(base + path)
        assert response.status < 400, f"{path}: {response.status}"
        page.wait_for_load_state("load")


def links(page, pattern: str, limit: int = 2) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    seen = []
    for href in hrefs:
        if re.fullmatch(pattern, href) and href not in seen:
            seen.append(href)
    return seen[:limit]


RECORD_PAGES = r"/(closures/\d+/(section/\w+|history|review)|documents/records/\d+/\w+)/"


def watch(page, violations: list[str]) -> None:
    """Collect what Chromium reports as a policy violation, and any script error."""

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: violations.append(f"{page.url}: {error}"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_main_pages_break_no_policy_in_chromium(browser, live_server):
    call_command("load_demo", verbosity=0)
    assert User.objects.filter(role=Role.TEAM_MANAGER).exists()
    violations: list[str] = []
    visited: list[str] = []
    for username in ("worker.west", "manager", "data", "admin"):
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        watch(page, violations)
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        start = page.url
        paths = [start.removeprefix(live_server.url), "/accessibility/"]
        if username != "admin":
            paths += ["/search/?q=a"]
            page.goto("/search/?q=a")
            paths += links(page, r"/children/\d+/")
        if username in ("manager", "data"):
            paths += ["/reports/", "/census/quality/", "/team/"]
        if username in ("worker.west", "manager"):
            page.goto("/closures/")
            paths += ["/closures/"] + links(page, r"/closures/\d+/")
        for path in list(paths):
            page.goto(path)
            if path.startswith("/closures/") and path != "/closures/":
                paths += links(
                    page, r"/(closures/\d+/(section/\w+|history|review)|documents/records/\d+/\w+)/", 6
                )
        visit_all(page, live_server.url, paths, violations)
        visited += [f"{username} {p}" for p in paths]
        context.close()
    assert len(visited) >= 12, visited
    assert not violations, "\n".join(violations)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_factor_and_lockout_pages_in_chromium(browser, live_server, settings):
    """The pages this app adds: axe-clean, no policy violation, a manager gets through two-factor
    set-up with the code an app would show."""
    settings.REQUIRE_TWO_FACTOR = True
    settings.AXES_ENABLED = True
    manager = User.objects.create_user("mo", password="a-long-enough-password-42", role=Role.TEAM_MANAGER)
    enrolment = enrolment_code_issue(actor=None, user=manager)
    violations: list[str] = []
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    watch(page, violations)
    page.goto("/login/")
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill("a-long-enough-password-42")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto("/team/")
    assert page.url.endswith("/two-factor/setup/")
    check_page(page, "two-factor-enrol")
    page.get_by_label("Enrolment code").fill(enrolment)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    check_page(page, "two-factor-setup")
    device = TOTPDevice.objects.get(user__username="mo")
    page.get_by_label("Code from your authenticator app").fill(
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.goto("/team/")
    assert page.url.endswith("/team/")
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    watch(page, violations)
    for _ in range(5):
        page.goto("/login/")
        page.get_by_label("Username").fill("mo")
        page.get_by_label("Password").fill("wrong password")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="You cannot sign in for 15 minutes").is_visible()
    check_page(page, "locked-out")
    context.close()
    assert not violations, "\n".join(violations)
