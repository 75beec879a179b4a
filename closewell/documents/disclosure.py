"""Who may read what in a copy: disclosure profiles as data, and the engine that scans every passage
of a frozen Closure Record and withholds, for one recipient, what their profile excludes.

Pure functions on the authorised snapshot (before anything is laid out or rendered): the snapshot,
the recipient, the worker's marked passages and overrides in; the content the recipient may read,
what was withheld (kind and section, never the words) and a preview out.

Free text is not trusted. Every string of every section is scanned for UK postcodes (full and the
outward code alone, any case or spacing, across a line break), addresses and street names, UK
telephone numbers, email addresses, and every person and place the case knows (the family's
details, the child's school, nursery, GP, a refuge, handover and family-time places). A hit is
withheld when the recipient's profile excludes it, and printed as "[Withheld: <reason>]": never
silently.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

# --- Profiles ----------------------------------------------------------------------------------------

PLACE_KINDS = frozenset({"school", "nursery", "gp", "refuge", "handover", "contact", "other"})


@dataclass(frozen=True)
class DisclosureProfile:
    """What one kind of recipient may be given.

    others_contacts: another adult's address, postcode, phone and email — "unless_shared" (withheld
      unless the worker recorded that they may be shared, and never when marked sensitive), "never"
      (withheld whoever they belong to) or "all" (nothing withheld: the child's file).
    unknown_contacts: withhold an address, postcode, phone or email found in the text that belongs to
      no one the case knows (it may be anyone's).
    outward_codes: withhold every postcode district ("NM2"), not only those of withheld addresses.
    places: the kinds of place (PLACE_KINDS) whose names and addresses are withheld.
    safety_plan: withhold every sentence about a safety plan, safe adults, exclusion zones and the like.
    third_party_names: withhold the names of adults other than parents, carers, siblings and
      grandparents (a subject access request withholds third parties).
    needs_release: a team manager other than the one who asked must release the copy.
    """

    name: str
    label: str
    description: str
    others_contacts: str
    unknown_contacts: bool = True
    outward_codes: bool = False
    places: frozenset = frozenset({"refuge"})
    safety_plan: bool = False
    third_party_names: bool = False
    needs_release: bool = False
    applies_marks_for: frozenset = frozenset()


PROFILES = {
    profile.name: profile
    for profile in (
        DisclosureProfile(
            "child",
            "The child (age-appropriate)",
            "No other adult's contact details unless recorded as shareable; never a sensitive address; "
            "no refuge; passages the worker marks as not for the child are withheld with a kind reason.",
            others_contacts="unless_shared",
            applies_marks_for=frozenset({"child"}),
        ),
        DisclosureProfile(
            "parent",
            "A parent, carer or family member",
            "Their own contact details; no other adult's unless recorded as shareable (for example "
            "parents who live together); never a sensitive address; no refuge.",
            others_contacts="unless_shared",
            applies_marks_for=frozenset({"parent"}),
        ),
        DisclosureProfile(
            "perpetrator",
            "Someone who has harmed a member of the family",
            "Nothing that locates the victim or the child: no address, postcode or postcode district, "
            "telephone number or email of anyone else; no school, nursery, GP, refuge, handover or "
            "family-time place; no safety plan. A team manager must release it.",
            others_contacts="never",
            outward_codes=True,
            places=PLACE_KINDS,
            safety_plan=True,
            needs_release=True,
            applies_marks_for=frozenset({"perpetrator", "parent"}),
        ),
        DisclosureProfile(
            "professional",
            "Another professional",
            "No adult's contact details unless recorded as shareable; never a sensitive address; no refuge.",
            others_contacts="unless_shared",
            applies_marks_for=frozenset({"professional"}),
        ),
        DisclosureProfile(
            "subject_access",
            "The young person as an adult (subject access)",
            "Their own record with third parties' information withheld: other people's contact "
            "details, refuges, handover and family-time places, and the names of adults outside the "
            "close family; each withholding's reason is printed.",
            others_contacts="never",
            places=frozenset({"refuge", "handover", "contact"}),
            third_party_names=True,
            applies_marks_for=frozenset({"subject_access"}),
        ),
        DisclosureProfile(
            "file",
            "The child's file (nothing withheld)",
            "The record as authorised, for the child's file.",
            others_contacts="all",
            unknown_contacts=False,
            places=frozenset(),
        ),
    )
}

REASONS = {
    "address": "information about where someone lives",
    "postcode": "information about where someone lives",
    "outward_code": "information about where someone lives",
    "phone": "someone's telephone number",
    "email": "someone's email address",
    "place": "a place that could show where someone is",
    "safety_plan": "the safety plan",
    "third_party": "information about another person",
}
# A subject access request explains each redaction as a third party's information.
THIRD_PARTY_REASONS = {
    "address": "information about where another person lives",
    "postcode": "information about where another person lives",
    "outward_code": "information about where another person lives",
    "phone": "another person's telephone number",
    "email": "another person's email address",
    "place": "a place that could show where another person is",
}
CONTACT_KINDS = frozenset({"address", "postcode", "outward_code", "phone", "email"})
# Close family whose names a subject access copy keeps: the young person knows them.
CLOSE_FAMILY = frozenset(
    {"Mother", "Father", "Step-parent", "Carer", "Foster carer", "Sibling", "Grandparent"}
)


def marker(reason: str) -> str:
    return f"[Withheld: {reason}]"


def profile_for(recipient_kind: str, person: dict | None = None) -> DisclosureProfile:
    """The profile of a recipient: a family member who harmed someone in the family is a perpetrator."""
    if recipient_kind == "person":
        return PROFILES["perpetrator" if person and person.get("perpetrator") else "parent"]
    return PROFILES[recipient_kind]


# --- Finding things in text -------------------------------------------------------------------------

SEP = r"[\s\-]*"
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)" + SEP + r"([0-9][A-Za-z]{2})(?![A-Za-z0-9])"
)
OUTWARD = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)(?![A-Za-z0-9])")
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[\s\-.]*44[\s\-.]*(?:\(\s*0\s*\)[\s\-.]*)?|\(?\s*0)(?:[\s\-.()]*\d){9,10}(?!\d)"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
SUFFIXES = (
    "street|road|lane|close|court|avenue|drive|way|terrace|row|place|crescent|gardens|grove|hill|"
    "square|mews|rise|parade|view|walk|green|vale|croft|chase|heights|boulevard|wharf|quay|yard|"
    "fields|estate|cottages|rd|st|ave|ln|cres|gdns|sq|dr|ct|tce"
)
# Words that do not name a street: "3 nights in a row", "2 weeks in the close".
FUNCTION_WORDS = (
    "a|an|the|in|of|at|to|for|on|with|and|or|by|from|into|his|her|their|my|our|your|its|this|that|"
    "these|those|every|each|per|times|days|weeks|months|years|nights|hours|minutes|sessions|visits|"
    "is|was|were|are|be|been|not|no|out|up|down|over|after|before|about|than|then"
)
_WORD = rf"(?!(?:{FUNCTION_WORDS})\b)[A-Za-z][A-Za-z'’\-]*"
NUMBERED_ADDRESS = re.compile(
    rf"(?i)\b(?:(?:flat|apartment|apt|unit|room)\s*\d+[A-Za-z]?\s*,?\s*)?\d{{1,4}}[A-Za-z]?,?\s+"
    rf"(?:{_WORD}\s+){{1,3}}(?:{SUFFIXES})\b\.?"
)
FLAT = re.compile(r"(?i)\b(?:flat|apartment|apt)\s*\d+[A-Za-z]?\b")
STREET_NAME = re.compile(
    r"\b(?!(?:The|Family|Crown|County|Magistrates|Youth|High|Supreme|Ms|Mr|Mrs|Miss|Mx|Dr)\b)"
    r"[A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+)?\s+"
    r"(?:Street|Road|Lane|Close|Court|Avenue|Drive|Terrace|Row|Crescent|Gardens|Grove|Square|Mews|"
    r"Parade|Place|Way|Walk|Rise)\b"
)
SAFETY = re.compile(
    r"(?i)\b(?:safety[\s\-]+plan\w*|safe\s+adults?|safe\s+words?|code\s+words?|silent\s+999|"
    r"exclusion\s+zones?|escape\s+plans?|panic\s+(?:alarms?|buttons?)|safe\s+house)\b"
)
DIGIT = re.compile(r"\d")
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
PROPER_NOUNS = re.compile(r"\b[A-Z][a-z'’]+(?:[ \t]+(?:[A-Z][a-z'’\-]+|St\.?|de|van))+\b")
TITLES = ("Mr", "Ms", "Mrs", "Miss", "Mx", "Dr")
# Words that end a place's name and say only what kind it is: "St Aidan's Primary" is "St Aidan's".
GENERIC_PLACE_WORDS = {
    "primary", "school", "academy", "infant", "infants", "junior", "juniors", "nursery", "surgery",
    "medical", "centre", "center", "practice", "health", "refuge", "house", "home", "church", "of",
    "england", "ce", "rc", "c", "e", "pre-school", "preschool", "children's", "family", "contact",
}  # fmt: skip


def _flex(text: str) -> str:
    """A pattern for `text` whatever its spacing, line breaks, apostrophes or "St"/"St."/"Saint"."""
    words = re.findall(r"[^\s,]+", text)
    parts = []
    for word in words:
        bare = word.rstrip(".")
        if bare.lower() in ("st", "saint"):
            parts.append(r"(?:st\.?|saint)")
        else:
            escaped = "".join("['’]" if char in "'’" else re.escape(char) for char in bare)
            parts.append(escaped + (r"\.?" if word != bare else ""))
    return r"[\s,]*".join(parts)


def _bounded(pattern: str) -> str:
    return rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])"


def _address_patterns(address: str) -> list[tuple[str, str]]:
    """Every way an address may be written, as (pattern, the words it matches): whole and by its
    street-level lines; its postcode and district are found separately (kinds postcode and
    outward_code)."""
    address = (address or "").strip()
    if not address:
        return []
    patterns = {_flex(address): address}
    for part in re.split(r"[\n,]+", POSTCODE.sub("", address)):
        part = part.strip()
        # A line with a number, or of two words or more ("Flat 6", "Heron Court"); a lone town name
        # would withhold the town from the whole record.
        if len(part) >= 4 and (re.search(r"\d", part) or len(part.split()) >= 2):
            patterns[_flex(part)] = part
            # "6 Heron Court" also as "Heron Court"
            bare = re.sub(r"^(?:flat|apartment|apt|unit)?\s*\d+[A-Za-z]?\s*,?\s*", "", part, flags=re.I)
            if bare != part and len(bare.split()) >= 2:
                patterns[_flex(bare)] = bare
    return sorted(patterns.items(), key=lambda item: len(item[0]), reverse=True)


def _anchor(words: str) -> str:
    """The longest run of letters or digits in `words`, lower case: a pattern made from `words`
    cannot match a text that lacks it, so the pattern is not run there."""
    runs = re.findall(r"[a-z0-9]+", words.lower().replace("saint", "st"))
    return max(runs, key=len) if runs else ""


def _normal_phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits


def _normal_postcode(outward: str, inward: str = "") -> str:
    return (outward + inward).upper()


def _place_names(place: dict) -> list[str]:
    names = [place["name"], *place.get("also_known_as", [])]
    out = set()
    for name in names:
        name = name.strip()
        if len(name) < 3:
            continue
        out.add(name)
        words = name.split()
        while words and words[-1].lower().strip(",.") in GENERIC_PLACE_WORDS:
            words = words[:-1]
        core = " ".join(words)
        # "St Aidan's" from "St Aidan's Primary"; a single plain word ("Northmoor") is too common.
        if core != name and (len(words) >= 2 or "'" in core or "’" in core) and len(core) >= 4:
            out.add(core)
    return sorted(out, key=len, reverse=True)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    kind: str
    owners: frozenset = frozenset()
    place_kind: str = ""
    known: bool = False
    reason: str = ""  # a worker's marked passage carries its own
    recipients: frozenset = frozenset()


@dataclass
class Scanner:
    """The detectors for one snapshot: built once, then run on every string."""

    snapshot: dict
    people: dict = field(default_factory=dict)
    known: list = field(default_factory=list)  # (compiled pattern, kind, owners, place_kind, anchors)
    postcodes: dict = field(default_factory=dict)  # "NM27LX" -> owners, "NM2" -> owners
    phones: dict = field(default_factory=dict)  # "07700900631" -> owners
    emails: dict = field(default_factory=dict)  # "name@example.invalid" -> owners
    marks: list = field(default_factory=list)  # (pattern, reason, recipients)

    @classmethod
    def build(cls, snapshot: dict, marks: list[dict]) -> "Scanner":
        scanner = cls(snapshot=snapshot)
        people = {p["person_id"]: p for p in snapshot.get("family", [])}
        scanner.people = people
        groups: dict[tuple, dict] = {}

        def add(pattern: str, words: str, kind: str, owner=None, place_kind: str = ""):
            groups.setdefault((kind, place_kind, owner), {})[pattern] = _anchor(words)

        child_first = (snapshot.get("child", {}).get("name") or " ").split()[0].lower()
        for pid, person in people.items():
            for pattern, words in _address_patterns(person.get("address", "")):
                add(pattern, words, "address", pid)
            for outward, inward in POSTCODE.findall(person.get("address") or ""):
                scanner.postcodes.setdefault(_normal_postcode(outward, inward), set()).add(pid)
                scanner.postcodes.setdefault(_normal_postcode(outward), set()).add(pid)
            if len(_normal_phone(person.get("phone") or "")) >= 6:
                scanner.phones.setdefault(_normal_phone(person["phone"]), set()).add(pid)
            if (person.get("email") or "").strip():
                scanner.emails.setdefault(person["email"].strip().lower(), set()).add(pid)
            name = (person.get("name") or "").strip()
            if name:
                add(_bounded(_flex(name)), name, "name", pid)
                first, *_, last = name.split() if len(name.split()) > 1 else (name, name)
                if len(last) >= 2:
                    add(_bounded(rf"(?:{'|'.join(TITLES)})\.?\s+{_flex(last)}"), last, "name", pid)
                if len(first) >= 3 and first.lower() != child_first:
                    add(_bounded(_flex(first)), first, "name", pid)
        for index, place in enumerate(snapshot.get("places", [])):
            owner = f"place:{index}"
            for name in _place_names(place):
                add(_bounded(_flex(name)), name, "place", owner, place["kind"])
            for pattern, words in _address_patterns(place.get("address", "")):
                add(pattern, words, "place", owner, place["kind"])
            for outward, inward in POSTCODE.findall(place.get("address") or ""):
                add(
                    _bounded(rf"{re.escape(outward)}{SEP}{re.escape(inward)}"),
                    inward,
                    "place",
                    owner,
                    place["kind"],
                )
        for (kind, place_kind, owner), patterns in groups.items():
            ordered = sorted(patterns, key=len, reverse=True)
            compiled = re.compile("|".join(f"(?:{p})" for p in ordered), re.IGNORECASE)
            owners = frozenset() if owner is None else frozenset({owner})
            anchors = frozenset(patterns.values())
            scanner.known.append((compiled, kind, owners, place_kind, "" if "" in anchors else anchors))
        for mark in marks:
            text = (mark.get("text") or "").strip()
            if text:
                scanner.marks.append(
                    (re.compile(_flex(text), re.IGNORECASE), mark["reason"], frozenset(mark["recipients"]))
                )
        return scanner

    def scan(self, text: str, *, safety: bool) -> list[Hit]:
        """Every hit in one string. Known people and places come first; a generic detector's hit
        that overlaps a known one is dropped (the known one says whose it is). Detectors that need
        a digit or an "@" are not run on text without one."""
        digits = DIGIT.search(text) is not None
        at_sign = "@" in text
        lowered = text.lower()
        known: list[Hit] = []
        for pattern, kind, owners, place_kind, anchors in self.known:
            if anchors and not any(anchor in lowered for anchor in anchors):
                continue
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    known.append(Hit(m.start(), m.end(), kind, owners, place_kind, known=True))
        generic: list[Hit] = []
        if digits:
            for m in POSTCODE.finditer(text):
                owners = self.postcodes.get(_normal_postcode(*m.groups()), set())
                generic.append(Hit(m.start(), m.end(), "postcode", frozenset(owners), known=bool(owners)))
            for m in OUTWARD.finditer(text):
                owners = self.postcodes.get(_normal_postcode(m.group(1)), set())
                generic.append(Hit(m.start(), m.end(), "outward_code", frozenset(owners), known=bool(owners)))
            for m in PHONE.finditer(text):
                owners = frozenset(self.phones.get(_normal_phone(m.group()), ()))
                generic.append(Hit(m.start(), m.end(), "phone", owners, known=bool(owners)))
            for regex in (NUMBERED_ADDRESS, FLAT):
                generic += [Hit(m.start(), m.end(), "address") for m in regex.finditer(text)]
        if at_sign:
            for m in EMAIL.finditer(text):
                owners = frozenset(self.emails.get(m.group().lower(), ()))
                generic.append(Hit(m.start(), m.end(), "email", owners, known=bool(owners)))
        generic += [Hit(m.start(), m.end(), "address") for m in STREET_NAME.finditer(text)]
        covered = bytearray(len(text) + 1)
        for h in known:
            if h.kind in CONTACT_KINDS or h.kind == "place":
                covered[h.start : h.end] = b"\x01" * (h.end - h.start)
        hits = known + [h for h in generic if h.known or covered.find(1, h.start, h.end) == -1]
        if safety and SAFETY.search(text):
            hits += [
                Hit(m.start() + len(m.group()) - len(m.group().lstrip()), m.end(), "safety_plan")
                for m in SENTENCE.finditer(text)
                if SAFETY.search(m.group())
            ]
        for pattern, reason, recipients in self.marks:
            hits += [
                Hit(m.start(), m.end(), "marked", reason=reason, recipients=recipients)
                for m in pattern.finditer(text)
                if m.end() > m.start()
            ]
        return hits


# --- Deciding, per recipient ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Who a copy is for: a profile name and, for a family member, their person id."""

    profile: str
    person_id: int | None = None


def hit_key(kind: str, text: str) -> str:
    """A stable key for a finding, so a worker can override it (every occurrence of the same words)."""
    normal = re.sub(r"\s+", " ", text.strip().lower())
    return hashlib.sha256(f"{kind}:{normal}".encode()).hexdigest()[:12]


def decide(hit: Hit, profile: DisclosureProfile, recipient: Recipient, people: dict) -> str:
    """Why `hit` is withheld from this recipient, or "" when it may be shown."""
    reasons = THIRD_PARTY_REASONS if profile.name == "subject_access" else {}

    def reason(kind):
        return reasons.get(kind) or REASONS[kind]

    if hit.kind == "marked":
        names = set(profile.applies_marks_for)
        if recipient.person_id is not None:
            names.add(f"person:{recipient.person_id}")
        return hit.reason if names & hit.recipients else ""
    if profile.others_contacts == "all":
        return ""
    if hit.kind == "safety_plan":
        return reason("safety_plan") if profile.safety_plan else ""
    if hit.kind == "place":
        return reason("place") if hit.place_kind in profile.places else ""
    if hit.kind == "name":
        (owner,) = hit.owners
        person = people.get(owner, {})
        if (
            profile.third_party_names
            and owner != recipient.person_id
            and person.get("relationship") not in CLOSE_FAMILY
        ):
            return reason("third_party")
        return ""
    # Contact details: an address, postcode, postcode district, phone or email.
    people_owners = {o for o in hit.owners if o in people}
    if hit.kind == "outward_code" and profile.outward_codes:
        return (
            ""
            if people_owners == {recipient.person_id} and recipient.person_id is not None
            else reason(hit.kind)
        )
    if not people_owners:
        if hit.kind == "outward_code":
            return ""
        return reason(hit.kind) if profile.unknown_contacts else ""
    others = people_owners - {recipient.person_id}
    if not others:
        return ""
    if profile.others_contacts == "never":
        return reason(hit.kind)
    if any(people[o].get("sensitive") for o in others):
        return reason(hit.kind)
    if recipient.person_id in people_owners:
        return ""  # their own (shared with someone they live with)
    return "" if all(people[o].get("may_share") for o in others) else reason(hit.kind)


# --- Applying it to the snapshot ----------------------------------------------------------------------

SECTIONS = {
    "addendum_text": "Correction (addendum)",
    "family": "Family and important people",
    "involvement": "1. Reason for involvement",
    "interventions": "2. Details of interventions since assessment, admission or last review",
    "review": "3. Review of planned actions",
    "reason": "4. Reason for closure",
    "child_views": "5. Views of the child or young person",
    "parent_views": "6. Views of parents and carers",
    "domestic_abuse": "7. Domestic abuse",
    "interpreting": "8. Interpreting",
    "handover": "Handover to Family Help",
}
SUMMARY = "Summary"
# Not scanned: what the engine itself reads, codes the product prints, identifiers and dates.
NOT_SCANNED_TOP = frozenset({"places", "record_id", "addendum_to"})
NOT_SCANNED_KEYS = frozenset(
    {"code", "la_child_id", "person_id", "id", "date", "date_of_birth", "referral_date", "at", "since",
     "start_date", "end_date", "domain", "parent", "kind", "relationship", "first_language"}
)  # fmt: skip
PERSON_FIELDS = {"address": "address", "phone": "phone", "email": "email"}


@dataclass
class Segment:
    text: str
    reason: str = ""
    kind: str = ""
    key: str = ""

    @property
    def withheld(self) -> bool:
        return bool(self.reason)


@dataclass
class Passage:
    section: str
    segments: list


@dataclass
class Disclosure:
    """One recipient's copy, before it is laid out: what they may read and what was left out."""

    profile: DisclosureProfile
    recipient: Recipient
    content: dict
    passages: list  # [Passage] in the record's order, for the preview
    findings: list  # [{"kind", "section", "key", "reason", "withheld", "overridden"}] (preview only)
    remaining: list  # [(label, text)]: names and places the copy still holds, for a last check
    overridden: list  # keys of the withholdings the worker overrode that applied
    extra: dict = field(default_factory=dict)  # {section: [passage as printed]}

    @property
    def withheld(self) -> list[dict]:
        """What the register keeps: kind, section, reason and how many — never the words."""
        counts = Counter(
            (f["kind"], f["section"], f["reason"])
            for f in self.findings
            if f["withheld"] and not f["overridden"]
        )
        return [
            {"kind": kind, "section": section, "reason": reason, "count": count}
            for (kind, section, reason), count in counts.items()
        ]

    @property
    def needs_release(self) -> bool:
        return self.profile.needs_release or bool(self.overridden)

    @property
    def release_reasons(self) -> list[str]:
        return [
            name
            for name, yes in (
                ("perpetrator", self.profile.needs_release),
                ("override", bool(self.overridden)),
            )
            if yes
        ]


def _merge(withheld: list[tuple[int, int, str, str, str]]) -> list[tuple[int, int, str, str, str]]:
    """Overlapping withheld spans as one, with the reason of the longest part."""
    out: list[list] = []
    for start, end, reason, kind, key in sorted(withheld):
        if out and start < out[-1][1]:
            last = out[-1]
            if end - start > last[5]:
                last[2], last[3], last[4], last[5] = reason, kind, key, end - start
            last[1] = max(last[1], end)
        else:
            out.append([start, end, reason, kind, key, end - start])
    return [(s, e, r, k, key) for s, e, r, k, key, _ in out]


def disclose(
    snapshot: dict,
    recipient: Recipient,
    *,
    marks: list[dict] | None = None,
    overrides: frozenset | set = frozenset(),
    extra: dict[str, list[str]] | None = None,
    scanner: Scanner | None = None,
) -> Disclosure:
    """Scan every passage of the snapshot and withhold, for this recipient, what their profile excludes.

    marks: the worker's marked passages ({"text", "reason", "recipients"}); overrides: keys (hit_key)
    of withholdings the worker chose to show, each of which makes the copy need a manager's release;
    extra: passages printed beside the snapshot, by section (what the signatures say), scanned alike
    and returned in `Disclosure.extra`.
    """
    profile = PROFILES[recipient.profile]
    scanner = scanner or Scanner.build(snapshot, marks or [])
    people = scanner.people
    findings: list[dict] = []
    passages: list[Passage] = []
    remaining: dict[str, tuple[str, str]] = {}
    overridden: set[str] = set()

    scanned: dict[str, list[Hit]] = {}

    def redact(text: str, section: str, path: tuple) -> str:
        if text not in scanned:
            scanned[text] = scanner.scan(text, safety=profile.safety_plan)
        hits = list(scanned[text])
        if len(path) == 3 and path[0] == "family" and path[2] in PERSON_FIELDS and text.strip():
            owner = scanner.snapshot["family"][path[1]]["person_id"]
            hits.append(
                Hit(
                    0,
                    len(text),
                    "address" if path[2] == "address" else path[2],
                    frozenset({owner}),
                    known=True,
                )
            )
        spans = []
        shown = []
        for hit in hits:
            words = text[hit.start : hit.end]
            key = hit_key(hit.kind, words)
            why = decide(hit, profile, recipient, people)
            if why and key in overrides:
                overridden.add(key)
                findings.append(
                    {
                        "kind": hit.kind,
                        "section": section,
                        "key": key,
                        "reason": why,
                        "withheld": True,
                        "overridden": True,
                        "text": words,
                    }
                )
                shown.append(hit)
                continue
            if why:
                findings.append(
                    {
                        "kind": hit.kind,
                        "section": section,
                        "key": key,
                        "reason": why,
                        "withheld": True,
                        "overridden": False,
                        "text": words,
                    }
                )
                spans.append((hit.start, hit.end, why, hit.kind, key))
            else:
                shown.append(hit)
        merged = _merge(spans)
        hidden = bytearray(len(text) + 1)
        for start, end, *_ in merged:
            hidden[start:end] = b"\x01" * (end - start)
        for hit in shown:
            if hit.kind in ("name", "place") and not hidden[hit.start]:
                label = "Place" if hit.kind == "place" else "Name"
                words = re.sub(r"\s+", " ", text[hit.start : hit.end])
                remaining.setdefault(words.lower(), (label, words))
        if not merged:
            if section != SUMMARY:
                passages.append(Passage(section, [Segment(text)]))
            return text
        out, segments, at = [], [], 0
        for start, end, reason, kind, key in merged:
            if start > at:
                out.append(text[at:start])
                segments.append(Segment(text[at:start]))
            out.append(marker(reason))
            segments.append(Segment(marker(reason), reason, kind, key))
            at = end
        if at < len(text):
            out.append(text[at:])
            segments.append(Segment(text[at:]))
        passages.append(Passage(section, segments))
        return "".join(out)

    def walk(value, section: str, path: tuple):
        if isinstance(value, str):
            return redact(value, section, path) if value.strip() else value
        if isinstance(value, list):
            return [walk(item, section, (*path, i)) for i, item in enumerate(value)]
        if isinstance(value, dict):
            return {
                key: item if key in NOT_SCANNED_KEYS else walk(item, section, (*path, key))
                for key, item in value.items()
            }
        return value

    content = {}
    for key, value in snapshot.items():
        if key in NOT_SCANNED_TOP:
            content[key] = value
        else:
            content[key] = walk(value, SECTIONS.get(key, SUMMARY), (key,))
    if profile.others_contacts != "all":
        for person in content.get("family", []):
            person["sensitivity_reason"] = ""
    printed_beside = {
        section: [walk(text, section, ("extra", section, i)) for i, text in enumerate(texts)]
        for section, texts in (extra or {}).items()
    }
    return Disclosure(
        profile=profile,
        recipient=recipient,
        content=content,
        extra=printed_beside,
        passages=passages,
        findings=findings,
        remaining=sorted(remaining.values()),
        overridden=sorted(overridden),
    )


def other_names(text: str) -> list[str]:
    """Capitalised names in a text (for the last check: people and places the case does not know)."""
    return sorted({m.group() for m in PROPER_NOUNS.finditer(text)})


def appears_in(snapshot: dict, text: str) -> bool:
    """Whether `text` is written somewhere in the snapshot, whatever its spacing or case."""
    pattern = re.compile(_flex(text.strip()), re.IGNORECASE)
    found = False

    def look(value):
        nonlocal found
        if found:
            return
        if isinstance(value, str):
            found = bool(pattern.search(value))
        elif isinstance(value, list):
            for item in value:
                look(item)
        elif isinstance(value, dict):
            for item in value.values():
                look(item)

    look(snapshot)
    return found
