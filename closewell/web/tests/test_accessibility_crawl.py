"""The accessibility crawl: every page each role reaches, checked as a good public service ships it.

For each role (signed out, social worker, team manager, data officer, administrator, Family Help lead
practitioner) the crawl starts on the role's start page and follows every same-origin link (GET only),
so a new page is covered as soon as something links to it. URLs are deduplicated by pattern (numbers
become <id>; a query string counts by its keys; the admin's filters by path alone), at most
CAP_PER_PATTERN of each. Form pages reached only by a POST (a form sent with mistakes) are listed in
POST_FLOWS. On every page:

- axe-core: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best-practice rules;
- reflow (WCAG 1.4.10): at 320 CSS pixels wide the document is no wider than the viewport;
- exactly one h1, and the title starts with its text ("Error: " first when the page shows an error
  summary, and only then);
- every field has a label;
- a skip link to the main content, the first thing the keyboard reaches, and a visible focus on it and
  the next elements Tab reaches.

The scenario is the demo (load_demo) with Closure Records in every state: Jayden Cole's authorised,
signed and copied (one copy awaiting release); a draft on another case; and a submitted record for the
manager to review. A screenshot of each pattern at 320 px lands in test-artifacts/narrow/.
"""

import re
import time
from collections import Counter, deque
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from closewell.accounts.models import User
from closewell.cases.models import Episode
from closewell.closures import services as closures
from closewell.closures.tests import conftest as closure_scenario
from closewell.documents import services as documents
from closewell.documents.tests import conftest as documents_scenario
from closewell.documents.tests.test_demo import _fill

from .browser import ARTIFACTS, AXE, AXE_TAGS, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The scenario's fixtures, shared with the Closure Record tests: a submitted record for the review page.
people = closure_scenario.people
case = closure_scenario.case
complete_record = closure_scenario.complete_record
signed_record = documents_scenario.signed_record

CAP_PER_PATTERN = 1
NARROW = 320
WIDE = {"width": 1280, "height": 900}
TABS_CHECKED = 6
SHOTS = ARTIFACTS / "narrow"

# Never followed: they sign out, download a file or answer JSON rather than a page.
SKIPPED = re.compile(
    r"^/(logout/|admin/logout/|api/|static/|drafts/|healthz|census/download/)"
    r"|\.(pdf|csv|xml|json)$|/csv/|/download/"
)

# Admin pages with a known failure still to fix: (URL pattern, check) pairs. Empty since the admin's own
# fixes (issue 21) landed; the crawl fails if an entry no longer fails, so it cannot go stale. Nothing
# outside /admin/ may ever be listed here.
ADMIN_PENDING: set[tuple[str, str]] = set()


def pattern(url: str) -> str:
    """A URL's pattern: numbers as <id>; the query string by its keys (the admin's by path alone)."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$|\.)", "/<id>", parts.path)
    if path.startswith("/admin/"):
        return path
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + (f"?{'&'.join(keys)}" if keys else "")


def same_origin_path(href: str, origin: str) -> str | None:
    """The path and query of a link to this site, or None."""
    if not href.startswith(origin):
        return None
    parts = urlsplit(href)
    path = parts.path or "/"
    if SKIPPED.search(path):
        return None
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return path + (f"?{query}" if query else "")


PAGE_FACTS = """() => {
  const norm = (s) => (s || "").replace(/\\s+/g, " ").trim();
  // Fields no one can perceive (display: none, as the admin's username kept for password managers) are
  // left out, as axe leaves them out.
  const fields = [...document.querySelectorAll("input, select, textarea")].filter(
    (el) => !["hidden", "submit", "button", "image", "reset"].includes(el.type) && el.getClientRects().length
  );
  const unlabelled = fields
    .filter((el) => !((el.labels && el.labels.length) || el.getAttribute("aria-label")
      || el.getAttribute("aria-labelledby") || el.getAttribute("title")))
    .map((el) => el.name || el.id || el.outerHTML.slice(0, 80));
  const skip = document.querySelector("a[href^='#']");
  const target = skip ? document.getElementById(skip.getAttribute("href").slice(1)) : null;
  return {
    h1: [...document.querySelectorAll("h1")].map((h) => norm(h.textContent)),
    title: norm(document.title),
    errorSummary: !!document.querySelector(".govuk-error-summary, .errornote"),
    unlabelled,
    skipLink: skip && /skip/i.test(skip.textContent) && !!target,
  };
}"""

# The focused element looks different from itself unfocused: outline, shadow, background or colour.
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = () => {
    const s = getComputedStyle(el);
    return [s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 ? s.outlineColor : "none",
            s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine, s.borderColor].join("|");
  };
  const focused = look();
  const rect = el.getBoundingClientRect();
  el.blur();
  const unfocused = look();
  el.focus();
  return {changed: focused !== unfocused, visible: rect.width > 0 && rect.height > 0,
          what: el.tagName + (el.id ? "#" + el.id : "") + " " + (el.textContent || "").trim().slice(0, 40)};
}"""

TOO_WIDE = """(width) => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest(".closewell-table-region"))
  .filter((el) => getComputedStyle(el).visibility !== "hidden" && getComputedStyle(el).position !== "fixed")
  .slice(-3)
  .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""))"""


class Crawl:
    """The pages each role reached, and every problem found, named by role and URL."""

    def __init__(self, browser, live_server):
        self.browser, self.origin = browser, live_server.url
        self.problems: list[tuple[str, str, str, str]] = []  # (role, url, pattern, what)
        self.pages = 0
        self.shot: set[str] = set()

    def context_for(self, user):
        context = self.browser.new_context(base_url=self.origin, viewport=WIDE)
        # axe-core in every page before its own scripts (through DevTools: the pages' CSP stays whole).
        context.add_init_script(path=str(AXE))
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.origin}])
        return context

    def problem(self, role, url, what):
        self.problems.append((role, url, pattern(url), what))

    def check(self, page, role: str, url: str) -> None:
        """Every check on the page as it is now."""
        self.pages += 1
        key = pattern(url)
        violations = axe_violations(page, [*AXE_TAGS, "best-practice"])
        for violation in violations:
            self.problem(role, url, f"axe {violation['id']}: {describe([violation])}")
        facts = page.evaluate(PAGE_FACTS)
        if len(facts["h1"]) != 1:
            self.problem(role, url, f"h1: {len(facts['h1'])} on the page {facts['h1']}")
        elif facts["h1"][0]:
            h1, title = facts["h1"][0], facts["title"]
            expected = f"Error: {h1}" if facts["errorSummary"] else h1
            if not title.startswith(expected):
                self.problem(role, url, f"title: {title!r} does not start with {expected!r}")
        if facts["unlabelled"]:
            self.problem(role, url, f"label: fields without a label {facts['unlabelled'][:5]}")
        if not facts["skipLink"]:
            self.problem(role, url, "skip link: no skip link to the main content")
        self.check_focus(page, role, url)
        # Reflow at 320 CSS px: nothing wider than the viewport.
        page.set_viewport_size({"width": NARROW, "height": 800})
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > NARROW:
            self.problem(
                role, url, f"reflow: {width}px wide at {NARROW}px ({page.evaluate(TOO_WIDE, NARROW)})"
            )
        if key not in self.shot:
            self.shot.add(key)
            SHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^a-z0-9]+", "-", f"{role} {key}".lower()).strip("-")[:120]
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        page.set_viewport_size(WIDE)

    def check_focus(self, page, role, url) -> None:
        """Tab from the top: the skip link first, and each element Tab reaches shows it has focus."""
        # Start from the top of the document, as after loading it.
        page.evaluate(
            """() => { const root = document.documentElement; root.tabIndex = -1; root.focus();
                       root.removeAttribute("tabindex"); window.scrollTo(0, 0); }"""
        )
        for step in range(TABS_CHECKED):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_VISIBLE)
            if focus is None:
                break
            if step == 0 and "skip" not in focus["what"].lower():
                self.problem(role, url, f"skip link: Tab first reaches {focus['what']!r}")
            if not (focus["changed"] and focus["visible"]):
                self.problem(role, url, f"focus: no visible focus on {focus['what']!r}")

    def visit(self, page, role: str, path: str) -> list[str]:
        """Open a page, check it, and return the links on it."""
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):  # a file (an export), not a page
                return []
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return []
        self.check(page, role, page.url)
        hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map((e) => e.href)")
        return [p for p in (same_origin_path(h.split("#")[0], self.origin) for h in hrefs) if p]

    def crawl(self, role: str, user, start: str, also: tuple[str, ...] = ()) -> None:
        context = self.context_for(user)
        page = context.new_page()
        seen: set[str] = set()
        per_pattern: Counter = Counter()
        seeds = {start, *also}  # always visited: records in other states share their URL's pattern
        queue = deque([start, *also])
        while queue:
            path = queue.popleft()
            key = pattern(path)
            if path in seen or (per_pattern[key] >= CAP_PER_PATTERN and path not in seeds):
                continue
            seen.add(path)
            per_pattern[key] += 1
            for link in self.visit(page, role, path):
                if link not in seen:
                    queue.append(link)
            final = same_origin_path(page.url, self.origin)
            if final:
                seen.add(final)
        context.close()

    def flow(self, role: str, user, path: str, submit: str, fill=None) -> None:
        """A form sent with mistakes: the page that comes back is checked too."""
        context = self.context_for(user)
        page = context.new_page()
        page.goto(path)
        if fill:
            fill(page)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name=submit).first.click()
        self.check(page, role, page.url + " (after POST)")
        context.close()


@pytest.fixture
def scenario(transactional_db, case, signed_record):
    """The demo, with Closure Records in every state (see the module's docstring)."""
    call_command("load_demo", verbosity=0)
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["worker.west", "manager", "data", "admin", "lead.practitioner"]
        )
    }
    worker, manager = users["worker.west"], users["manager"]
    today = timezone.localdate()
    # Jayden Cole: authorised, signed, three copies given, the one for Ryan Doyle awaiting release.
    jayden = Episode.objects.get(child__la_child_id="NM100002")
    record = closures.closure_start(
        actor=worker, episode=jayden, decision_date=today, decision_by="Daniel Whitcombe"
    )
    record, family = _fill(worker, record)
    png = documents_scenario.SIGNATURE_PNG
    documents.signature_add(
        actor=worker, record=record, signer="child", method="drawn", signed_on=today, image=png
    )
    documents.signature_add(
        actor=worker,
        record=record,
        signer=str(family["Leanne"].pk),
        method="drawn",
        signed_on=today,
        image=png,
    )
    record = closures.closure_submit(actor=worker, record=record)
    record = closures.closure_authorise(actor=manager, record=record)
    for kind, person in (("child", None), ("person", family["Leanne"]), ("person", family["Ryan"])):
        awaiting = documents.copy_give(
            actor=worker,
            record=record,
            recipient_kind=kind,
            person_id=person.pk if person else None,
            given_on=today,
            method="in_person",
        )
    # A draft on another of the worker's cases: its task list, sections and check answers (with problems).
    other = Episode.objects.get(child__la_child_id="NM100004")
    draft = closures.closure_start(
        actor=worker, episode=other, decision_date=today, decision_by="Daniel Whitcombe"
    )
    # A submitted record (the Closure Record tests' case) for the manager to review.
    submitted = closures.closure_submit(actor=case.worker, record=signed_record)
    manager.managed_teams.add(case.east)
    return {
        **users,
        "jayden": record,
        "awaiting": awaiting,
        "draft": draft,
        "submitted": submitted,
        "child": other.child,
    }


def test_every_page_every_role(browser, live_server, scenario):
    assert all(path.startswith("/admin/") for path, _ in ADMIN_PENDING)
    started = time.monotonic()
    crawl = Crawl(browser, live_server)
    jayden, draft, submitted = scenario["jayden"], scenario["draft"], scenario["submitted"]
    crawl.crawl("signed-out", None, "/login/", also=("/accessibility/", "/no-such-page/"))
    crawl.crawl(
        "worker",
        scenario["worker.west"],
        "/",
        also=(
            f"/closures/{draft.pk}/",
            f"/closures/{draft.pk}/check/",
            f"/closures/{jayden.pk}/",
            f"/documents/records/{jayden.pk}/copies/",
            f"/documents/records/{jayden.pk}/signatures/",
        ),
    )
    crawl.crawl(
        "manager",
        scenario["manager"],
        "/",
        also=(
            f"/closures/{submitted.pk}/review/",
            f"/documents/records/{jayden.pk}/copies/{scenario['awaiting'].pk}/release/",
            "/two-factor/setup/",
        ),
    )
    crawl.crawl("data-officer", scenario["data"], "/")
    crawl.crawl("administrator", scenario["admin"], "/")
    crawl.crawl("lead-practitioner", scenario["lead.practitioner"], "/")

    def wrong_password(page):
        page.fill("#id_username", "worker.west")
        page.fill("#id_password", "not the password")

    crawl.flow("signed-out", None, "/login/", "Sign in", wrong_password)
    child = scenario["child"]
    crawl.flow("worker", scenario["worker.west"], f"/children/{child.pk}/contacts/add/", "Save")
    crawl.flow(
        "worker", scenario["worker.west"], f"/documents/records/{jayden.pk}/copies/give/", "Preview the copy"
    )
    crawl.flow("manager", scenario["manager"], "/two-factor/setup/", "Continue")

    found = [p for p in crawl.problems if (p[2], p[3].split(":")[0]) not in ADMIN_PENDING]
    pending_seen = {(p[2], p[3].split(":")[0]) for p in crawl.problems}
    stale = ADMIN_PENDING - pending_seen
    report = "\n".join(f"{role} {url}: {what}" for role, url, _, what in found)
    print(f"Accessibility crawl: {crawl.pages} pages checked in {time.monotonic() - started:.0f} s")  # noqa: T201 (the figure for the report)
    assert crawl.pages > 40, f"only {crawl.pages} pages were reached"
    assert not found and not stale, (
        f"{len(found)} problems on {crawl.pages} pages:\n{report}\n"
        f"ADMIN_PENDING entries that pass now (remove them): {sorted(stale)}"
    )
