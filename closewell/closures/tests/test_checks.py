"""Each rule in checks.py: a record that breaks it is refused with a message naming the section."""

import datetime as dt

import pytest
from django.utils import timezone

from closewell.cases.models import Contact, Plan, Section47
from closewell.closures import checks, sections
from closewell.closures.models import ParentView

from .conftest import at, days_ago


def rules(record):
    record.refresh_from_db()
    return {(p.section, p.field, p.rule) for p in sections.problems(record)}


def messages(record):
    return [str(p) for p in sections.problems(record)]


def test_complete_record_has_no_problems(complete_record):
    assert sections.problems(complete_record) == []


@pytest.mark.parametrize(
    ("field", "section"),
    [
        ("reason_for_involvement", "involvement"),
        ("interventions", "interventions"),
        ("reason_for_closure", "reason"),
        ("da_work_with_perpetrator", "domestic_abuse"),
        ("da_if_released", "domestic_abuse"),
        ("da_if_resumed", "domestic_abuse"),
    ],
)
def test_mandatory_text_sections(complete_record, field, section):
    setattr(complete_record, field, "  ")
    complete_record.save()
    found = sections.problems(complete_record)
    assert [(p.section, p.field) for p in found] == [(section, field)]
    assert str(found[0]).startswith(checks.Section(section).label + ": ")


def test_reason_code_needed_rule_8805(complete_record):
    complete_record.reason_code = ""
    complete_record.save()
    assert ("reason", "reason_code", "8805") in rules(complete_record)


def test_domestic_abuse_section_only_when_an_assessment_identified_it(complete_record, case):
    complete_record.da_work_with_perpetrator = ""
    complete_record.save()
    assert any(p.section == "domestic_abuse" for p in sections.problems(complete_record))
    case.assessment.factors = ["4B"]
    case.assessment.save()
    assert sections.problems(complete_record) == []
    assert not sections.section_required(complete_record, "domestic_abuse")


def test_every_planned_action_needs_actual_level_and_outcome(complete_record, case):
    case.action.refresh_from_db()
    case.action.outcome = ""
    case.action.save()
    assert rules(complete_record) == {("review", f"outcome_{case.action.pk}", "")}
    case.action.actual_level = ""
    case.action.save()
    assert ("review", f"actual_level_{case.action.pk}", "") in rules(complete_record)


def test_unplanned_service_needs_its_impact(complete_record, case):
    case.unplanned.refresh_from_db()
    case.unplanned.impact = ""
    case.unplanned.save()
    assert rules(complete_record) == {("review", f"impact_{case.unplanned.pk}", "")}


def test_child_views_discussed_or_reason(complete_record):
    complete_record.child_discussed = None
    complete_record.save()
    assert rules(complete_record) == {("child_views", "child_discussed", "")}
    complete_record.child_discussed = False
    complete_record.save()
    assert rules(complete_record) == {("child_views", "child_not_discussed_reason", "")}
    complete_record.child_not_discussed_reason = "Ruby is 8 months old."
    complete_record.save()
    assert rules(complete_record) == set()
    complete_record.child_discussed = True
    complete_record.child_views = ""
    complete_record.child_discussed_date = None
    complete_record.save()
    assert rules(complete_record) == {
        ("child_views", "child_views", ""),
        ("child_views", "child_discussed_date", ""),
    }


def test_each_parent_views_or_reason(complete_record, case):
    ParentView.objects.filter(record=complete_record, person=case.father).update(not_discussed_reason="")
    found = sections.problems(complete_record)
    assert [p.field for p in found] == [f"parent_{case.father.pk}_not_discussed_reason"]
    assert "Dean Hale" in found[0].message
    ParentView.objects.filter(record=complete_record, person=case.mother).delete()
    assert f"parent_{case.mother.pk}" in {p.field for p in sections.problems(complete_record)}


def test_interpreting_required_when_a_parent_does_not_read_english(complete_record, case):
    assert not sections.section_required(complete_record, "interpreting")
    case.mother.reads_english = False
    case.mother.first_language = "Polish"
    case.mother.save()
    assert sections.section_required(complete_record, "interpreting")
    assert {p.field for p in sections.problems(complete_record)} == {
        "interpreter_language",
        "interpreter_name",
        "interpreted_on",
        "explained_to",
    }
    complete_record.interpreter_language = "Polish"
    complete_record.interpreter_name = "Ola Nowicka"
    complete_record.interpreted_on = days_ago(3)
    complete_record.explained_to = "Jess Hale and Ruby"
    complete_record.save()
    # Filled in here, not saved on its page: it holds content nobody has saved yet.
    assert [str(p) for p in sections.problems(complete_record)] == ["Check Interpreting: read it and save it"]
    complete_record.confirmed_sections = [*complete_record.confirmed_sections, "interpreting"]
    assert sections.problems(complete_record) == []


def test_decision_not_before_referral_rule_8630(complete_record, case):
    complete_record.decision_date = case.episode.referral_date - dt.timedelta(days=1)
    complete_record.save()
    assert ("reason", "decision_date", "8630") in rules(complete_record)


def test_no_activity_after_closure_rule_8565(complete_record, case):
    """DfE's 8565, as on the data quality page: nothing in the episode dated after the closure,
    which is the authorisation date (today at the latest)."""
    Section47.objects.create(
        episode=case.episode, start_date=days_ago(30), icpc_date=days_ago(-3), icpc_target_date=days_ago(-3)
    )
    assert ("interventions", "", "8565") in rules(complete_record)
    [problem] = [p for p in sections.problems(complete_record) if p.rule == "8565"]
    assert "An initial child protection conference was held" in problem.message


def test_a_contact_dated_in_the_future_is_refused(complete_record, case):
    Contact.objects.create(
        episode=case.episode,
        occurred_at=at(days_ago(-2)),
        kind="home_visit",
        note="Booked.",
        worker=case.worker,
    )
    assert ("interventions", "", "") in rules(complete_record)


@pytest.mark.parametrize("code", sorted(checks.CENSUS_RULES_AT_CLOSURE))
def test_the_record_asks_the_census_rule_itself(complete_record, monkeypatch, code):
    """Each census rule at closure is census/rules.py's function (one rule, two places): make the
    census rule find a breach and the record has the problem; make it find none and it has not."""
    from closewell.census import rules as census_rules

    rule = census_rules.RULES[code]
    monkeypatch.setitem(
        census_rules.RULES, code, census_rules.Rule(code, rule.level, lambda *args: iter(["Broken."]))
    )
    assert code in {p.rule for p in sections.problems(complete_record)}
    monkeypatch.setitem(census_rules.RULES, code, census_rules.Rule(code, rule.level, lambda *args: iter([])))
    assert code not in {p.rule for p in sections.problems(complete_record)}


def test_unauthorised_assessment_blocks_closure_rule_8867(complete_record, case):
    case.assessment.authorisation_date = None
    case.assessment.save()
    found = [p for p in sections.problems(complete_record) if p.rule == "8867"]
    assert found and "not authorised" in found[0].message


def test_open_section_47_blocks_closure_rule_8868(complete_record, case):
    s47 = Section47.objects.create(episode=case.episode, start_date=days_ago(120))
    assert any(p.rule == "8868" for p in sections.problems(complete_record))
    s47.icpc_not_required = True
    s47.save()
    assert not any(p.rule == "8868" for p in sections.problems(complete_record))


@pytest.mark.parametrize("code", ["RC8", "RC9"])
def test_after_assessment_codes_refused_with_a_plan_rule_2990(complete_record, code):
    complete_record.reason_code = code
    complete_record.save()
    assert ("reason", "reason_code", "2990") in rules(complete_record)


def test_after_assessment_code_refused_with_section_47_rule_2990(complete_record, case):
    Plan.objects.filter(episode=case.episode).delete()
    complete_record.reason_code = "RC8"
    complete_record.save()
    assert rules(complete_record) == set()
    Section47.objects.create(episode=case.episode, start_date=days_ago(120), icpc_not_required=True)
    assert ("reason", "reason_code", "2990") in rules(complete_record)


def test_after_assessment_code_needs_an_assessment_rule_8825q(complete_record, case):
    Plan.objects.filter(episode=case.episode).delete()
    complete_record.reason_code = "RC9"
    complete_record.save()
    case.assessment.delete()
    complete_record.da_work_with_perpetrator = ""
    assert ("reason", "reason_code", "8825Q") in rules(complete_record)


def test_died_needs_a_date_of_death_rule_8585q(complete_record, case):
    complete_record.reason_code = "RC2"
    complete_record.save()
    assert ("reason", "reason_code", "8585Q") in rules(complete_record)
    case.child.date_of_death = timezone.localdate()
    case.child.save()
    assert ("reason", "reason_code", "8585Q") not in rules(complete_record)


def test_problems_come_in_section_order(case, complete_record):
    complete_record.reason_for_involvement = ""
    complete_record.child_views = ""
    complete_record.reason_for_closure = ""
    complete_record.save()
    assert [p.section for p in sections.problems(complete_record)] == ["involvement", "reason", "child_views"]
