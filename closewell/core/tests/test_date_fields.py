"""Every date field, through the pages and the API, refuses dates that make no sense (hypothesis).

The list of date fields is not written here: it is found by walking every form and every API
serializer of the product (and the Closure Record's sections the API writes). A new date field
without a rule, or without a way to post it below, fails test_every_date_field_is_covered.
"""

import datetime as dt
import html
import importlib
import pkgutil
import re
from types import SimpleNamespace

import pytest
from django import forms
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.test import APIClient

import closewell
from closewell.api.services import token_create
from closewell.cases.models import Contact, Person, PlannedAction
from closewell.closures import sections
from closewell.closures import services as closure_services
from closewell.closures.checks import date_checks
from closewell.closures.models import ClosureRecord, Section
from closewell.core import date_rules
from closewell.documents.models import Copy, Signature
from closewell.documents.tests import conftest as documents_scenario
from closewell.familyhelp.services import handover_add
from closewell.web.widgets import MAX_YEAR, MIN_YEAR, GovukDateField

# The Closure Record and documents tests' scenario (Ruby Hale, referred 200 days ago).
people = documents_scenario.people
case = documents_scenario.case
complete_record = documents_scenario.complete_record
signed_record = documents_scenario.signed_record
authorised = documents_scenario.authorised

EXAMPLES = settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], database=None
)


def _import_all(suffixes=("forms", "closures", "contacts", "copies", "episodes", "children")) -> None:
    for module in pkgutil.walk_packages(closewell.__path__, "closewell."):
        if module.name.rsplit(".", 1)[-1] in suffixes and ".tests" not in module.name:
            importlib.import_module(module.name)


def _subclasses(base) -> list:
    found, pending = [], [base]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("closewell.") and ".tests" not in sub.__module__:
                found.append(sub)
    return found


def form_date_fields() -> dict[str, list[str]]:
    """{form class name: [date field names]} of every form of the product (declared fields)."""
    _import_all()
    out = {}
    for form in _subclasses(forms.BaseForm):
        names = [
            name
            for name, field in form.base_fields.items()
            if isinstance(field, GovukDateField | forms.DateField | forms.DateTimeField)
        ]
        if names:
            out[form.__name__] = names
    return out


def api_request_date_fields() -> dict[str, list[str]]:
    """{request body: [date fields]} of every operation in the API's OpenAPI schema: what the API
    accepts, found from the API itself (components are named after their serializer + "Request")."""
    from drf_spectacular.generators import SchemaGenerator  # noqa: PLC0415 (only this test needs it)

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    out = {}
    for operations in schema["paths"].values():
        for operation in operations.values():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            if not ref:
                continue
            name = ref.rsplit("/", 1)[-1]
            properties = components[name].get("properties", {})
            dates = [key for key, spec in properties.items() if spec.get("format") in ("date", "date-time")]
            if dates:
                out[name.removesuffix("Request") + "Serializer"] = dates
    return out


def section_date_fields() -> list[tuple[str, str]]:
    """(section, field) of every model date field the API's section PUT writes (the section registry)."""
    found = []
    for spec in sections.SECTIONS:
        model, names = (spec.rows.model, spec.rows.fields) if spec.rows else (ClosureRecord, spec.fields)
        for name in names:
            if model._meta.get_field(name).get_internal_type() == "DateField":
                found.append((spec.key, name))
    return found


# --- How each form is posted on its page ----------------------------------------------------------


def _record(case, **interpreting):
    if interpreting:
        Person.objects.filter(pk=case.mother.pk).update(reads_english=False, interpreter_needed=True)
    return closure_services.closure_start(
        actor=case.worker,
        episode=case.episode,
        decision_date=case.episode.referral_date + dt.timedelta(days=30),
        decision_by="Wendy Ash",
    )


def page_contact(s):
    data = {"kind": "home_visit", "work": "direct", "note": "Saw Ruby."}
    return f"/children/{s.child.pk}/contacts/add/", data, {"occurred_at": "occurred_at"}, s.episode


def page_action(s):
    data = {
        "plan": "unplanned",
        "dimension": "health",
        "parent": "birth_family",
        "description": "Dentist",
        "responsible": "worker",
    }
    return (
        f"/children/{s.child.pk}/actions/add/",
        data,
        {"start_date": "start_date", "end_date": "end_date"},
        s.episode,
    )


def page_start(s):
    return (
        f"/closures/start/{s.episode.pk}/",
        {"decision_maker": "other", "decision_by": "Wendy Ash", "decision_by_role": "social worker"},
        {"decision_date": "decision_date"},
        s.episode,
    )


def _section(s, section, data, fields, **interpreting):
    record = _record(s, **interpreting)
    data = {"version": record.version, **data}
    return f"/closures/{record.pk}/section/{section}/", data, fields, record


def page_reason(s):
    data = {
        "reason_for_closure": "Safe.",
        "reason_code": "RC7",
        "decision_maker": "other",
        "decision_by": "Wendy Ash",
        "decision_by_role": "social worker",
    }
    return _section(s, "reason", data, {"decision_date": "decision_date"})


def page_child_views(s):
    data = {"child_discussed": "yes", "child_views": "Ruby said yes."}
    return _section(s, "child_views", data, {"child_discussed_date": "child_discussed_date"})


def page_parent_views(s):
    mother, father = f"parent_{s.mother.pk}_", f"parent_{s.father.pk}_"
    data = {
        f"{mother}discussed": "yes",
        f"{mother}views": "Jess agrees.",
        f"{father}discussed": "no",
        f"{father}not_discussed_reason": "In custody.",
    }
    return _section(s, "parent_views", data, {"discussed_date": f"{mother}discussed_date"})


def page_interpreting(s):
    data = {"interpreter_language": "Polish", "interpreter_name": "Ola Nowak", "explained_to": "Jess"}
    return _section(s, "interpreting", data, {"interpreted_on": "interpreted_on"}, interpreting=True)


def page_signature(s):
    record = _record(s)
    data = {"signer": "child", "method": "not_signed", "not_signed_reason": "declined"}
    return f"/documents/records/{record.pk}/signatures/", data, {"signed_on": "signed_on"}, record


def page_copy(s):
    record = s.authorised
    data = {"recipient": "file", "method": "in_person"}
    return f"/documents/records/{record.pk}/copies/give/", data, {"given_on": "given_on"}, record


def page_handover(s):
    record = _record(s)
    handover_add(actor=s.worker, record=record)
    record.refresh_from_db()
    data = {"version": record.version, "consent_given": "yes", "consent_by": "Jess Hale"}
    return f"/closures/{record.pk}/section/handover/", data, {"consent_date": "consent_date"}, record


PAGES = {
    "HandoverForm": page_handover,
    "ContactForm": page_contact,
    "ActionForm": page_action,
    "StartForm": page_start,
    "ReasonForm": page_reason,
    "ChildViewsForm": page_child_views,
    "ParentViewsForm": page_parent_views,
    "InterpretingForm": page_interpreting,
    "SignatureForm": page_signature,
    "CopyForm": page_copy,
}
# Forms whose dates are not facts about a child: none may be checked against a case.
NO_RULE = {"ReportFilterForm"}


def _form_class(name: str):
    _import_all()
    return next(form for form in _subclasses(forms.BaseForm) if form.__name__ == name)


def _rule_of(form_name: str, field: str) -> str:
    form = _form_class(form_name)
    if field in form.base_fields:
        return form.base_fields[field].date_rule
    return {"discussed_date": "parent_view.discussed_date"}[field]


# --- The strategy: dates that break a rule ---------------------------------------------------------

FAR_PAST = dt.date(1000, 1, 1)
FAR_FUTURE = dt.date(9999, 12, 31)


def impossible_dates(rule: str, context: date_rules.DateContext):
    """Dates the rule must refuse in this context: the future (unless planned), before the child's
    birth, before the referral, after the case closed, before the record was authorised (copies)."""
    rule = date_rules.RULES[rule]
    options = []
    if not rule.plan:
        options.append(st.dates(context.today + dt.timedelta(days=1), FAR_FUTURE))
    if rule.since_birth and context.date_of_birth:
        options.append(st.dates(FAR_PAST, context.date_of_birth - dt.timedelta(days=1)))
    if rule.in_episode and context.referral_date:
        options.append(st.dates(FAR_PAST, context.referral_date - dt.timedelta(days=1)))
        if context.closure_date:
            options.append(st.dates(context.closure_date + dt.timedelta(days=1), FAR_FUTURE))
    if rule.from_authorised and context.authorised_on:
        options.append(st.dates(FAR_PAST, context.authorised_on - dt.timedelta(days=1)))
    options.append(st.dates(FAR_PAST, date_rules.EARLIEST - dt.timedelta(days=1)))
    return st.one_of(options)


def _context_of(target) -> date_rules.DateContext:
    if isinstance(target, ClosureRecord):
        return date_rules.context_for(record=target)
    return date_rules.context_for(episode=target)


def _counts() -> tuple:
    return (
        Contact.objects.count(),
        PlannedAction.objects.count(),
        ClosureRecord.objects.count(),
        list(ClosureRecord.objects.order_by("pk").values_list("version", flat=True)),
        Signature.objects.count(),
        Copy.objects.count(),
    )


@pytest.fixture
def scenario(case, client):
    return SimpleNamespace(**vars(case), client=client)


# --- The tests --------------------------------------------------------------------------------------


def test_every_date_field_is_covered():
    """Found by walking the code: each form's date field has a rule (or is a report's period) and a
    page below posts it; each writable date of the API names its rule and is posted below."""
    for form_name, fields in form_date_fields().items():
        form = _form_class(form_name)
        for name in fields:
            field = form.base_fields[name]
            if form_name in NO_RULE:
                assert getattr(field, "date_rule_exempt", ""), f"{form_name}.{name}: say why it has no rule"
                continue
            assert field.date_rule in date_rules.RULES, f"{form_name}.{name} has no date rule"
        if form_name not in NO_RULE:
            assert form_name in PAGES, f"{form_name}: add how its page is posted to PAGES"
    for serializer_name, fields in api_request_date_fields().items():
        serializer = next(s for s in _subclasses(serializers.BaseSerializer) if s.__name__ == serializer_name)
        for name in fields:
            assert serializer.date_rules.get(name) in date_rules.RULES, (
                f"{serializer_name}.{name} has no rule"
            )
        assert serializer_name in API, f"{serializer_name}: add how it is posted to API"
    checked = {field for field, *_ in date_checks(ClosureRecord())}
    for section, name in section_date_fields():
        if section != Section.PARENT_VIEWS:
            assert name in checked, f"{section}.{name} is not in closures.checks.date_checks"
            assert (section, name) in SECTION_RULES


@pytest.mark.parametrize("form_name", sorted(set(PAGES) - {"CopyForm"}))
def test_pages_refuse_impossible_dates(form_name, scenario, client):
    client.force_login(scenario.worker)
    _check_page(form_name, scenario, client)


def test_copy_page_refuses_impossible_dates(scenario, authorised, client):
    scenario.authorised = authorised
    client.force_login(scenario.worker)
    _check_page("CopyForm", scenario, client)


def _check_page(form_name, scenario, client):
    url, data, fields, target = PAGES[form_name](scenario)
    context = _context_of(target)
    for field, posted in fields.items():
        rule = _rule_of(form_name, field)

        _page_refuses(form_name, field, posted, rule, url, data, context, scenario, client)


def _page_refuses(form_name, field, posted, rule, url, data, context, scenario, client):
    @EXAMPLES
    @given(day=impossible_dates(rule, context))
    def refused(day):
        before = _counts()
        post = {
            **data,
            f"{posted}_day": str(day.day),
            f"{posted}_month": str(day.month),
            f"{posted}_year": f"{day.year:04d}",
        }
        if rule == "contact.occurred_at":
            post[f"{posted}_time"] = "10:00"
        response = client.post(url, post)
        assert response.status_code == 200, f"{form_name}.{field} accepted {day}"
        page = html.unescape(response.content.decode())
        summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
        assert summary, f"{form_name}.{field}: no error for {day}"
        assert f'href="#id_{posted}_day"' in summary.group(0), f"{form_name}.{field}: {day} not refused"
        value = day
        if rule == "contact.occurred_at":
            value = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        expected = date_rules.check(rule, value, context, **_names(scenario, posted))
        if not MIN_YEAR <= day.year <= MAX_YEAR:  # the date field itself refuses such a year first
            expected = f"The year must be between {MIN_YEAR} and {MAX_YEAR}"
        assert expected and expected in summary.group(0), f"{form_name}.{field}: {day}"
        assert _counts() == before

    refused()


def _names(scenario, posted: str) -> dict:
    if posted.startswith("parent_"):
        return {"person": scenario.mother.full_name}
    return {}


# --- The API ----------------------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    _, key = token_create(actor=None, user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def api_contact(s):
    body = {"kind": "letter", "note": "Wrote to Jess."}
    return "post", f"/api/v1/episodes/{s.episode.pk}/contacts/", body, "occurred_at", s.episode


def api_start(s):
    body = {"episode": s.episode.pk, "decision_by": "Wendy Ash", "decision_by_role": "social worker"}
    return "post", "/api/v1/closure-records/", body, "decision_date", s.episode


def api_copy(s):
    body = {"recipient_kind": "file", "method": "in_person"}
    return "post", f"/api/v1/closure-records/{s.authorised.pk}/copies/", body, "given_on", s.authorised


API = {
    "ContactCreateSerializer": (api_contact, "contact.occurred_at"),
    "RecordStartSerializer": (api_start, "closure.decision_date"),
    "CopyGiveSerializer": (api_copy, "copy.given_on"),
}
SECTION_RULES = {
    ("reason", "decision_date"): "closure.decision_date",
    ("child_views", "child_discussed_date"): "closure.child_discussed_date",
    ("interpreting", "interpreted_on"): "closure.interpreted_on",
    ("parent_views", "discussed_date"): "parent_view.discussed_date",
    ("handover", "consent_date"): "handover.consent_date",
}


def _iso(day: dt.date, rule: str) -> str:
    return f"{day.isoformat()}T10:00:00Z" if rule == "contact.occurred_at" else day.isoformat()


def _check_api(method, url, body, field, target, rule, client, names=None, wrap=None):
    context = _context_of(target)

    @EXAMPLES
    @given(day=impossible_dates(rule, context))
    def refused(day):
        before = _counts()
        payload = wrap(_iso(day, rule)) if wrap else {**body, field: _iso(day, rule)}
        response = getattr(client, method)(url, payload, format="json")
        assert response.status_code == 400, f"{url} {field}={day}: {response.status_code}"
        errors = response.json()["errors"]
        assert field in errors, f"{field} not named for {day}: {errors}"
        assert _counts() == before

    refused()


@pytest.mark.parametrize("serializer_name", ["ContactCreateSerializer", "RecordStartSerializer"])
def test_api_refuses_impossible_dates(serializer_name, scenario):
    make, rule = API[serializer_name]
    method, url, body, field, target = make(scenario)
    _check_api(method, url, body, field, target, rule, _api(scenario.worker))


def test_api_refuses_impossible_copy_dates(scenario, authorised):
    scenario.authorised = authorised
    make, rule = API["CopyGiveSerializer"]
    method, url, body, field, target = make(scenario)
    _check_api(method, url, body, field, target, rule, _api(scenario.worker))


@pytest.mark.parametrize(("section", "name"), sorted(SECTION_RULES))
def test_api_sections_refuse_impossible_dates(section, name, scenario):
    record = _record(scenario, **({"interpreting": True} if section == "interpreting" else {}))
    if section == "handover":  # added by the worker: the section is then due
        handover_add(actor=scenario.worker, record=record)
        record.refresh_from_db()
    client = _api(scenario.worker)
    rule = SECTION_RULES[(section, name)]
    url = f"/api/v1/closure-records/{record.pk}/sections/{section}/"
    if section == "parent_views":
        field = f"parent_{scenario.mother.pk}_discussed_date"

        def wrap(value):
            data = {str(scenario.mother.pk): {"discussed": True, "discussed_date": value, "views": "Yes."}}
            return {"version": record.version, "data": data}
    elif section == "handover":
        field = name

        def wrap(value):
            return {"version": record.version, "data": {str(record.pk): {name: value}}}
    else:
        field = name

        def wrap(value):
            return {"version": record.version, "data": {name: value}}

    _check_api("put", url, {}, field, record, rule, client, wrap=wrap)


def test_the_reported_dates_are_refused(scenario):
    """Issue 14, finding 9: a contact dated 2099 and a decision date in 2099 through the API."""
    client = _api(scenario.worker)
    contact = client.post(
        f"/api/v1/episodes/{scenario.episode.pk}/contacts/",
        {"occurred_at": "2099-01-01T10:00:00Z", "kind": "letter", "note": "From the future."},
        format="json",
    )
    assert contact.status_code == 400
    assert contact.json()["errors"] == {
        "occurred_at": ["The date and time of the contact must be in the past"]
    }
    start = client.post(
        "/api/v1/closure-records/",
        {
            "episode": scenario.episode.pk,
            "decision_date": "2099-01-01",
            "decision_by": "W",
            "decision_by_role": "social worker",
        },
        format="json",
    )
    assert start.status_code == 400
    assert start.json()["errors"] == {
        "decision_date": ["The date the decision to close was made must be today or in the past"]
    }
    record = _record(scenario)
    for value, message in (
        ("1900-01-01", "must be on or after Ruby's date of birth"),
        ("2099-01-01", "must be today or in the past"),
    ):
        response = client.put(
            f"/api/v1/closure-records/{record.pk}/sections/child_views/",
            {"version": record.version, "data": {"child_discussed": True, "child_discussed_date": value}},
            format="json",
        )
        assert response.status_code == 400
        assert message in response.json()["errors"]["child_discussed_date"][0]


def test_plans_may_be_in_the_future_and_good_dates_are_kept(scenario, client):
    client.force_login(scenario.worker)
    url, data, _, _ = page_action(scenario)
    later = timezone.localdate() + dt.timedelta(days=60)
    response = client.post(
        url, {**data, "end_date_day": later.day, "end_date_month": later.month, "end_date_year": later.year}
    )
    assert response.status_code == 302
    assert PlannedAction.objects.filter(end_date=later).exists()
