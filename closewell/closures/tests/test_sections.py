"""The section registry: every section in closures/sections.py reaches every face.

For each section a distinct sentinel is written into every piece of text it holds (through the one
service), the record is submitted and authorised, and the sentinel and the section's one title must
then appear in the frozen record, the HTML record, the check-answers page, the Typst copy (read back
with pdftotext), the API's schema and the writing advice. A section added to the registry and
forgotten on any face fails here.
"""

import json
import re
import shutil
import subprocess

import pytest
from django.db import models
from django.template.loader import get_template

from closewell.advice.selectors import advice_for_record, advice_for_section
from closewell.closures import sections, selectors, services
from closewell.closures.models import ClosureRecord, Section
from closewell.documents import pdf

from .conftest import days_ago, handover_ready

pytestmark = pytest.mark.django_db

SPECS = [pytest.param(spec, id=spec.key) for spec in sections.SECTIONS]


def sentinel(spec) -> str:
    return f"Sentinel{spec.key.replace('_', '')}Words"


def _is_text(field) -> bool:
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def _fill(spec, record: ClosureRecord, text: str) -> dict:
    """closure_update's data for the section with `text` in every piece of text it holds (and a date
    where one is still empty, so the section's rule is met)."""
    if spec.rows:
        model_fields = {name: spec.rows.model._meta.get_field(name) for name in spec.rows.fields}
        return {
            getattr(row, spec.rows.key): {name: text for name, f in model_fields.items() if _is_text(f)}
            for row in spec.rows.of(record)
        }
    data = {}
    for name in spec.fields:
        field = ClosureRecord._meta.get_field(name)
        if _is_text(field):
            data[name] = text
        elif isinstance(field, models.DateField) and getattr(record, name) is None:
            data[name] = days_ago(1)
    return data


def _write(case, record, spec, text: str = "") -> ClosureRecord:
    return services.closure_update(
        actor=case.worker,
        record=record,
        section=spec.key,
        version=record.version,
        data=_fill(spec, record, text or sentinel(spec)),
    )


def _authorise(case, record) -> ClosureRecord:
    record = services.closure_submit(actor=case.worker, record=record)
    return services.closure_authorise(actor=case.manager, record=record)


@pytest.fixture
def written(case, complete_record, request):
    """(spec, record) with the section's sentinel written, not yet submitted."""
    spec = request.param
    # The scenario already has domestic abuse; interpreting is due once a parent does not read English.
    case.mother.reads_english = False
    case.mother.save()
    record = complete_record
    if (
        spec.key == Section.HANDOVER
    ):  # added by the worker (due of itself only on RC9), to a lead practitioner
        record = handover_ready(case, record)
    for other in sections.due(record):  # any section the scenario leaves unwritten, in plain words
        if other.problems(record):
            record = _write(case, record, other, "Polish")
    if spec.correction:  # the addendum: a correction to the authorised record
        record = services.addendum_start(
            reason="A date in the record is wrong.", actor=case.worker, record=_authorise(case, record)
        )
    assert spec.is_due(record), f"{spec.key} is not due on the test's record"
    return spec, _write(case, record, spec)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("written", SPECS, indirect=True)
def test_a_section_reaches_the_frozen_record(written, case):
    spec, record = written
    record = _authorise(case, record)
    assert spec.part_key in record.snapshot
    assert sentinel(spec) in json.dumps(record.snapshot[spec.part_key])
    assert spec in [shown for shown, _ in sections.shown(record.snapshot)]


@pytest.mark.parametrize("written", SPECS, indirect=True)
def test_a_section_reaches_check_answers_and_the_html_record(written, case, client):
    spec, record = written
    client.force_login(case.worker)
    checked = _norm(client.get(f"/closures/{record.pk}/check/").content.decode())
    assert f'href="/closures/{record.pk}/section/{spec.key}/"' in checked  # its Change link
    record = _authorise(case, record)
    page = _norm(client.get(f"/closures/{record.pk}/").content.decode())
    for html in (checked, page):
        assert f'id="section-{spec.key}"' in html
        assert spec.title in html
        assert sentinel(spec) in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
@pytest.mark.parametrize("written", SPECS, indirect=True)
def test_a_section_reaches_the_typst_copy(written, case, tmp_path):
    spec, record = written
    record = _authorise(case, record)
    # The file copy carries every section (a copy for someone else leaves out the letter to the child).
    document = pdf.document_data(
        record.snapshot, signatures=[], stamp="File copy", statement="S.", notes=[], file_copy=True
    )
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf.render(document, timestamp=record.authorised_at))
    text = _norm(
        subprocess.run(  # noqa: S603
            ["pdftotext", str(path), "-"],  # noqa: S607 (poppler-utils, as CI installs it)
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    assert spec.heading in text
    assert sentinel(spec) in text


@pytest.mark.parametrize("spec", SPECS)
def test_a_section_reaches_the_api_schema(spec, client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    name = "".join(part.capitalize() for part in spec.key.split("_")) + "SectionUpdate"
    body = components.get(name) or components[f"{name}Request"]
    data = body["properties"]["data"]
    if spec.rows:
        row = data["additionalProperties"]
        described = components[row["$ref"].rsplit("/", 1)[1]]["properties"]
        assert set(described) == set(spec.rows.fields)
    else:
        described = components[
            data["allOf"][0]["$ref"].rsplit("/", 1)[1] if "allOf" in data else data["$ref"].rsplit("/", 1)[1]
        ]
        assert set(described["properties"]) == set(spec.fields)
    operation = schema["paths"]["/api/v1/closure-records/{id}/sections/{section}/"]["put"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    assert any(
        ref["$ref"].endswith(f"/{name}Request") or ref["$ref"].endswith(f"/{name}")
        for ref in request["anyOf"]
    )
    section = next(p for p in operation["parameters"] if p["name"] == "section")
    assert spec.key in section["schema"]["enum"]


@pytest.mark.parametrize("written", SPECS, indirect=True)
def test_a_section_reaches_the_advice(written):
    spec, draft = written
    if not spec.advises:
        # A section with no writing advice holds no prose: names, dates, a language.
        for name in spec.written_fields:
            model = spec.rows.model if spec.rows else ClosureRecord
            assert not isinstance(model._meta.get_field(name), models.TextField), (
                f"{spec.key}.{name} is prose: give the section advice_fields or advice"
            )
        return
    advice = advice_for_section(draft, spec.key)
    assert advice.label == spec.title
    assert any(sentinel(spec) in field.text for field in advice.fields)
    assert spec.key in [s.section for s in advice_for_record(draft).sections]


@pytest.mark.parametrize("spec", SPECS)
def test_a_section_has_its_form_page_card_and_layout(spec):
    form_fields = {name for name in spec.form.base_fields if name != "version"}
    if not spec.rows:
        assert form_fields == set(spec.fields), "the form holds exactly the fields the section writes"
    get_template(spec.template)
    get_template(spec.card)
    layouts = pdf.TEMPLATE.read_text()
    assert re.search(rf"^\s+{spec.layout}: ", layouts, re.MULTILINE), (
        f"record.typ has no layout {spec.layout}"
    )


def test_every_section_key_has_one_spec():
    assert [spec.key for spec in sections.SECTIONS] == list(Section.values)
    assert len({spec.title for spec in sections.SECTIONS}) == len(sections.SECTIONS)


def test_a_frozen_record_shows_the_sections_it_holds(case, complete_record):
    """Frozen records are for ever: one frozen without a conditional section's part still shows."""
    content = json.loads(json.dumps(sections.build_content(complete_record), default=str))
    content.pop("domestic_abuse")
    keys = [spec.key for spec, _ in sections.shown(content)]
    assert keys == [spec.key for spec in sections.due(complete_record) if spec.key != "domestic_abuse"]
    assert "involvement" in keys and "interpreting" not in keys
    assert selectors.revive({"d": "2026-01-02"})["d"].year == 2026


def test_the_printed_numbers_are_the_statutory_ones():
    """Sections 1 to 8 as DOMAIN.md numbers them, then signatures 9, authorisation 10 and copies 11:
    a section added to the registry (the handover, the letter) prints without a number."""
    assert sections.NUMBERS == {
        Section.INVOLVEMENT: 1,
        Section.INTERVENTIONS: 2,
        Section.REVIEW: 3,
        Section.REASON: 4,
        Section.CHILD_VIEWS: 5,
        Section.PARENT_VIEWS: 6,
        Section.DOMESTIC_ABUSE: 7,
        Section.INTERPRETING: 8,
    }
    assert sections.after_numbers() == {"signatures": "9", "authorisation": "10", "copies": "11"}
    assert sections.get(Section.HANDOVER).heading == "Handover to Family Help"


def test_the_signed_digest_is_worked_out_once_per_content(complete_record, case, monkeypatch):
    """The task list's checks and the signatures task both ask for it on one page; a save (a new
    version, so new content) gives a new digest."""
    worked = []
    canonical = sections.canonical_sha256
    monkeypatch.setattr(sections, "canonical_sha256", lambda said: worked.append(1) or canonical(said))
    first = sections.signed_sha256(complete_record)
    assert sections.signed_sha256(complete_record) == first and len(worked) == 1
    record = services.closure_update(
        actor=case.worker,
        record=complete_record,
        section=Section.REASON,
        version=complete_record.version,
        data={"reason_for_closure": "The family no longer needs our help: the school will keep in touch."},
    )
    changed = sections.signed_sha256(record)
    assert changed != first and len(worked) == 2
    assert changed == canonical(sections.signed_part(sections.build_content(record)))
