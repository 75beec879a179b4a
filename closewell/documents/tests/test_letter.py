"""The letter to the child on the copies: the first page of the child's copy (the whole copy for a
child under 12), a section of the file copy, left out of anyone else's; withheld from like every
other passage; the PDF still tagged PDF/UA-1."""

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from closewell.closures import sections
from closewell.closures import services as closures
from closewell.documents import pdf, services
from closewell.web.tests.browser import ARTIFACTS

from .conftest import days_ago, pdf_pages

pytestmark = pytest.mark.django_db

LETTER = (
    "Dear Ruby,\n\nWe met because the police were worried about you and your mum. "
    "You told me you feel safe at home now.\n\n"
    "We are stopping because things are better. If you need help, call Sam on 0300 555 0100."
)


def _authorise_with_letter(case, record, letter=LETTER):
    record = closures.closure_update(
        actor=case.worker,
        record=record,
        section="letter",
        version=record.version,
        data={"letter_to_child": letter},
    )
    return closures.closure_authorise(
        actor=case.manager, record=closures.closure_submit(actor=case.worker, record=record)
    )


def _give(case, record, kind, **kwargs):
    return services.copy_give(
        actor=case.worker,
        record=record,
        recipient_kind=kind,
        given_on=record.authorised_at.date(),
        method="in_person",
        **kwargs,
    )


def _pdftotext_pages(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "copy.pdf"
    path.write_bytes(content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607 (poppler-utils)
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_the_letter_is_the_first_page_of_an_older_childs_copy(case, complete_record, tmp_path):
    # Ruby is 13 on the day the copy is given: the letter, then the whole record.
    case.child.date_of_birth = days_ago(13 * 365 + 10)
    case.child.save()
    record = _authorise_with_letter(case, complete_record)
    copy = _give(case, record, "child")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "letter-childs-copy.pdf").write_bytes(bytes(copy.pdf))  # for a person to look at
    pages = _pdftotext_pages(bytes(copy.pdf), tmp_path)
    assert "A letter to Ruby" in pages[0]
    assert "You told me you feel safe at home now." in pages[0]
    assert "Closure Record: Ruby Hale Child" not in pages[0]  # the record starts on the next page
    rest = " ".join(pages[1:])
    assert "1. Reason for involvement" in rest and "11. Copies given" in rest
    assert "A letter to the child" not in rest  # not printed twice
    assert copy.stamp in pages[0]


def test_a_younger_childs_copy_is_the_letter_alone(case, complete_record):
    # Ruby is 8 or 9 (the scenario): under 12, her copy is the letter alone.
    record = _authorise_with_letter(case, complete_record)
    copy = _give(case, record, "child")
    pages = pdf_pages(bytes(copy.pdf))
    assert len(pages) == 1
    assert "A letter to Ruby" in pages[0] and "You told me you feel safe" in pages[0]
    assert "Reason for involvement" not in pages[0]
    assert "This is the Child's copy" in pages[0]  # whose copy, and how it was given


def test_without_a_letter_the_childs_copy_is_the_record(case, authorised):
    pages = pdf_pages(bytes(_give(case, authorised, "child").pdf))
    assert "A letter to" not in " ".join(pages)
    assert "1. Reason for involvement" in pages[0]


def test_the_letter_is_on_the_file_copy_and_not_on_a_parents(case, complete_record):
    record = _authorise_with_letter(case, complete_record)
    file_text = " ".join(pdf_pages(bytes(_give(case, record, "file").pdf)))
    assert "A letter to the child" in file_text and "You told me you feel safe" in file_text
    for copy in (
        _give(case, record, "person", person_id=case.mother.pk),
        _give(case, record, "professional", name="Amy Fox", role="DSL, Hill School"),
    ):
        text = " ".join(pdf_pages(bytes(copy.pdf)))
        assert "You told me you feel safe" not in text and "A letter to" not in text
    record_text = " ".join(pdf_pages(services.record_pdf(actor=case.worker, record=record)))
    assert "You told me you feel safe" in record_text


def test_the_letter_is_withheld_from_like_every_passage(case, complete_record):
    # The scenario's mother lives at a refuge whose address the child's copy withholds.
    record = _authorise_with_letter(case, complete_record, "You and Jess live at 1 Safe Street now.")
    copy = _give(case, record, "child")
    text = " ".join(pdf_pages(bytes(copy.pdf)))
    # The disclosure engine scans the letter like every passage: the address prints as withheld.
    assert "You and Jess live at [Withheld" in text
    assert "safe street" not in text.lower()


def test_the_childs_copy_with_a_letter_stays_tagged(case, complete_record):
    case.child.date_of_birth = days_ago(13 * 365 + 10)
    case.child.save()
    record = _authorise_with_letter(case, complete_record)
    reader = PdfReader(io.BytesIO(bytes(_give(case, record, "child").pdf)))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)
    from .test_pdf import _structure

    tags, _ = _structure(catalog["/StructTreeRoot"])
    assert "/H1" in tags and "/P" in tags


def test_letter_data_rule_at_twelve():
    snapshot = {"child": {"name": "Ruby Hale", "date_of_birth": "2014-06-01"}, "letter_to_child": "You."}
    import datetime as dt

    assert pdf.letter_data(snapshot, dt.date(2026, 5, 31))["alone"] is True  # 11
    assert pdf.letter_data(snapshot, dt.date(2026, 6, 1))["alone"] is False  # 12
    assert sections.LETTER_ALONE_UNDER == 12
    assert pdf.letter_data({**snapshot, "letter_to_child": "  "}, dt.date(2026, 6, 1)) is None
