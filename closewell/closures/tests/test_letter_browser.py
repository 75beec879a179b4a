"""The letter to the child in a real browser: optional in the task list, noted on check answers while
missing, written on its own page with its guidance and advice, then shown on check answers; axe finds
nothing on any of these pages."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from closewell.cases.models import Episode
from closewell.closures.models import ClosureRecord
from closewell.web.tests.browser import ARTIFACTS, axe_violations, click, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = (
    "Dear Ellie,\n\nWe met in the spring because your school was worried about you. "
    "You told me you were sad a lot and did not want to go to school.\n\n"
    "Now you go to school every day. You told me: “I like my new school.”\n\n"
    "We are stopping because things are better at home. If things get hard again, "
    "you can talk to your teacher or call us on 0300 555 0100."
)


def check(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"letter-{name}.png"), full_page=True)
    found = axe_violations(page)
    assert not found, f"{name}: {describe(found)}"


@pytest.fixture(autouse=True)
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_writing_a_letter_to_the_child(page):
    episode = Episode.objects.get(child__la_child_id="NM100001", status="open")
    # The demo's Ellie is 4 (no note for a child under 5): here she is 9.
    child = episode.child
    child.date_of_birth = timezone.localdate() - dt.timedelta(days=9 * 365 + 40)
    child.save()
    sign_in(page, "worker.east")
    page.goto(f"/children/{episode.child_id}/")
    click(page, "text=Close this case")
    page.fill("#id_decision_date_day", "20")
    page.fill("#id_decision_date_month", "11")
    page.fill("#id_decision_date_year", "2026")
    page.check("#id_decision_maker_0")
    click(page, 'button:has-text("Start the Closure Record")')
    record = ClosureRecord.objects.get(episode=episode)

    status = page.locator("#task-letter-status")
    assert status.inner_text().strip() == "Optional"
    check(page, "task-list")

    click(page, f'a[href="/closures/{record.pk}/check/"]')
    assert "Ellie is 9: there is no letter to Ellie." in page.locator("#letter-note").inner_text()
    page.locator("#letter-note").screenshot(path=str(ARTIFACTS / "letter-note.png"))
    check(page, "check-without")

    click(page, "#letter-note a")
    assert page.locator("h1").inner_text() == "A letter to the child"
    assert "Write to Ellie as “you”" in page.content()
    page.fill("#id_letter_to_child", "The child was referred because the mother failed to engage.")
    click(page, 'button:has-text("Save and return to the record")')
    click(page, f'a[href="/closures/{record.pk}/section/letter/"]')
    advice = page.content()
    assert "as “you”" in advice  # the advice: write to Ellie, not about her
    check(page, "letter-advice")

    page.fill("#id_letter_to_child", LETTER)
    click(page, 'button:has-text("Save and return to the record")')
    assert page.locator("#task-letter-status").inner_text().strip() == "Completed"
    assert ClosureRecord.objects.get(pk=record.pk).letter_to_child.replace("\r\n", "\n") == LETTER

    click(page, f'a[href="/closures/{record.pk}/check/"]')
    card = page.locator("#section-letter")
    assert "A letter to the child" in card.inner_text()
    assert "You told me: “I like my new school.”" in card.inner_text()
    assert page.locator("#letter-note").count() == 0
    card.screenshot(path=str(ARTIFACTS / "letter-card.png"))
    check(page, "check-with")
