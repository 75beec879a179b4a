"""The Closure Record as a tagged PDF (PDF/A-2a and PDF/UA-1), rendered by Typst from the frozen snapshot.

Pure functions: the snapshot as the recipient may read it (documents/disclosure.py decides that), the
signatures and the stamp in; the PDF's bytes out. Nothing here reads the live case, so a copy prints
the record exactly as authorised.
"""

import datetime as dt
import functools
import json
import re
import threading
from pathlib import Path

import typst

from closewell.closures import sections
from closewell.core.dates import long_date
from closewell.core.printing import date_time_words, date_words, paragraphs
from closewell.core.text import clean_text

TEMPLATE = Path(__file__).resolve().parent / "templates" / "documents" / "record.typ"
# The copy's typeface is DejaVu Sans; Noto prints what families write in other scripts and emoji.
# System fonts are otherwise ignored, so the same copy prints the same on every machine with these
# Debian packages (without them Typst's embedded Libertinus Serif is used, and more is unprintable).
FONT_PACKAGES = ("fonts-dejavu-core", "fonts-noto-core", "fonts-noto-cjk", "fonts-noto-color-emoji")
FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),  # fonts-dejavu-core
    Path("/usr/share/fonts/truetype/noto"),  # fonts-noto-core (most scripts), fonts-noto-color-emoji
    Path("/usr/share/fonts/opentype/noto"),  # fonts-noto-cjk (Chinese, Japanese, Korean)
]
PDF_STANDARDS = ["a-2a", "ua-1"]
RENDERER = f"typst {typst.__version__}"
UNPRINTABLE = "\ufffd"  # the replacement character: DejaVu Sans has it
UNPRINTABLE_NOTE = (
    f"Some characters could not be printed in the fonts we have and are shown as {UNPRINTABLE}."
)

_render_lock = threading.Lock()


@functools.cache
def compiler() -> typst.Compiler:
    """One Typst compiler per process: it keeps the template, fonts and caches warm between renders."""
    return typst.Compiler(
        input=str(TEMPLATE),
        root=str(TEMPLATE.parent),
        font_paths=[str(p) for p in FONT_DIRS if p.is_dir()],
        ignore_system_fonts=True,
    )


def render(document: dict, *, timestamp: dt.datetime) -> bytes:
    """Compile the template with `document` (see document_data) as JSON data.

    `timestamp` is the PDF's creation date (the record's authorisation time), so the same input
    gives the same bytes. The compiler is shared, so renders in a process take turns.

    PDF/A and PDF/UA forbid text that no font can show, and a private-use character. Rather than
    fail to print a family's copy, such characters are printed as the replacement character and
    the copy says so: Typst names every one in its refusal, so they are replaced and it compiles
    again.
    """
    # Text stored before bidi overrides were cleaned at input never prints with them either.
    document = map_strings(document, clean_text)
    refused: set[str] = set()
    for _attempt in range(3):
        try:
            return _compile(printable(document, refused), timestamp)
        except typst.TypstError as error:
            found = refused_characters(error.diagnostic) - refused
            if not found:
                raise
            refused |= found
    raise typst.TypstError(f"Characters still refused after replacing {sorted(refused)!r}")


def _compile(document: dict, timestamp: dt.datetime) -> bytes:
    data = json.dumps(document, ensure_ascii=False, sort_keys=True)
    with _render_lock:
        return compiler().compile(
            sys_inputs={"data": data},
            pdf_standards=PDF_STANDARDS,
            timestamp=int(timestamp.timestamp()),
        )


# Typst 0.15's refusals under PDF/A and PDF/UA, each quoting the text as a Rust string literal.
_REFUSED = re.compile(
    r'the text `"((?:[^"\\]|\\.)*)"` could not be displayed|contains the codepoint `"((?:[^"\\]|\\.)*)"`'
)
_RUST_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}|\\(.)")
_RUST_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t"}


def refused_characters(diagnostic: str) -> set[str]:
    """The characters Typst refused to print, from its diagnostic. A refused cluster (a letter and
    its accent) loses its non-ASCII characters; ASCII always prints in DejaVu Sans."""

    def unescape(match: re.Match) -> str:
        code, char = match.groups()
        return chr(int(code, 16)) if code else _RUST_ESCAPES.get(char, char)

    found = set()
    for match in _REFUSED.finditer(diagnostic or ""):
        text = _RUST_ESCAPE.sub(unescape, match.group(1) or match.group(2))
        found.update(char for char in text if not char.isascii())
    return found


def printable(document: dict, refused: set[str]) -> dict:
    """The document with each refused character printed as the replacement character, and a note
    in the copy saying so."""
    if not refused:
        return document
    document = map_strings(document, lambda text: "".join(UNPRINTABLE if c in refused else c for c in text))
    document["copy"]["notes"] = [*document["copy"]["notes"], UNPRINTABLE_NOTE]
    return document


def map_strings(value, change):
    """`value` (JSON-like: dicts, lists, strings and scalars) with `change` applied to every string."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [map_strings(item, change) for item in value]
    if isinstance(value, dict):
        return {key: map_strings(item, change) for key, item in value.items()}
    return value


# --- The document -----------------------------------------------------------------------------------


def signature_data(signature) -> dict:
    """A signature as the record prints it: the drawn image with its alternative text, or the way
    the person signed, or why they did not."""
    when = long_date(signature.signed_on)
    witness = signature.witness.get_full_name() or signature.witness.username
    png = None
    if signature.method == "drawn":
        statement = f"Signed on screen on {when}, witnessed by {witness}."
        png = list(bytes(signature.image))
    elif signature.method == "paper":
        statement = (
            f"Signed on paper on {when}, witnessed by {witness}. The signed page is kept on the child's file."
        )
    else:
        statement = f"Did not sign ({when}). {signature.reason_text.strip()}"
    # The signer's own words go in the statement, so a copy's disclosure scan reads them too.
    if (signature.comment or "").strip():
        statement += f" Their comment: “{signature.comment.strip()}”"
    return {
        "name": signature.signer_name,
        "relationship": signature.relationship,
        "statement": statement,
        "png": png,
        "alt": f"Signature of {signature.signer_name}, drawn on screen on {when}.",
    }


def letter_data(snapshot: dict, given_on: dt.date) -> dict | None:
    """The letter to the child as the first page of the child's copy (None where none was written):
    for a child under sections.LETTER_ALONE_UNDER on the day the copy is given, it is the whole copy."""
    text = (snapshot.get("letter_to_child") or "").strip()
    if not text:
        return None
    child = snapshot["child"]
    born = child.get("date_of_birth")
    age = sections.age_on(dt.date.fromisoformat(born), given_on) if born else None
    first_name = child["name"].split()[0]
    return {
        "heading": f"A letter to {first_name}",
        "paragraphs": paragraphs(text),
        "alone": age is not None and age < sections.LETTER_ALONE_UNDER,
    }


def document_data(
    snapshot: dict,
    *,
    signatures: list,
    stamp: str,
    statement: str,
    notes: list[str],
    file_copy: bool = False,
    letter: dict | None = None,
) -> dict:
    """What the template prints, from an (already withheld) frozen record: dates in words, text as
    paragraphs, every value a string. Its sections are the record's, each printed by its SectionSpec
    (closures/sections.py: `printed`, in the `layout` of record.typ), numbered as in the Closure Record.

    Why a person's details are sensitive is printed on the file's copy only: the reason itself
    can tell a reader what is being kept from them.

    The letter to the child is addressed to the child: the child's copy prints it as its first page
    (`letter`, from letter_data); the file copy and the authorised record print it as a section; a
    copy for anyone else leaves it out. It is part of the snapshot, so it is withheld from like
    every other passage before it gets here."""
    child = snapshot["child"]
    authorisation = snapshot["authorisation"]
    is_addendum = bool(snapshot.get("addendum_to"))
    decision = snapshot["decision"]
    family_notes = [
        f"{p['name']}: contact details are sensitive ({p['sensitivity_reason'].strip().rstrip('.')})."
        for p in snapshot["family"]
        if file_copy and p.get("sensitive") and p.get("sensitivity_reason")
    ]
    return {
        "title": f"{'Addendum to the ' if is_addendum else ''}Closure Record: {child['name']}",
        "council": snapshot["council"],
        "stamp": stamp,
        "child": {
            "name": child["name"],
            "first_name": child["name"].split()[0],
            "la_child_id": child["la_child_id"],
        },
        "is_addendum": is_addendum,
        "summary": [
            ["Child", child["name"]],
            ["Date of birth", date_words(child["date_of_birth"])],
            ["LA child ID", child["la_child_id"]],
            ["Team", snapshot["episode"]["team"]],
            ["Social worker", snapshot["episode"]["worker"] or snapshot["author"]],
            ["Referral date", date_words(snapshot["episode"]["referral_date"])],
            ["Decision to close", f"{date_words(decision['date'])}, by {decision['by']}"],
            ["Authorised", f"{date_time_words(authorisation['at'])} by {authorisation['by']}"],
        ],
        "family": [
            {
                "name": p["name"],
                "relationship": p["relationship"],
                "address": p["address"] or "",
                "phone": p["phone"] or "",
                "email": p["email"] or "",
            }
            for p in snapshot["family"]
        ],
        "family_notes": family_notes,
        "sections": sections.printed(snapshot, leave_out=() if file_copy else (sections.Section.LETTER,)),
        "letter": letter,
        "numbers": sections.after_numbers(),
        "signatures": [signature_data(s) for s in signatures],
        "authorisation": (
            f"Authorised by {authorisation['by']}, team manager, on {date_time_words(authorisation['at'])}. "
            + ("The addendum is part of the record." if is_addendum else "The case was closed on that date.")
        ),
        "copy": {"statement": statement, "notes": notes},
    }
