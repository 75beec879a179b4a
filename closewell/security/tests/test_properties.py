"""Property-based tests (hypothesis) of every input: no generated bad input answers 5xx, and on a page
what was typed survives any refusal.

Nothing here lists fields by hand. The pages are found by walking the URL conf, each page's form is
read off the page as a browser would submit it, and every field of it gets bad input in turn; the
API's operations and their request fields come from its OpenAPI schema (generated from the
serializers), and the Closure Record's section fields from the sections' registry
(closures.sections.SECTIONS). A new field is covered without
touching this file.

Bad input: huge numbers, huge strings, control characters, NUL, bidirectional overrides, unicode of
every kind, dates that do not exist (31 February, a day of twenty digits, year 0 or 9999), and for
the API also deep JSON, lists and objects where text is expected.

The number of examples is kept small (BUDGET) so the whole file runs in about a minute a database;
HYPOTHESIS_PROFILE=thorough runs many more.
"""

import datetime as dt
import functools
import html
import json
import os
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from closewell.api.services import token_create
from closewell.cases.tests.factories import EpisodeFactory
from closewell.closures import sections
from closewell.closures import services as closures
from closewell.closures.models import Section
from closewell.core.text import BIDI_CONTROLS, TEXT_MAX
from closewell.web.widgets import MAX_YEAR, MIN_YEAR, GovukDateField

from .pages import page_forms

pytestmark = pytest.mark.django_db

BUDGET = {"quick": 12, "thorough": 200}[os.environ.get("HYPOTHESIS_PROFILE", "quick")]
SETTINGS = settings(
    max_examples=BUDGET,
    deadline=None,
    database=None,
    derandomize=os.environ.get("HYPOTHESIS_PROFILE", "quick") == "quick",
    suppress_health_check=list(HealthCheck),
)

# --- Bad input ------------------------------------------------------------------------------------

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x9F).filter(lambda c: c.isprintable() is False)
BIDI = st.sampled_from(BIDI_CONTROLS)
huge_numbers = st.one_of(
    st.integers(min_value=2**31).map(str),
    st.integers(max_value=-1).map(str),
    st.sampled_from(["99999999999999999999", "1e309", "-0", "00000000000000000000001", "١٢", "²"]),
)
huge_strings = st.sampled_from([TEXT_MAX + 1, 3 * TEXT_MAX, 201]).map(lambda n: "x" * n)
nasty_text = st.text(
    alphabet=st.one_of(st.characters(), CONTROL, BIDI, st.just("\x00"), st.sampled_from("<>&\"'\r\n\t")),
    max_size=60,
)
bad_text = st.one_of(huge_numbers, huge_strings, nasty_text)
bad_dates = st.sampled_from(
    [
        ("31", "2", "2026"),
        ("30", "2", "2024"),
        ("99999999999999999999", "3", "2026"),
        ("1", "99999999999999999999", "2026"),
        ("1", "1", "9999"),
        ("1", "1", "0000"),
        ("1", "1", "0001"),
        ("-1", "1", "2026"),
        ("1", "13", "2026"),
        ("", "3", "2026"),
        ("1\x00", "3", "2026"),
        ("\u202e1", "3", "2026"),
    ]
)


def json_values(leaf=bad_text):
    """Any JSON: bad text, huge and odd numbers, impossible dates, lists and objects, nested."""
    scalars = st.one_of(
        leaf,
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
        st.sampled_from(["2026-02-31", "99999-01-01", "9999-12-31", "0000-01-01", "2026-13-01T25:61"]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=6,
    )


# --- The scenario ---------------------------------------------------------------------------------


@pytest.fixture
def scenario(case, complete_record):
    """The Closure Record tests' case with its record written (a draft), and another open case of
    the team with no record yet (to start one)."""
    other = EpisodeFactory(team=case.east, worker=case.worker)
    return {"case": case, "record": complete_record, "other": other}


def submitted(s) -> None:
    closures.closure_submit(actor=s["case"].worker, record=s["record"])


def authorised(s) -> None:
    submitted(s)
    closures.closure_authorise(actor=s["case"].manager, record=s["record"])


# Which user asks for a page, and the state the record must be in for its form to be there.
AS_MANAGER = ("closures/<int:pk>/review/",)
PREPARE = {"closures/<int:pk>/review/": submitted, "documents/": authorised}


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def page_routes() -> list[str]:
    """Every page of the service (not the admin or the API), a section route once per section."""
    routes = []
    for route in walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")) or "(?P" in route or route.endswith((".pdf", ".png", ".csv")):
            continue
        if "<str:section>" in route:
            routes += [route.replace("<str:section>", section) for section in Section.values]
        else:
            routes.append(route)
    return routes


def fill(route: str, s: dict) -> str:
    case, record = s["case"], s["record"]
    names = {
        "pk": case.child.pk if route.startswith("children/") else record.pk,
        "episode_pk": s["other"].pk,
        "contact_pk": case.visit.pk,
        "action_pk": case.action.pk,
        "person_pk": case.mother.pk,
        "signature_pk": record.signatures.values_list("pk", flat=True).first() or 1,
        "copy_pk": 1,
        "place_pk": 1,
        "key": "closures",
    }
    # An id the scenario does not make (a withholding, a place) is 1: those pages take no GET form anyway.
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(names.get(m.group(1), 1)), route)


def open_form(route: str, s: dict) -> tuple[Client, str, dict] | None:
    """A signed-in client, the page's path and its main form as the page gives it; None when the
    page has no form for this scenario's user."""
    for prefix, prepare in PREPARE.items():
        if route.startswith(prefix):
            prepare(s)
    case = s["case"]
    path = fill(route, s)
    # The first of the worker, the manager and the data officer who has a form on this page.
    users = (case.manager,) if route in AS_MANAGER else (case.worker, case.manager, case.data)
    for user in users:
        client = Client()
        client.force_login(user)
        response = client.get(path)
        if response.status_code != 200:
            continue
        forms = [f for f in _forms(response) if set(f["fields"]) - {"csrfmiddlewaretoken", "q"}]
        if forms:
            return client, path, forms[0]
    return None


def _forms(response) -> list[dict]:
    """The page's main form (POST, or a GET filter form such as the reports'), not the header's
    search box or the sign-out button."""
    forms = [
        form
        for form in page_forms(response.content.decode())
        if form["action"] in ("", "#") or not form["action"].startswith(("/logout", "/search"))
    ]
    return [max(forms, key=lambda form: len(form["fields"]))] if forms else []


def text_survives(page: str, typed: str) -> bool:
    """What was typed is on the page again (escaped as HTML, as the template prints it)."""
    return html.escape(typed, quote=True) in page or html.escape(typed, quote=False) in page


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", page_routes())
def test_no_bad_input_in_any_page_field_is_a_server_error(route, scenario):
    opened = open_form(route, scenario)
    if opened is None:
        pytest.skip("no form on this page for the scenario's user")
    client, path, form = opened
    fields = sorted(set(form["fields"]) - {"csrfmiddlewaretoken"})
    dates = sorted({name[: -len("_day")] for name in fields if name.endswith("_day")})
    texts = set(form["textareas"]) | set(form["texts"])

    @SETTINGS
    @given(data=st.data())
    def check(data):
        posted = dict(form["fields"])
        if dates and data.draw(st.booleans(), label="a date"):
            name = data.draw(st.sampled_from(dates), label="date")
            day, month, year = data.draw(bad_dates, label="value")
            posted |= {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
            typed, name = day, f"{name}_day"
        else:
            name = data.draw(st.sampled_from(fields), label="field")
            typed = data.draw(bad_text, label="value")
            posted[name] = typed
        response = client.post(path, posted) if form["method"] == "post" else client.get(path, posted)
        assert response.status_code < 500, f"{path} {name}={typed!r}: {response.status_code}"
        page = response.content.decode(errors="replace")
        if (
            response.status_code == 200
            and "govuk-error-summary" in page
            and name in texts | {f"{d}_day" for d in dates}
        ):
            assert text_survives(page, typed), f"{path}: what was typed in {name} is lost"

    check()


# --- The API --------------------------------------------------------------------------------------


def api_client(user) -> APIClient:
    client = APIClient()
    _, key = token_create(actor=None, user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@functools.cache
def openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation of the API that takes a request body."""
    found = []
    for path, item in openapi()["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                found.append((method, path))
    return sorted(found)


def request_schema(method: str, path: str) -> dict:
    schema = openapi()
    body = resolve(
        schema, schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    )
    # A body that is one of several shapes (a section's data, say): every property of every shape.
    properties = dict(body.get("properties", {}))
    for variant in (*body.get("oneOf", ()), *body.get("anyOf", ()), *body.get("allOf", ())):
        properties.update(resolve(schema, variant).get("properties", {}))
    return {**body, "properties": properties}


def resolve(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return resolve(schema, schema["components"]["schemas"][name])
    return node


def plausible(prop: dict):
    """A value of a property's declared type (the rest of the body while one property is bad)."""
    kind, fmt = prop.get("type"), prop.get("format")
    if "enum" in prop:
        return prop["enum"][0]
    if kind == "string" and fmt == "date":
        return timezone.localdate().isoformat()
    if kind == "string" and fmt == "date-time":
        return timezone.now().isoformat()
    return {"string": "Text", "integer": 1, "boolean": True, "array": [], "object": {}}.get(kind, "x")


def api_path(template: str, s: dict) -> str:
    case, record = s["case"], s["record"]
    pk = record.pk if "closure-records" in template else case.episode.pk
    values = {"pk": pk, "id": pk, "section": "reason"}
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), 1)), template)


@pytest.mark.parametrize(("method", "template"), operations())
def test_no_bad_value_in_any_api_field_is_a_server_error(method, template, scenario):
    body_schema = request_schema(method, template)
    properties = body_schema.get("properties", {})
    assert properties, f"{method} {template}: no request fields in the schema"
    client = api_client(scenario["case"].worker)
    path = api_path(template, scenario)
    base = {name: plausible(prop) for name, prop in properties.items()}
    if "version" in base:
        base["version"] = scenario["record"].version

    @SETTINGS
    @given(name=st.sampled_from(sorted(properties)), value=json_values())
    def check(name, value):
        body = {**base, name: value}
        response = client.generic(method.upper(), path, json.dumps(body), content_type="application/json")
        assert response.status_code < 500, f"{method} {path} {name}={value!r}: {response.status_code}"
        assert response["Content-Type"] == "application/json"
        if response.status_code >= 400:
            assert "errors" in response.json()

    check()


def section_fields(s: dict) -> list[tuple[str, str | None, str]]:
    """(section, entry id or None, field) for every field of every section, from the registry."""
    record = s["record"]
    found = []
    for spec in sections.SECTIONS:
        if spec.rows:
            rows = list(spec.rows.of(record))
            # A one-row section not written yet (the handover) is named by the record's own id.
            key = str(getattr(rows[0], spec.rows.key)) if rows else str(record.pk)
            found += [(spec.key, key, name) for name in (*spec.rows.fields, "version")]
        else:
            found += [(spec.key, None, name) for name in spec.fields]
    return found


def test_no_bad_value_in_any_section_field_is_a_server_error(scenario):
    client = api_client(scenario["case"].worker)
    record = scenario["record"]
    fields = section_fields(scenario)

    @SETTINGS
    @given(field=st.sampled_from(fields), value=json_values(), stale=st.booleans())
    def check(field, value, stale):
        section, entry, name = field
        record.refresh_from_db()
        data = {entry: {name: value}} if entry else {name: value}
        response = client.put(
            f"/api/v1/closure-records/{record.pk}/sections/{section}/",
            {"version": record.version - stale, "data": data},
            format="json",
        )
        assert response.status_code < 500, f"{section}.{name}={value!r}: {response.status_code}"
        if response.status_code == 400:
            assert response.json()["errors"]

    check()


def test_json_of_any_depth_is_never_a_server_error(scenario):
    client = api_client(scenario["case"].worker)
    record = scenario["record"]

    @SETTINGS
    @given(depth=st.integers(min_value=30, max_value=200_000), opener=st.sampled_from(["[", '{"a":']))
    def check(depth, opener):
        for path in ("/api/v1/closure-records/", f"/api/v1/closure-records/{record.pk}/sections/reason/"):
            response = client.generic(
                "PUT" if "sections" in path else "POST", path, opener * depth, content_type="application/json"
            )
            assert response.status_code == 400, (path, depth, response.status_code)

    check()


def test_dates_round_the_year_are_real_dates():
    """The shared date field takes the real dates of the years it allows, and no others."""
    field = GovukDateField(required=False)

    @SETTINGS
    @given(day=st.integers(0, 40), month=st.integers(0, 14), year=st.integers(1000, 9999))
    def check(day, month, year):
        try:
            real = dt.date(year, month, day)
        except ValueError:
            real = None
        try:
            got = field.clean([str(day), str(month), str(year)])
        except Exception as error:  # noqa: BLE001 (any refusal must be a ValidationError)
            assert type(error).__name__ == "ValidationError"
            assert real is None or not MIN_YEAR <= year <= MAX_YEAR
        else:
            assert got == real

    check()
