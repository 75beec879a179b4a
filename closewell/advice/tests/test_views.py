"""The advice on the Closure Record pages: beside each section as it is written, and summarised for
the manager on the review page."""

from django.urls import reverse

from closewell.closures import services
from closewell.closures.models import Section


def test_the_section_page_shows_advice_on_what_is_saved(client, complete_record, case):
    record = services.closure_update(
        actor=case.worker,
        record=complete_record,
        section=Section.REASON,
        version=complete_record.version,
        data={"reason_for_closure": "Ruby is safe. Support included short beak care after the ICPC."},
    )
    client.force_login(case.worker)
    response = client.get(reverse("closures:section", args=[record.pk, Section.REASON]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="writing-advice"' in html
    assert "did you mean “short break care”?" in html
    assert "“ICPC” may not mean anything to the family" in html


def test_a_section_with_nothing_to_advise_on_has_no_panel(client, complete_record, case):
    client.force_login(case.worker)
    response = client.get(reverse("closures:section", args=[complete_record.pk, Section.INTERPRETING]))
    assert response.status_code in (200, 404)  # interpreting is not due on this case
    assert 'id="writing-advice"' not in response.content.decode()


def test_the_manager_sees_a_summary_of_outstanding_advice(client, complete_record, case):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    client.force_login(case.manager)
    response = client.get(reverse("closures:review", args=[record.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Writing advice outstanding" in html
    assert 'data-advice-section="review"' in html
    assert "No date or measure" in html


def test_the_panel_gives_new_kinds_of_advice_with_an_example_and_no_score(client, complete_record, case):
    record = services.closure_update(
        actor=case.worker,
        record=complete_record,
        section=Section.REASON,
        version=complete_record.version,
        data={
            "reason_for_closure": (
                "The core group met on 31 February 2026. Mum failed to engage with the parenting "
                "programme at first. The risks have reduced and she has shown insight."
            )
        },
    )
    client.force_login(case.worker)
    html = client.get(reverse("closures:section", args=[record.pk, Section.REASON])).content.decode()
    for kind in ("label", "role", "claim", "date"):
        assert f'data-advice-kind="{kind}"' in html
    assert "Describe, do not label" in html
    assert "For example:" in html and "Instead of “failed to engage”" in html
    assert "Reading ease" not in html and "reading age" not in html


def test_a_huge_section_is_said_to_be_too_long_to_advise_on(client, complete_record, case):
    from closewell.closures.models import ClosureRecord

    huge = "Mum failed to engage and made good progress. " * 7700  # about 343 KB
    ClosureRecord.objects.filter(pk=complete_record.pk).update(reason_for_closure=huge)
    client.force_login(case.worker)
    response = client.get(reverse("closures:section", args=[complete_record.pk, Section.REASON]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "too long to advise on" in html
    assert html.count("data-advice-kind=") == 1  # the list is bounded: one piece of advice, not thousands
    assert "<mark>" not in html


def test_the_managers_review_shows_examples_and_stays_bounded(client, complete_record, case):
    from closewell.closures.models import ClosureRecord

    ClosureRecord.objects.filter(pk=complete_record.pk).update(
        interventions=" ".join(f"blorf{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(300)) + "."
    )
    complete_record.refresh_from_db()
    record = services.closure_submit(actor=case.worker, record=complete_record)
    client.force_login(case.manager)
    html = client.get(reverse("closures:review", args=[record.pk])).content.decode()
    assert "more words that may be misspelt" in html
    assert html.count('data-advice-kind="spelling"') <= 7
