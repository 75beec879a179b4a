"""The Closure Record as a tagged PDF (PDF/A-2a and PDF/UA-1), rendered by Typst from the frozen snapshot.

Pure functions: the authorised snapshot, the signatures and the recipient in; what is withheld and the
PDF's bytes out. Nothing here reads the live case, so a copy prints the record exactly as authorised.
"""

import copy as copying
import datetime as dt
import functools
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import typst

from closewell.closures import sections
from closewell.core.dates import long_date
from closewell.core.printing import date_time_words, date_words
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
WITHHELD = "[withheld]"
UNPRINTABLE = "\ufffd"  # the replacement character: DejaVu Sans has it
UNPRINTABLE_NOTE = (
    f"Some characters could not be printed in the fonts we have and are shown as {UNPRINTABLE}."
)
DETAILS = ("address", "phone", "email")
DETAIL_LABELS = {"address": "address", "phone": "telephone number", "email": "email address"}

POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)

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


# --- Withholding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Who a copy is for. kind: child, person, professional or file (RecipientKind values)."""

    kind: str
    person_id: int | None = None


def withholding(snapshot: dict, recipient: Recipient) -> list[dict]:
    """The contact details a copy must leave out, and why.

    Details marked sensitive (for example a domestic abuse victim's address) appear only on the
    file's own copy and on the copy of the person they belong to. They are withheld from everyone
    else: always from a person recorded as the perpetrator; and from the child, other family members
    and other professionals too, because a copy leaves our hands and can be read by anyone the
    holder shows it to. Sharing such details with another agency is a separate decision, not a copy.

    A person recorded as the perpetrator gets no one else's contact details at all, marked sensitive
    or not: the people around the victim (a grandparent, the child's other parent) are a way to find
    her.
    """
    if recipient.kind == "file":
        return []
    family = {p["person_id"]: p for p in snapshot.get("family", [])}
    holder = family.get(recipient.person_id) if recipient.kind == "person" else None
    perpetrator = bool(holder and holder.get("perpetrator"))
    found = []
    for person in snapshot.get("family", []):
        if person["person_id"] == recipient.person_id or not (person.get("sensitive") or perpetrator):
            continue
        details = [name for name in DETAILS if (person.get(name) or "").strip()]
        if not details:
            continue
        if person.get("sensitive"):
            reason = f"{person['name']}'s contact details are marked sensitive"
            if person.get("sensitivity_reason"):
                reason += f" ({person['sensitivity_reason'].strip().rstrip('.')})"
        else:
            reason = "No one else's contact details are given to them"
        if perpetrator:
            reason = f"The copy is for a person recorded as the perpetrator of domestic abuse. {reason}"
        found.append(
            {
                "person": person["name"],
                "person_id": person["person_id"],
                "details": details,
                "reason": reason + ".",
            }
        )
    return found


def _spaced(text: str) -> str:
    """A pattern matching `text` whatever the spacing between its words."""
    return r"\s+".join(re.escape(word) for word in text.split())


def withheld_patterns(snapshot: dict, withheld: list[dict]) -> re.Pattern | None:
    """One pattern for every form in which withheld details may be written in the record's text:
    the whole address, its street-level lines, its postcode, the phone number however spaced
    (and in +44 form), the email."""
    family = {p["person_id"]: p for p in snapshot.get("family", [])}
    patterns: set[str] = set()
    for item in withheld:
        person = family[item["person_id"]]
        if "address" in item["details"]:
            address = person["address"].strip()
            patterns.add(_spaced(address))
            for part in re.split(r"[\n,]+", address):
                part = part.strip()
                # A line with a number or of two words or more ("Flat 6", "Heron Court"); a lone
                # town name would withhold the town from the whole record.
                if len(part) >= 4 and (re.search(r"\d", part) or len(part.split()) >= 2):
                    patterns.add(_spaced(part))
            for outward, inward in POSTCODE.findall(address):
                patterns.add(rf"\b{re.escape(outward)}\s*{re.escape(inward)}\b")
        if "phone" in item["details"]:
            digits = re.sub(r"\D", "", person["phone"])
            forms = {digits}
            if digits.startswith("0"):
                forms.add("44" + digits[1:])
            elif digits.startswith("44"):
                forms.add("0" + digits[2:])
            for form in forms:
                if len(form) >= 6:
                    patterns.add(r"(?<!\d)\+?(?:\(0\))?" + r"[\s\-()]*".join(form) + r"(?!\d)")
        if "email" in item["details"]:
            patterns.add(re.escape(person["email"].strip()))
    if not patterns:
        return None
    # Longest first, so a whole address is replaced before one of its lines.
    ordered = sorted(patterns, key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in ordered), re.IGNORECASE)


def map_strings(value, change):
    """`value` (JSON-like: dicts, lists, strings and scalars) with `change` applied to every string."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [map_strings(item, change) for item in value]
    if isinstance(value, dict):
        return {key: map_strings(item, change) for key, item in value.items()}
    return value


def redact(value, pattern: re.Pattern | None):
    """Replace every withheld detail in every string of `value` (a snapshot or part of one)."""
    if pattern is None:
        return value
    return map_strings(value, lambda text: pattern.sub(WITHHELD, text))


def withheld_snapshot(snapshot: dict, withheld: list[dict]) -> dict:
    """The snapshot as this recipient may read it: withheld details replaced everywhere."""
    content = redact(copying.deepcopy(snapshot), withheld_patterns(snapshot, withheld))
    hidden = {item["person_id"]: item["details"] for item in withheld}
    for person in content.get("family", []):
        for name in hidden.get(person["person_id"], []):
            person[name] = WITHHELD
        if person["person_id"] in hidden:
            person["sensitivity_reason"] = ""
    return content


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
    return {
        "name": signature.signer_name,
        "relationship": signature.relationship,
        "statement": statement,
        "png": png,
        "alt": f"Signature of {signature.signer_name}, drawn on screen on {when}.",
    }


def document_data(
    snapshot: dict, *, signatures: list, stamp: str, statement: str, notes: list[str], file_copy: bool = False
) -> dict:
    """What the template prints, from an (already withheld) frozen record: dates in words, text as
    paragraphs, every value a string. Its sections are the record's, each printed by its SectionSpec
    (closures/sections.py: `printed`, in the `layout` of record.typ), numbered as in the Closure Record.

    Why a person's details are sensitive is printed on the file's copy only: the reason itself
    can tell a reader what is being kept from them."""
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
        "sections": sections.printed(snapshot),
        "numbers": sections.after_numbers(),
        "signatures": [signature_data(s) for s in signatures],
        "authorisation": (
            f"Authorised by {authorisation['by']}, team manager, on {date_time_words(authorisation['at'])}. "
            + ("The addendum is part of the record." if is_addendum else "The case was closed on that date.")
        ),
        "copy": {"statement": statement, "notes": notes},
    }
