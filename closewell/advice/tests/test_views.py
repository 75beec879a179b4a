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
