"""The PDF: sections in order, the header and footer on every page, tags and standards, reproducible
bytes, text printed as written, and withholding."""

import hashlib
import io
import re
import time

import pytest
from pypdf import PdfReader

from closewell.closures import services as closures
from closewell.core.printing import paragraphs
from closewell.documents import pdf, services
from closewell.documents.models import Copy

from .conftest import pdf_pages

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Family and important people",
    "1. Reason for involvement",
    "2. Details of interventions since assessment, admission or last review",
    "3. Review of planned actions",
    "4. Reason for closure",
    "5. Views of the child or young person",
    "6. Views of parents and carers",
    "7. Domestic abuse",
    "9. Signatures",
    "10. Authorisation",
    "11. Copies given",
]
# What a writer might type that means something in Typst markup or in HTML.
TRICKY = (
    "Ruby wrote: #set text(red) *bold* _it_ $x^2$ ] [ @ref <label> // not a comment \\ `code` "
    '= heading <script>alert(1)</script> & #import "x.typ"'
)


def _give(case, record, kind="file", **kwargs) -> Copy:
    return services.copy_give(
        actor=case.worker,
        record=record,
        recipient_kind=kind,
        given_on=record.authorised_at.date(),
        method="in_person",
        **kwargs,
    )


def test_sections_in_order_and_every_page_marked(case, authorised):
    copy = _give(case, authorised, "person", person_id=case.mother.pk)
    pages = pdf_pages(bytes(copy.pdf))
    assert len(pages) >= 2
    text = " ".join(pages)
    positions = [text.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    assert "8. Interpreting" not in text  # not required on this record
    for number, page in enumerate(pages, start=1):
        assert "Northmoor Borough Council" in page
        assert "OFFICIAL-SENSITIVE" in page
        assert "Ruby Hale" in page and "LA child ID T1" in page
        assert f"Page {number} of {len(pages)}" in page
        assert copy.stamp in page
    assert copy.stamp.startswith("Parent's copy (Jess Hale) — given ")
    # The record's own words, the dates seen and the authorisation are all there.
    assert "“I feel safe now.”" in text
    assert "10 of 12 sessions" in text and "Emotional and behavioural development" in text
    assert "Authorised by Mo Birch, team manager, on " in text
    assert "Signed on screen on " in text and "Could not be contacted" in text


def test_tagged_pdf_ua_and_pdf_a(case, authorised):
    content = bytes(_give(case, authorised).pdf)
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]).lower().startswith("en")
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)
    assert re.search(r"pdfaid:part(>|=\")2", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")A", xmp)
    assert reader.metadata.title == "Closure Record: Ruby Hale"
    # Headings are real headings, tables have header cells, the signature is a figure with its text.
    tags, alts = _structure(catalog["/StructTreeRoot"])
    for tag in ("/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure"):
        assert tag in tags, tag
    assert any(alt.startswith("Signature of Ruby Hale, drawn on screen") for alt in alts)


def _structure(root) -> tuple[set, list]:
    """Every structure type in the tag tree, and every /Alt text."""
    tags, alts, stack, seen = set(), [], [root], set()
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get") or id(node) in seen:
            continue
        seen.add(id(node))
        if "/S" in node:
            tags.add(str(node["/S"]))
        if "/Alt" in node:
            alts.append(str(node["/Alt"]))
        if "/K" in node:
            stack.append(node["/K"])
    return tags, alts


def test_reproducible_bytes(case, authorised):
    copy = _give(case, authorised, "child")
    again = services.copy_document(authorised, copy, services.signatures_for(authorised))
    assert again == bytes(copy.pdf)
    assert hashlib.sha256(again).hexdigest() == copy.sha256
    first = services.record_pdf(actor=case.worker, record=authorised)
    assert services.record_pdf(actor=case.worker, record=authorised) == first


def _printed_child_views(case, record, views: str) -> str:
    """The text of the file copy of `record` authorised with the child's views as `views`."""
    record = closures.closure_update(
        actor=case.worker,
        record=record,
        section="child_views",
        version=record.version,
        data={"child_views": views},
    )
    record = closures.closure_authorise(
        actor=case.manager, record=closures.closure_submit(actor=case.worker, record=record)
    )
    return " ".join(pdf_pages(bytes(_give(case, record).pdf)))


def test_written_text_is_printed_literally(case, complete_record):
    text = _printed_child_views(case, complete_record, TRICKY + "\n\nSecond paragraph.")
    assert TRICKY in text
    assert "Second paragraph." in text


# What a family might write in their own words: emoji (one joined by zero-width joiners, one with a
# skin tone), and languages spoken in English councils, in their own scripts.
OWN_WORDS = {
    "emoji": "Ruby drew 👩\u200d👩\u200d👧 and 😀 👍🏽",
    "Polish": "Czuję się teraz bezpieczna.",
    "Chinese": "我现在觉得安全。",
    "Tigrinya": "ሕጂ ድሕንነት ይስምዓኒ ኣሎ።",
    "Urdu": "میں اب محفوظ محسوس کرتی ہوں",
    "Bengali": "আমি এখন নিরাপদ বোধ করি",
    "Punjabi": "ਮੈਂ ਹੁਣ ਸੁਰੱਖਿਅਤ ਮਹਿਸੂਸ ਕਰਦੀ ਹਾਂ",
    "Tamil": "நான் இப்போது பாதுகாப்பாக உணர்கிறேன்",
}


def test_a_familys_own_words_print_in_their_script_and_emoji(case, complete_record):
    missing = [str(d) for d in pdf.FONT_DIRS if not d.is_dir()]
    assert not missing, f"Fonts not installed: {missing}. Debian: apt install {' '.join(pdf.FONT_PACKAGES)}"
    text = _printed_child_views(case, complete_record, "\n\n".join(OWN_WORDS.values()))
    # Every character had a font: none was replaced.
    assert pdf.UNPRINTABLE not in text
    assert pdf.UNPRINTABLE_NOTE not in text
    # The text layer reads back as written where the script is laid out in order (Urdu, Bengali,
    # Punjabi and Tamil are shaped into ligatures and reordered glyphs, which no text layer undoes).
    flat = text.replace("\u200d", "").replace(" ", "")
    for words in ("emoji", "Polish", "Chinese", "Tigrinya"):
        assert OWN_WORDS[words].replace("\u200d", "").replace(" ", "") in flat, f"{words} not printed"


def test_characters_no_font_can_print_are_shown_as_replacement_and_the_copy_says_so(case, complete_record):
    # A private-use character (PDF/A forbids it), an unassigned one, and a combining mark none of the
    # fonts has: without the replacement, Typst refuses the whole copy.
    views = "Mia's sign \ue000 (private), \u0378 (unassigned) and e\u20d8 (ring) 😀 are hers."
    text = _printed_child_views(case, complete_record, views)
    assert "Mia's sign \ufffd (private), \ufffd (unassigned) and e\ufffd (ring) 😀 are hers." in text
    assert pdf.UNPRINTABLE_NOTE in text


def test_any_character_prints_or_is_replaced(authorised):
    """Every 97th code point of Unicode (about 11,000 of them, assigned or not) in one record: the copy
    prints, and only what no font shows is replaced."""
    sweep = " ".join(chr(code) for code in range(32, 0x110000, 97) if not 0xD800 <= code <= 0xDFFF)
    snapshot = {**authorised.snapshot, "child_views": {**authorised.snapshot["child_views"], "views": sweep}}
    document = pdf.document_data(snapshot, signatures=[], stamp="Sweep", statement="Sweep.", notes=[])
    content = pdf.render(document, timestamp=authorised.authorised_at)
    text = " ".join(pdf_pages(content))
    assert pdf.UNPRINTABLE_NOTE in text
    for printed in ("â", "Ń"):  # code points 226 and 323: Latin, in DejaVu Sans
        assert printed in sweep and printed in text


def test_perpetrator_copy_never_shows_the_victims_address(case, complete_record):
    # The address slips into the narrative too: it must be withheld there as well.
    record = closures.closure_update(
        actor=case.worker,
        record=complete_record,
        section="reason",
        version=complete_record.version,
        data={"reason_for_closure": "Ruby and Jess are safe at 1  safe street now."},
    )
    record = closures.closure_authorise(
        actor=case.manager, record=closures.closure_submit(actor=case.worker, record=record)
    )
    father = _give(case, record, "person", person_id=case.father.pk)
    services.copy_release(actor=case.manager, copy=father)
    father.refresh_from_db()
    file_copy = _give(case, record, "file")
    father_text = " ".join(pdf_pages(bytes(father.pdf)))
    file_text = " ".join(pdf_pages(bytes(file_copy.pdf)))
    assert "1 Safe Street" in file_text and "Refuge address" in file_text
    assert "safe street" not in father_text.lower()
    assert "Refuge address" not in father_text
    assert "Ruby and Jess are safe at [Withheld: information about where someone lives] now." in father_text
    assert father.profile == "perpetrator"
    assert any(w["kind"] == "address" and w["section"] == "4. Reason for closure" for w in father.withheld)
    assert file_copy.withheld == []
    # The mother's own copy shows her own address.
    mother = _give(case, record, "person", person_id=case.mother.pk)
    assert mother.withheld == []
    assert "1 Safe Street" in " ".join(pdf_pages(bytes(mother.pdf)))


def test_professional_and_child_copies_withhold_sensitive_details(case, authorised):
    school = _give(case, authorised, "professional", name="Amy Fox", role="DSL, Hill School")
    child = _give(case, authorised, "child")
    assert school.stamp.startswith("Professional's copy (Amy Fox, DSL, Hill School) — given ")
    for copy in (school, child):
        assert [(w["kind"], w["section"]) for w in copy.withheld] == [
            ("address", "Family and important people")
        ]
        assert copy.release_status == "not_needed"
        assert "1 Safe Street" not in " ".join(pdf_pages(bytes(copy.pdf)))


def test_paragraphs_keep_the_writers_breaks():
    assert paragraphs("One\r\ntwo\n\n\nThree  \n") == [["One", "two"], ["Three"]]
    assert paragraphs("   ") == []


def test_five_page_record_renders_quickly(case, authorised):
    """A render is fast enough to give a copy at the family's door (measured in the report)."""
    document = pdf.document_data(
        authorised.snapshot,
        signatures=services.signatures_for(authorised),
        stamp="Test",
        statement="Test",
        notes=[],
    )
    pdf.render(document, timestamp=authorised.authorised_at)
    start = time.perf_counter()
    pdf.render(document, timestamp=authorised.authorised_at)
    assert time.perf_counter() - start < 2


def test_addendum_prints_its_correction_only(case, authorised):
    addendum = closures.addendum_start(
        reason="A date in the record is wrong.", actor=case.worker, record=authorised
    )
    addendum = closures.closure_update(
        actor=case.worker,
        record=addendum,
        section="addendum",
        version=addendum.version,
        data={"addendum_text": "The play therapy was 11 sessions, not 10."},
    )
    addendum = closures.closure_authorise(
        actor=case.manager, record=closures.closure_submit(actor=case.worker, record=addendum)
    )
    text = " ".join(pdf_pages(bytes(_give(case, addendum, "file").pdf)))
    assert "Addendum to the Closure Record: Ruby Hale" in text
    assert "The play therapy was 11 sessions, not 10." in text
    assert "1. Reason for involvement" not in text
    assert "10. Authorisation" in text and "The addendum is part of the record." in text


def test_missing_fonts_are_a_system_check_warning(monkeypatch, tmp_path):
    from closewell.documents.checks import fonts_installed

    assert fonts_installed(None) == []
    monkeypatch.setattr(pdf, "FONT_DIRS", [*pdf.FONT_DIRS, tmp_path / "absent"])
    (warning,) = fonts_installed(None)
    assert warning.id == "documents.W001"
    assert "fonts-noto-color-emoji" in warning.hint
