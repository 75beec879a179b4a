"""The writing advice in Chromium: the side panel of a section and the manager's review, with the
new kinds of advice and their examples, axe-clean (WCAG 2.2 AA), screenshots in test-artifacts/."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from closewell.accounts.models import User
from closewell.advice.defaults import default_words
from closewell.advice.models import AdviceWord
from closewell.cases.models import Episode
from closewell.closures import services as closures
from closewell.documents.tests.test_demo import _fill
from closewell.web.tests.browser import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = (
    "The core group met on 31 February 2026. Mum failed to engage with the Freedom Programme at "
    "first and was described as hostile. The risks have reduced and she has shown insight. Jayden's "
    "short beak care continues, and the PLO letter was not needed."
)


def test_the_advice_panel_and_the_managers_summary_are_accessible(page):
    call_command("load_demo", verbosity=0)
    # A transactional test before this one may have emptied the tables the migrations seeded.
    AdviceWord.objects.bulk_create((AdviceWord(**row) for row in default_words()), ignore_conflicts=True)
    worker = User.objects.get(username="worker.west")
    episode = Episode.objects.get(child__la_child_id="NM100002")
    record = closures.closure_start(
        actor=worker, episode=episode, decision_date=timezone.localdate(), decision_by="Daniel Whitcombe"
    )
    record, _ = _fill(worker, record)
    record = closures.closure_update(
        actor=worker,
        record=record,
        section="reason",
        version=record.version,
        data={"reason_for_closure": REASON},
    )

    sign_in(page, "worker.west")
    page.goto(f"/closures/{record.pk}/section/reason/")
    panel = page.locator("#writing-advice")
    for kind in ("label", "role", "claim", "date", "phrase", "jargon"):
        assert panel.locator(f'[data-advice-kind="{kind}"]').count() >= 1, kind
    assert panel.get_by_text("For example:").first.is_visible()
    assert "Reading ease" not in panel.inner_text()
    check_page(page, "advice-panel")

    closures.closure_submit(actor=worker, record=record)
    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    summary = page.locator("#writing-advice-summary")
    summary.locator('[data-advice-section="reason"] summary').click()
    assert summary.locator('[data-advice-kind="label"]').first.is_visible()
    check_page(page, "advice-summary")
