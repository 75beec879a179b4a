"""One stamped PDF copy of a five-page Closure Record against a bare Typst compile of the same document.

The record is a bench case's live record with every section written at length (advice's typical
record, repeated until the PDF is five pages), frozen as authorisation freezes it. The copy is what
documents.services.copy_document does — scan every passage and withhold for the recipient's disclosure
profile (documents/disclosure.py), stamp, lay out, compile; the bare compile is the shared Typst compiler
given the same JSON."""

import io
import json
import statistics

from closewell.advice.bench import RECORD
from closewell.closures.services import freeze
from closewell.documents import disclosure, pdf
from django.utils import timezone
from pypdf import PdfReader

from .common import timed

STAMP = "Parent's copy (Bench Parent) — given 23 November 2026"


def _snapshot(record, repeat: int) -> dict:
    for name, text in RECORD.items():
        setattr(record, name, "\n\n".join([text] * repeat))
    record.child_views = "\n\n".join([RECORD["reason_for_closure"]] * repeat)
    snapshot, _ = freeze(record)
    snapshot["authorisation"] = {"by": "Team Manager", "at": timezone.now().isoformat()}
    return snapshot


def _disclosed(snapshot: dict) -> dict:
    return disclosure.disclose(snapshot, disclosure.Recipient("parent")).content


def stamped_copy(snapshot: dict, when, stamp: str = STAMP) -> bytes:
    content = _disclosed(snapshot)
    document = pdf.document_data(
        content, signatures=[], stamp=stamp, statement=f"This is the {stamp}.", notes=[]
    )
    return pdf.render(document, timestamp=when)


def pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def run(*, record, runs: int = 20, target_pages: int = 5) -> dict:
    when = timezone.now()
    repeat, snapshot, count = 1, None, 0
    for _ in range(6):  # grow the text until the copy is five pages
        snapshot = _snapshot(record, repeat)
        count = pages(stamped_copy(snapshot, when))
        if count >= target_pages:
            break
        repeat = max(repeat + 1, int(repeat * target_pages / max(count, 1)))
    # Every copy is stamped for its own recipient, so each iteration prints a different stamp: Typst
    # cannot answer a render from its cache of the previous identical one. The bare compile gets an
    # equivalent document (the same record, a stamp of its own), laid out before the clock starts.
    compiler = pdf.compiler()
    withheld = _disclosed(snapshot)
    copy_ms, bare_ms = [], []
    for i in range(runs):  # interleaved, so background load affects both alike
        stamp = f"{STAMP} ({i})"
        copy_ms += timed(lambda stamp=stamp: stamped_copy(snapshot, when, stamp=stamp), 1)
        document = pdf.document_data(
            withheld, signatures=[], stamp=f"{stamp}.", statement=f"This is the {stamp}.", notes=[]
        )
        data = json.dumps(document, ensure_ascii=False, sort_keys=True)
        bare_ms += timed(
            lambda data=data: compiler.compile(
                sys_inputs={"data": data}, pdf_standards=pdf.PDF_STANDARDS, timestamp=int(when.timestamp())
            ),
            1,
        )
    copy_median, bare_median = statistics.median(copy_ms), statistics.median(bare_ms)
    return {
        "pages": count,
        "copy_median": copy_median,
        "bare_median": bare_median,
        "ratio": copy_median / bare_median,
        "runs": runs,
    }
