"""The Closure Record tests' domestic-abuse scenario, taken on to signatures and an authorised record."""

import io
import re
import struct
import zlib

import pytest
from pypdf import PdfReader

from closewell.closures import services as closures
from closewell.closures.tests import conftest as closure_scenario
from closewell.documents import services
from closewell.documents.services import PNG_MAGIC

# The Closure Record tests' scenario, shared: the same fixtures under the same names.
people = closure_scenario.people
case = closure_scenario.case
complete_record = closure_scenario.complete_record
days_ago = closure_scenario.days_ago


def make_png(width: int = 300, height: int = 100) -> bytes:
    """A real greyscale PNG: a dark diagonal stroke on white, as a signature pad would send."""
    rows = b"".join(
        b"\0" + bytes(0 if abs(x * height // width - y) <= 1 else 255 for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


SIGNATURE_PNG = make_png()


@pytest.fixture
def signed_record(case, complete_record):
    """The complete record, signed by the child on screen and the mother on paper; the father,
    in custody, did not sign."""
    services.signature_add(
        actor=case.worker,
        record=complete_record,
        signer="child",
        method="drawn",
        signed_on=days_ago(3),
        image=SIGNATURE_PNG,
    )
    services.signature_add(
        actor=case.worker,
        record=complete_record,
        signer=str(case.mother.pk),
        method="paper",
        signed_on=days_ago(3),
        scan=b"%PDF-1.4\n1 0 obj\n%%EOF\n",
        scan_name="signed.pdf",
    )
    services.signature_add(
        actor=case.worker,
        record=complete_record,
        signer=str(case.father.pk),
        method="not_signed",
        signed_on=days_ago(3),
        not_signed_reason="not_contacted",
        not_signed_detail="In custody; no contact is allowed.",
    )
    return complete_record


@pytest.fixture
def authorised(case, signed_record):
    record = closures.closure_submit(actor=case.worker, record=signed_record)
    return closures.closure_authorise(actor=case.manager, record=record)


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text, whitespace made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]
