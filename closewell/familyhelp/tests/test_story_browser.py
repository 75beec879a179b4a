"""The loop closed, in Chromium with the demo data: a worker closes Harvey's case to early help (RC9)
with a handover; the manager authorises; the lead practitioner signs in, sees only Harvey's handover and
accepts it; six months later Harvey is referred again and his case shows the closure and the handover
first; the report counts him under the closing team."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from closewell.accounts.models import Role, User
from closewell.cases.models import Episode
from closewell.cases.services import episode_open
from closewell.closures.content import parents_and_carers
from closewell.closures.models import ClosureRecord, Status
from closewell.familyhelp.models import Acknowledgement, Handover
from closewell.web.tests.browser import ARTIFACTS, DEMO_PASSWORD, check_page, click, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def fill_date(page, prefix: str, date: dt.date) -> None:
    page.fill(f"#{prefix}_day", str(date.day))
    page.fill(f"#{prefix}_month", str(date.month))
    page.fill(f"#{prefix}_year", str(date.year))


def save(page) -> None:
    submit(page, "Save and return to the record")


def test_closed_into_family_help_and_referred_again(page):
    today = timezone.localdate()
    episode = Episode.objects.get(child__la_child_id="NM100008", status="open")
    child = episode.child
    # A lead practitioner at a charity, as an administrator makes one (the two-administrator flow is
    # the accounts tests'): handed nobody yet.
    lead = User.objects.create_user(
        "lead.harvey",
        password=DEMO_PASSWORD,
        role=Role.LEAD_PRACTITIONER,
        first_name="Kofi",
        last_name="Mensah",
        organisation="Northmoor Youth Trust",
    )

    # The worker starts the Closure Record and closes to early help (RC9).
    sign_in(page, "worker.east")
    page.goto(f"/children/{child.pk}/")
    with page.expect_navigation():
        page.click("text=Close this case")
    fill_date(page, "id_decision_date", today)
    page.check("#id_decision_maker_0")  # the team's manager, Helen Ashdown
    submit(page, "Start the Closure Record")
    record = ClosureRecord.objects.get(episode=episode)

    page.goto(f"/closures/{record.pk}/section/involvement/")
    page.fill(
        "#id_reason_for_involvement", "Harvey was excluded for fighting; older boys were pressuring him."
    )
    save(page)
    page.goto(f"/closures/{record.pk}/section/interventions/")
    page.fill("#id_interventions", "A single assessment: a home visit and a visit to Harvey at school.")
    save(page)
    page.goto(f"/closures/{record.pk}/section/reason/")
    page.fill(
        "#id_reason_for_closure", "Harvey wants to join the youth trust's football group with a mentor."
    )
    page.check("input[name=reason_code][value=RC9]")
    save(page)
    page.goto(f"/closures/{record.pk}/section/child_views/")
    page.check("input[name=child_discussed][value=yes]")
    fill_date(page, "id_child_discussed_date", today)
    page.fill("#id_child_views", "Harvey said: “I want to play football, not fight.”")
    save(page)
    page.goto(f"/closures/{record.pk}/section/parent_views/")
    for link in parents_and_carers(episode):
        pid = link.person_id
        page.check(f"input[name=parent_{pid}_discussed][value=yes]")
        fill_date(page, f"id_parent_{pid}_discussed_date", today)
        page.fill(f"#id_parent_{pid}_views", "Denise Lund said: “A mentor is what he needs.”")
    save(page)

    # RC9 puts the handover on the task list; it is written like any section.
    page.goto(f"/closures/{record.pk}/")
    assert "Handover to Family Help" in page.locator(".govuk-task-list").first.inner_text()
    page.goto(f"/closures/{record.pk}/section/handover/")
    page.select_option("#id_lead_practitioner", str(lead.pk))
    page.fill("#id_lead_contact", "Northmoor Youth Trust reception, 01632 960777")
    page.check("input[name=consent_given][value=yes]")
    page.fill("#id_consent_by", "Denise Lund (mother) and Harvey")
    fill_date(page, "id_consent_date", today)
    page.fill("#id_consent_scope", "This handover and the assessment's outcome.")
    page.fill("#id_continuing_support", "Weekly football group and a mentor at Northmoor Youth Trust.")
    page.fill("#id_outstanding_actions", "Kofi Mensah to meet Harvey's head of year.")
    page.fill(
        "#id_signs_to_watch",
        "Harvey missing the group two weeks running, another exclusion, or older boys waiting for him "
        "after school. Then call the children's services front door the same day.",
    )
    page.fill(
        "#id_summary",
        "Harvey is 14 and lives with his mother, Denise Lund. Older boys have been pushing him to fight. "
        "He wants to play football and have a mentor.",
    )
    check_page(page, "familyhelp-section")
    save(page)
    page.goto(f"/closures/{record.pk}/check/")
    submit(page, "Submit for authorisation")
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED, page.locator(".govuk-error-summary").all_inner_texts()

    # The manager (who wrote none of it: four eyes holds) authorises.
    sign_in(page, "manager")
    page.goto(f"/closures/{record.pk}/review/")
    click(page, "text=Continue to authorise")
    submit(page, "Authorise and close the case")
    record.refresh_from_db()
    assert record.status == Status.AUTHORISED and record.snapshot["handover"]["lead_practitioner"]

    # The lead practitioner sees Harvey's handover and nothing else, and accepts it.
    sign_in(page, "lead.harvey")
    assert page.url.endswith("/family-help/")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "Harvey" in rows.first.inner_text()
    check_page(page, "familyhelp-lead-list")
    with page.expect_navigation():
        page.click(f"text={child.full_name}")
    main = page.locator("main").inner_text()
    assert "older boys waiting for him" in main and "Kofi Mensah" in main
    check_page(page, "familyhelp-lead-handover")
    for elsewhere in (f"/children/{child.pk}/", f"/closures/{record.pk}/", "/search/", "/cases/"):
        assert page.goto(elsewhere).status == 404, elsewhere
    page.goto(f"/family-help/handovers/{record.handover.pk}/")
    page.check("input[name=answer][value=accepted]")
    submit(page, "Send your answer")
    assert Handover.objects.get(record=record).acknowledgement == Acknowledgement.ACCEPTED
    check_page(page, "familyhelp-lead-accepted")

    # The closing team's manager sees it answered.
    sign_in(page, "manager")
    page.goto("/family-help/team/")
    assert "Accepted" in page.locator("main").inner_text()
    check_page(page, "familyhelp-team")

    # Six months later Harvey is referred again (as the SSD import or another system would open it).
    later = today + dt.timedelta(days=182)
    with time_machine.travel(dt.datetime.combine(later, dt.time(10)).astimezone(), tick=True):
        again = episode_open(
            actor=None, child=child, referral_date=later, referral_source="2A", team=episode.team
        )
        assert again.previous_episode == episode and again.is_re_referral
        sign_in(page, "worker.east")
        page.goto(f"/children/{child.pk}/")
        main = page.locator("main").inner_text()
        assert main.index("Referred again") < main.index(f"About {child.first_name}")
        assert "older boys waiting for him" in main
        check_page(page, "familyhelp-loop-back")

        sign_in(page, "manager")
        page.goto("/reports/")
        text = page.locator("main").inner_text()
        assert "Referred again after closing" in text
        csv = page.request.get("/reports/loop.csv").text()
        lines = {line.split(",")[0]: line.split(",")[1:] for line in csv.splitlines()[1:]}
        east = lines[f"Team: {episode.team.name}"]
        assert int(east[2]) >= 1  # within 12 months of the closure (Closewell's measure)
        # Harvey's closure: one, handed over and accepted; back after six months, not within three.
        assert lines["Handover accepted"][:3] == ["1", "0", "1"]
        check_page(page, "familyhelp-reports")
        page.locator("section[aria-labelledby=loop]").screenshot(
            path=str(ARTIFACTS / "familyhelp-report-loop.png")
        )
