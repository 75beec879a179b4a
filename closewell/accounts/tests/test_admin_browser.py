"""The admin in a real browser, as the administrator: every page they can reach, found by following
the links from the admin's index, checked with axe-core (WCAG 2.0–2.2 A and AA, and best practice).
Screenshots of the index, the audit trail searched and the person form go to test-artifacts/."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts import services
from closewell.accounts.models import User
from closewell.web.tests.browser import (
    ARTIFACTS,
    AXE_TAGS_AND_BEST_PRACTICE,
    axe_violations,
    click,
    describe,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Links the crawl does not follow: signing out, Django's translations script, the CSV download (a file,
# not a page: test_audit_admin checks it), and "view on site" redirects.
NOT_PAGES = ("/admin/logout/", "/admin/jsi18n/", "/admin/audit/auditevent/export/", "/admin/r/")
# Query keys that only re-sort, page or count (facets) a list already checked.
SAME_PAGE = {"o", "p", "_changelist_filters", "e", "_facets"}
MOST_PAGES = 200


@pytest.fixture(autouse=True)
def council(transactional_db):
    """The demo, and something on every admin list: a change waiting for a second administrator,
    an authenticator app, a locked-out sign-in, a sign-in log line."""
    call_command("load_demo", verbosity=0)
    admin, second = User.objects.get(username="admin"), User.objects.get(username="admin.second")
    worker = User.objects.get(username="worker.east")
    services.user_password_request(actor=second, user=worker, password="a-long-new-password-9")
    TOTPDevice.objects.create(user=User.objects.get(username="manager"), name="Phone", confirmed=True)
    AccessAttempt.objects.create(
        username="worker.west",
        ip_address="192.0.2.10",
        user_agent="Firefox",
        path_info="/login/",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="text/html",
    )
    AccessLog.objects.create(
        username="manager", ip_address="192.0.2.11", user_agent="Edge", path_info="/login/", http_accept="*/*"
    )
    return admin


def key(url: str) -> tuple:
    """Pages alike for the crawl: the same path (numbers aside) with the same query keys."""
    parts = urlsplit(url)
    keys = frozenset(k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if k not in SAME_PAGE)
    return re.sub(r"/\d+/", "/N/", parts.path), keys


def admin_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return [
        href.split("#")[0]
        for href in hrefs
        if href.startswith(origin + "/admin/") and not urlsplit(href).path.startswith(NOT_PAGES)
    ]


def crawl(page, start: str) -> dict[str, list[dict]]:
    """Every admin page reachable from `start`, one of each kind; axe's findings on each."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    queue, seen, found = [origin + start], set(), {}
    while queue and len(found) < MOST_PAGES:
        url = queue.pop(0)
        if key(url) in seen:
            continue
        seen.add(key(url))
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        found[url] = axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE)
        queue += [link for link in admin_links(page, origin) if key(link) not in seen]
    return found


def test_every_admin_page_the_administrator_reaches_passes_axe(page):
    sign_in(page, "admin")
    found = crawl(page, "/admin/")
    paths = {urlsplit(url).path for url in found}
    for expected in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/team/add/",
        "/admin/accounts/userchange/",
        "/admin/audit/auditevent/",
        "/admin/axes/accessattempt/",
        "/admin/otp_totp/totpdevice/",
        "/admin/advice/adviceword/",
        "/admin/password_change/",
    ):
        assert expected in paths, f"the crawl did not reach {expected}: {sorted(paths)}"
    assert any(re.fullmatch(r"/admin/accounts/user/\d+/change/", path) for path in paths)
    assert any("?" in url and "/admin/audit/auditevent/" in url for url in found), "no filter applied"
    assert len(found) < MOST_PAGES, "the crawl stopped before the end"
    failing = {url: describe(violations) for url, violations in found.items() if violations}
    assert not failing, "\n".join(f"{url}\n{text}" for url, text in failing.items())


def check(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    violations = axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE)
    assert not violations, f"{name}: {describe(violations)}"


def test_the_admin_index_the_audit_trail_searched_and_the_person_form(page, council):
    sign_in(page, "admin")
    page.goto("/admin/")
    check(page, "admin-index")
    text = page.text_content("#content-main")
    for name in ("People and teams", "Sign-in lockouts", "Authenticator apps", "Audit trail"):
        assert name in text
    for code_name in ("AXES", "OTP_TOTP", "Groups", "Child", "Axes", "Otp_Totp"):
        assert code_name not in text

    # The audit trail searched for a person, then filtered by date with the search kept.
    page.goto("/admin/audit/auditevent/")
    page.get_by_label("Search audit events").fill("Nandakumar")
    click(page, "#changelist-search input[type=submit]")
    today = timezone.localdate().isoformat()
    page.get_by_label("From (this day included)").fill("2000-01-01")
    page.get_by_label("To (this day included)").fill(today)
    click(page, "text=Filter by date")
    assert "q=Nandakumar" in page.url and "from=2000-01-01" in page.url
    rows = page.locator("#result_list tbody tr")
    assert rows.count() > 0
    assert all("Priya Nandakumar" in row for row in rows.all_inner_texts())
    check(page, "admin-audit-trail-searched")

    # The person form: a social worker's shows their team, not managed teams; choosing team manager
    # swaps them.
    page.goto("/admin/accounts/user/")
    click(page, "text=worker.east")
    assert page.locator(".field-team").is_visible()
    assert not page.locator(".field-managed_teams").is_visible()
    for never in ("is_superuser", "groups", "user_permissions", "is_staff"):
        assert page.locator(f"[name={never}]").count() == 0
    check(page, "admin-person-form")
    page.locator("#id_role").select_option("team_manager")
    assert page.locator(".field-managed_teams").is_visible()
    assert not page.locator(".field-team").is_visible()
    page.locator("#id_role").select_option("data_officer")
    assert (
        not page.locator(".field-managed_teams").is_visible() and not page.locator(".field-team").is_visible()
    )

    # The form's errors, and the page a bulk action answers with.
    page.goto("/admin/accounts/user/add/")
    click(page, "input[name=_save]")
    assert page.locator(".errornote").is_visible()
    check(page, "admin-person-form-errors")
    page.goto("/admin/accounts/user/")
    page.locator("tr", has_text="worker.west").locator("input[type=checkbox]").check()
    page.locator("select[name=action]").select_option("issue_enrolment_code")
    click(page, "button[name=index]")
    check(page, "admin-enrolment-codes")
