"""Exports and imports in Chromium: the list, a census export waiting for the worker then finished
(the page follows it by itself), and the import form with an error; axe-clean, screenshots in
test-artifacts/."""

import pytest
from django.core.management import call_command

from closewell.web.tests.browser import check_page, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_exports_and_imports_pages_are_accessible(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    call_command("load_demo", verbosity=0)
    sign_in(page, "data")
    page.goto("/jobs/")
    check_page(page, "jobs-index")

    submit(page, "Start the export")
    assert "Waiting for the background worker" in page.content()
    check_page(page, "jobs-census-waiting")

    call_command("run_worker", burst=True, verbosity=0)
    # No click: the page's script follows the progress and shows the end by itself.
    page.wait_for_selector("text=Finished", timeout=15000)
    assert page.locator("[data-job-refresh]").count() == 0
    assert page.locator("a:has-text('Download CIN_999_')").count() == 1
    check_page(page, "jobs-census-done")

    page.goto("/jobs/ssd-import/")
    submit(page, "Upload and start")
    assert page.locator(".govuk-error-summary").count() == 1
    assert "Choose the extract's zip file" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, "jobs-ssd-import-error")
