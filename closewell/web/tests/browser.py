"""Browser test support: Debian's Chromium driven by Playwright, axe-core injected on every page.

Never downloads a browser: CI installs Debian's `chromium` (see .ci/run).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
# The standards the service is held to: WCAG 2.2 A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or bool(shutil.which("chromium"))


def require_chromium() -> None:
    """In CI a missing browser is a failure, not a skip: the browser tests must run there."""
    if chromium_available():
        return
    if os.environ.get("CI"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium package.")
    pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium to run browser tests)")


# The admin is held to best practice too (closewell/accounts/tests/test_admin_browser.py).
AXE_TAGS_AND_BEST_PRACTICE = [*AXE_TAGS, "best-practice"]


def axe_violations(page, tags: list[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core on the page as it is now; return its violations of the rules with these tags
    (WCAG 2.2 A/AA unless told; the accessibility crawl adds axe's best-practice rules)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools, not as a <script> tag: the pages' Content-Security-Policy
        # forbids inline script, and the tests must not weaken it.
        page.evaluate(AXE.read_text() + "\n;true")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )


def check_page(page, name: str) -> None:
    """Screenshot the page for a person to look at, and assert axe finds nothing."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    violations = axe_violations(page)
    assert not violations, f"{name}: {describe(violations)}"


DEMO_PASSWORD = "closewell-demo"  # noqa: S105 (the demo's printed password)


def click(page, selector: str) -> None:
    """Click something that navigates, and wait for the next page."""
    with page.expect_navigation():
        page.click(selector)


def submit(page, button: str) -> None:
    click(page, f'button:has-text("{button}")')


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page, "Sign in")
